package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Each function's shaded jar exists, holds its handler, and carries no Apache or Netty HTTP client. */
class FunctionJarTest {
    private static final List<String> FORBIDDEN = List.of(
            "org/apache/http/", "io/netty/", "software/amazon/awssdk/http/apache/",
            "software/amazon/awssdk/http/nio/netty/");

    @Test
    void everyFunctionJarHoldsItsHandlerAndNoHeavyHttpClient() throws IOException {
        Path root = ProjectFiles.root();
        for (TemplateModel.FunctionDef function : ProjectFiles.model().functions()) {
            Path jar = root.resolve(function.codeUri());
            assertThat(jar).as(function.logicalId() + " jar (run mvn package)").isRegularFile();
            System.out.println("[jar] " + function.logicalId() + " " + root.relativize(jar) + " "
                    + Files.size(jar) + " bytes");
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getEntry(function.handlerClass().replace('.', '/') + ".class"))
                        .as(function.handlerClass() + " in " + jar).isNotNull();
                List<String> forbidden = file.stream().map(ZipEntry::getName)
                        .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith)).limit(10).toList();
                assertThat(forbidden).as("entries that must not be in " + jar).isEmpty();
            }
        }
    }
}
