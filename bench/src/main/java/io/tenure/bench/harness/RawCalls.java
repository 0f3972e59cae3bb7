package io.tenure.bench.harness;

import io.tenure.runtime.FunctionRuntime;
import io.tenure.runtime.SdkClients;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The raw calls an invocation makes, timed in the warm JVM after the handler's calls, with clients
 * built as {@link SdkClients} builds the function's: GetItem of an item that exists
 * ({@code bench.raw.pk}/{@code bench.raw.sk}), PutItem of a bench item, and SendEmail when the
 * function's jar has the SESv2 SDK. Kept apart from {@link Harness} so the bare variant never links
 * the SDK.
 */
final class RawCalls {
    private RawCalls() {
    }

    static String run(int calls) {
        String table = FunctionRuntime.require("TABLE_NAME");
        DynamoDbClient dynamo = SdkClients.dynamoDb();
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(System.getProperty("bench.raw.pk")),
                "sk", AttributeValue.fromS(System.getProperty("bench.raw.sk")));
        StringBuilder out = new StringBuilder("{");
        out.append(timed("getItem", calls, i -> {
            if (!dynamo.getItem(b -> b.tableName(table).key(key)).hasItem()) {
                throw new IllegalStateException("raw GetItem found no item at " + key);
            }
        }));
        out.append(',').append(timed("putItem", calls, i -> dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("BENCH#raw"), "sk", AttributeValue.fromS("PUT#" + (i % 100)),
                "n", AttributeValue.fromN(Integer.toString(i)))))));
        if (hasSes()) {
            SesV2Client ses = SdkClients.sesV2();
            String from = FunctionRuntime.require("SENDER_EMAIL");
            out.append(',').append(timed("sendEmail", calls, i -> ses.sendEmail(b -> b.fromEmailAddress(from)
                    .destination(d -> d.toAddresses("bench-raw@partner.example"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("bench " + i)).body(x -> x.text(t -> t.data("raw call"))))))));
        }
        return out.append('}').toString();
    }

    private static boolean hasSes() {
        try {
            Class.forName("software.amazon.awssdk.services.sesv2.SesV2Client", false, RawCalls.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private interface Call {
        void run(int i);
    }

    private static String timed(String name, int calls, Call call) {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            call.run(i);
            nanos[i] = System.nanoTime() - t;
        }
        return "\"" + name + "\":{\"p50Ms\":" + Harness.millis(Harness.percentile(nanos, 50))
                + ",\"p99Ms\":" + Harness.millis(Harness.percentile(nanos, 99)) + "}";
    }
}
