package io.tenure.local;

import java.net.URI;

/**
 * DynamoDB, SES and EventBridge run elsewhere (e.g. LocalStack in a container), used by the local
 * stack instead of DynamoDB Local, the SES emulator and the fake bus. The functions still run in
 * the stack's own runner, with its IAM check, clock and HTTP API.
 *
 * <ul>
 *   <li>The table is created on {@code dynamoDb} from template.yaml, unless it exists.
 *   <li>The functions reach SES through a relay on the stack's SES port that passes every byte to
 *       {@code ses}, so tests can still take SES down, make it hang or throttle
 *       ({@link SesEmulator}); {@code sesMailbox} is where sent emails can be read
 *       ({@code GET /_aws/ses} on LocalStack).
 *   <li>PutEvents calls are passed to {@code eventBridge}, and what it accepts is recorded for
 *       {@link LocalStack#events()}.
 * </ul>
 */
public record ExternalServices(URI dynamoDb, URI ses, URI sesMailbox, URI eventBridge) {
    public ExternalServices {
        if (dynamoDb == null || ses == null || sesMailbox == null || eventBridge == null) {
            throw new IllegalArgumentException("Every external endpoint is needed: DynamoDB, SES, its mailbox, EventBridge");
        }
    }

    /** All four on one endpoint, as LocalStack serves them. */
    public static ExternalServices at(URI endpoint) {
        return new ExternalServices(endpoint, endpoint, endpoint, endpoint);
    }
}
