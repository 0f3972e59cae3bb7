package io.tenure.bench.harness;

import io.tenure.runtime.FunctionRuntime;
import io.tenure.runtime.SdkClients;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The dependency floor of one function: on the function's own jar, it builds only the SDK clients
 * that function uses, as {@link SdkClients} builds them (DynamoDB always; SESv2 and EventBridge when
 * the system property {@code bench.floor.clients} names them), and makes one DynamoDB GetItem. What a
 * function's cold start costs above this is its own code.
 */
public final class FloorHandler {
    public Map<String, Object> handleRequest(Map<String, Object> event) {
        List<String> clients = List.of(System.getProperty("bench.floor.clients", "dynamodb").split(","));
        DynamoDbClient dynamo = SdkClients.dynamoDb();
        if (clients.contains("sesv2")) {
            SdkClients.sesV2();
        }
        if (clients.contains("eventbridge")) {
            SdkClients.eventBridge();
        }
        dynamo.getItem(GetItemRequest.builder().tableName(FunctionRuntime.require("TABLE_NAME"))
                .key(Map.of("pk", AttributeValue.fromS("BENCH#floor"), "sk", AttributeValue.fromS("BENCH")))
                .build());
        return Map.of("statusCode", 200);
    }
}
