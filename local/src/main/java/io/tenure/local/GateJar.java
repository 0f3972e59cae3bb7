package io.tenure.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A jar made once per JVM holding only {@code io.tenure.local.iam.SdkCallGate} and the SDK's global
 * interceptor list naming it. It is added behind each function's own jar, so the SDK in the function
 * runs the gate on every call, while nothing else of the local stack is on the function's class
 * path, and the stack's and tests' own SDK clients (outside function class loaders) are unaffected.
 */
final class GateJar {
    static final String GATE_CLASS = "io.tenure.local.iam.SdkCallGate";
    private static final String INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";
    /** Services whose own interceptor list also names the gate (see SdkCallGate.modifyHttpRequest). */
    private static final java.util.List<String> SERVICES = java.util.List.of("dynamodb", "sesv2", "ses", "eventbridge",
            "sqs", "sns", "cloudwatch", "cloudwatchlogs", "scheduler", "lambda", "s3", "kms", "secretsmanager", "ssm", "sts");
    private static Path path;

    private GateJar() {
    }

    static synchronized Path path() {
        if (path == null) {
            try {
                Path jar = Files.createTempFile("tenure-sdk-call-gate-", ".jar");
                jar.toFile().deleteOnExit();
                String classFile = GATE_CLASS.replace('.', '/') + ".class";
                try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                     InputStream gate = GateJar.class.getClassLoader().getResourceAsStream(classFile)) {
                    if (gate == null) {
                        throw new IllegalStateException(classFile + " is not on the local stack's class path");
                    }
                    out.putNextEntry(new JarEntry(classFile));
                    gate.transferTo(out);
                    out.closeEntry();
                    out.putNextEntry(new JarEntry(INTERCEPTORS));
                    out.write((GATE_CLASS + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                    for (String service : SERVICES) {
                        out.putNextEntry(new JarEntry("software/amazon/awssdk/services/" + service + "/execution.interceptors"));
                        out.write((GATE_CLASS + "\n").getBytes(StandardCharsets.UTF_8));
                        out.closeEntry();
                    }
                }
                path = jar;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return path;
    }
}
