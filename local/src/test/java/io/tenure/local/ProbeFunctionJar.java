package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** A throwaway function jar for local stack tests: handler sources compiled and packed with aws-lambda-java-core. */
final class ProbeFunctionJar {
    private ProbeFunctionJar() {
    }

    /**
     * Compiles {@code sources} (simple class name in package {@code probe} → source) into {@code jar}.
     */
    static void build(Path workFolder, Path jar, Map<String, String> sources) {
        build(workFolder, jar, sources, java.util.List.of());
    }

    /**
     * As {@link #build(Path, Path, Map)}, with {@code libraries} (jars) on the compiler's class path
     * and packed into the function jar too, as the shade plugin packs a function's dependencies.
     */
    static void build(Path workFolder, Path jar, Map<String, String> sources, java.util.List<Path> libraries) {
        try {
            Path sourceFolder = Files.createDirectories(workFolder.resolve("probe-src/probe"));
            Path classes = Files.createDirectories(workFolder.resolve("probe-classes"));
            Path lambdaCore = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String[] arguments = new String[4 + sources.size()];
            arguments[0] = "-d";
            arguments[1] = classes.toString();
            arguments[2] = "-cp";
            java.util.List<Path> classPath = new java.util.ArrayList<>(java.util.List.of(lambdaCore));
            classPath.addAll(libraries);
            arguments[3] = classPath.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            int i = 4;
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceFolder.resolve(source.getKey() + ".java");
                Files.writeString(file, source.getValue());
                arguments[i++] = file.toString();
            }
            assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments)).as("javac exit code").isZero();
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                for (Path library : classPath) {
                    try (JarFile core = new JarFile(library.toFile())) {
                        for (JarEntry entry : core.stream().filter(e -> e.getName().endsWith(".class")
                                && !e.getName().endsWith("module-info.class")).toList()) {
                            out.putNextEntry(new JarEntry(entry.getName()));
                            try (InputStream in = core.getInputStream(entry)) {
                                in.transferTo(out);
                            }
                            out.closeEntry();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
