package io.tenure.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local running in this JVM, in memory or in a data folder, with the template's tables
 * created from their own definitions. DynamoDB Local has no TTL and no PITR, so those settings are
 * ignored. With a data folder it can be stopped and started again on the same port with its data,
 * as an outage that tests inject. {@link #external} uses a DynamoDB run elsewhere (LocalStack)
 * instead: the tables are created there, and it cannot be stopped from here.
 */
final class DynamoDbLocalServer implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private final URI external;
    private DynamoDBProxyServer server;
    private final DynamoDbClient client;

    private DynamoDbLocalServer(int port, Path dataDir, DynamoDBProxyServer server) {
        this(port, dataDir, server, null);
    }

    private DynamoDbLocalServer(int port, Path dataDir, DynamoDBProxyServer server, URI external) {
        this.port = port;
        this.dataDir = dataDir;
        this.server = server;
        this.external = external;
        this.client = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** Starts DynamoDB Local on {@code port} (0: a free one); {@code dataDir} null means in memory. */
    static DynamoDbLocalServer start(int port, Path dataDir) throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null) {
            Path natives = Path.of("local/target/native-libs");
            if (!Files.isDirectory(natives)) {
                natives = Path.of("target/native-libs");
            }
            System.setProperty("sqlite4java.library.path", natives.toAbsolutePath().toString());
        }
        int chosen = port == 0 ? FreePort.find() : port;
        return new DynamoDbLocalServer(chosen, dataDir, serve(chosen, dataDir));
    }

    /** A DynamoDB run elsewhere, e.g. LocalStack's. */
    static DynamoDbLocalServer external(URI endpoint) {
        return new DynamoDbLocalServer(endpoint.getPort(), null, null, endpoint);
    }

    private static DynamoDBProxyServer serve(int port, Path dataDir) throws Exception {
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port)));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            Files.createDirectories(dataDir);
            args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString(), "-sharedDb"));
        }
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        server.start();
        return server;
    }

    /**
     * Stops serving: every call now finds nothing listening on the port, as when DynamoDB is out of
     * reach. Only with a data folder: in memory, the data would go with the server.
     */
    synchronized void stop() {
        if (external != null) {
            throw new IllegalStateException("DynamoDB runs elsewhere (" + external + "): it cannot be stopped from here");
        }
        if (dataDir == null) {
            throw new IllegalStateException("DynamoDB Local runs in memory: stopping it would lose every item;"
                    + " start the stack with a data folder (Options.dataDir) to stop and start it");
        }
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop: " + e, e);
        }
        server = null;
    }

    /** Serves again on the same port from the same data folder, with every item written before the stop. */
    synchronized void start() {
        if (server != null || external != null) {
            return;
        }
        try {
            server = serve(port, dataDir);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start again on port " + port + ": " + e, e);
        }
    }


    String endpoint() {
        if (external != null) {
            String text = external.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Creates the table from its template definition, unless it exists (a kept --data-dir). */
    void createTable(TemplateModel.TableDef table) {
        try {
            client.describeTable(b -> b.tableName(table.tableName()));
            return;
        } catch (ResourceNotFoundException absent) {
            // create it below
        }
        Map<String, Object> properties = table.properties();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.tableName())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(TemplateModel.list(properties.get("AttributeDefinitions")).stream()
                        .map(TemplateModel::map)
                        .map(a -> AttributeDefinition.builder()
                                .attributeName(String.valueOf(a.get("AttributeName")))
                                .attributeType(String.valueOf(a.get("AttributeType"))).build())
                        .toList())
                .keySchema(keySchema(properties.get("KeySchema")));
        List<GlobalSecondaryIndex> globalIndexes = TemplateModel.list(properties.get("GlobalSecondaryIndexes"))
                .stream().map(TemplateModel::map)
                .map(i -> GlobalSecondaryIndex.builder()
                        .indexName(String.valueOf(i.get("IndexName")))
                        .keySchema(keySchema(i.get("KeySchema")))
                        .projection(projection(i.get("Projection"))).build())
                .toList();
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }
        List<LocalSecondaryIndex> localIndexes = TemplateModel.list(properties.get("LocalSecondaryIndexes"))
                .stream().map(TemplateModel::map)
                .map(i -> LocalSecondaryIndex.builder()
                        .indexName(String.valueOf(i.get("IndexName")))
                        .keySchema(keySchema(i.get("KeySchema")))
                        .projection(projection(i.get("Projection"))).build())
                .toList();
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }
        client.createTable(request.build());
    }

    /** True when DynamoDB Local answers and the table exists. */
    boolean isUp(String tableName) {
        try {
            client.describeTable(b -> b.tableName(tableName));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<KeySchemaElement> keySchema(Object node) {
        return TemplateModel.list(node).stream().map(TemplateModel::map)
                .map(k -> KeySchemaElement.builder()
                        .attributeName(String.valueOf(k.get("AttributeName")))
                        .keyType(String.valueOf(k.get("KeyType"))).build())
                .toList();
    }

    private static Projection projection(Object node) {
        Map<String, Object> projection = TemplateModel.map(node);
        Projection.Builder builder = Projection.builder()
                .projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL")));
        List<Object> nonKey = TemplateModel.list(projection.get("NonKeyAttributes"));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    @Override
    public synchronized void close() {
        client.close();
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("[local] DynamoDB Local did not stop cleanly: " + e);
        }
        server = null;
    }
}
