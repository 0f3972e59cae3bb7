package io.tenure.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Handlers stay thin: they parse the event, call a service and map the result. They never reach
 * the store or DynamoDB themselves (handler → service → store). Checked on the built jars.
 */
class HandlerLayeringTest {

    @Test
    void handlersCallServicesNotStores() throws Exception {
        Path root = LocalStack.findProjectRoot();
        List<Path> jars;
        try (var dirs = Files.list(root.resolve("functions"))) {
            jars = dirs.map(d -> d.resolve("target/function.jar")).filter(Files::exists).toList();
        }
        assertThat(jars).isNotEmpty();
        for (Path jar : jars) {
            JavaClasses handlers;
            try (JarFile file = new JarFile(jar.toFile())) {
                handlers = new ClassFileImporter()
                        .withImportOption(location -> location.contains("io/tenure/functions/"))
                        .importJar(file);
            }
            assertThat(handlers).as(jar.toString()).isNotEmpty();
            noClasses().should().dependOnClassesThat().resideInAnyPackage("io.tenure.store..", "software.amazon.awssdk..")
                    .because("handlers go through services")
                    .check(handlers);
        }
    }
}
