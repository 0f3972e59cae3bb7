package io.tenure.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A jar made once per JVM holding only the local stack's CRaC implementation,
 * {@code io.tenure.local.crac}. It is added behind each function's own jar, and
 * {@link #COMPAT_PROPERTY} names its package, so the function's {@code org.crac} registers its
 * runtime hooks there, as Lambda's java21 runtime makes it register them with Lambda's own
 * implementation ({@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}).
 */
final class CracJar {
    /** The system property {@code org.crac.Core} reads, once per class loader, to find its implementation. */
    static final String COMPAT_PROPERTY = "org.crac.Core.Compat";
    static final String PACKAGE = "io.tenure.local.crac";
    static final String CORE_CLASS = PACKAGE + ".Core";
    private static final List<String> CLASSES = List.of("Core", "Context", "Resource", "GlobalContext",
            "CheckpointException", "RestoreException");
    private static Path path;

    private CracJar() {
    }

    static synchronized Path path() {
        if (path == null) {
            try {
                Path jar = Files.createTempFile("tenure-local-crac-", ".jar");
                jar.toFile().deleteOnExit();
                try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                    for (String name : CLASSES) {
                        String classFile = PACKAGE.replace('.', '/') + "/" + name + ".class";
                        try (InputStream in = CracJar.class.getClassLoader().getResourceAsStream(classFile)) {
                            if (in == null) {
                                throw new IllegalStateException(classFile + " is not on the local stack's class path");
                            }
                            out.putNextEntry(new JarEntry(classFile));
                            in.transferTo(out);
                            out.closeEntry();
                        }
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
