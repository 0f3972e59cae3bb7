package io.tenure.bench;

import io.tenure.local.LocalStack;
import io.tenure.local.TemplateModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * One function of template.yaml as the benchmark launches it: its shaded jar, its handler, the JVM
 * flags of its JAVA_TOOL_OPTIONS, its environment pointed at the local stack, and the SDK clients
 * its dependency floor builds.
 *
 * @param floorClients the clients of {@link io.tenure.bench.harness.FloorHandler}: dynamodb always,
 *     sesv2 when the jar holds the SESv2 SDK, eventbridge when it holds the EventBridge SDK
 */
record Target(String logicalId, String handler, Path jar, List<String> jvmFlags, Map<String, String> environment,
              List<String> floorClients) {

    /** Every function of the stack's template, in template order; fails naming the build command when a jar is missing. */
    static List<Target> all(LocalStack stack, Path root) throws IOException {
        List<Target> out = new ArrayList<>();
        for (TemplateModel.FunctionDef function : stack.template().functions()) {
            out.add(of(function, root, stack));
        }
        return out;
    }

    static Target of(TemplateModel.FunctionDef function, Path root, LocalStack stack) throws IOException {
        Path jar = root.resolve(function.codeUri()).normalize();
        requireJar(jar);
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        // The flags go on the command line (as Lambda's JAVA_TOOL_OPTIONS would), without the "Picked up" line.
        String toolOptions = env.remove("JAVA_TOOL_OPTIONS");
        List<String> flags = toolOptions == null ? List.of() : Arrays.stream(toolOptions.trim().split("\\s+")).toList();
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        // The SDK's own endpoint settings, as the local stack sets them for the functions it loads.
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoDbEndpoint());
        env.put("AWS_ENDPOINT_URL_SESV2", stack.ses().url());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", stack.baseUrl() + "/_local/eventbridge");
        List<String> clients = new ArrayList<>(List.of("dynamodb"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry("software/amazon/awssdk/services/sesv2/SesV2Client.class") != null) {
                clients.add("sesv2");
            }
            if (zip.getEntry("software/amazon/awssdk/services/eventbridge/EventBridgeClient.class") != null) {
                clients.add("eventbridge");
            }
        }
        return new Target(function.logicalId(), function.handlerClass() + "::" + function.handlerMethod(), jar,
                flags, Map.copyOf(env), List.copyOf(clients));
    }

    static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the function jars first, e.g."
                    + " `mvn -B -o -q -DskipNpm -DskipTests package` (or bench/run, which builds them)");
        }
    }
}
