package io.tenure.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tenure.error.TenureException;
import io.tenure.json.Json;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expected failure carries its own answer: each {@link TenureException} subtype in the code,
 * made through each of its public constructors, maps to a problem+json answer that is a 4xx (or a
 * 503 with Retry-After), never the bare 500 of a bug, with its own code in {@code type} and
 * {@code code}. And the mapper knows no feature.
 */
class ErrorsMapThemselvesTest {
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tenure");

    @Test
    void everyTenureExceptionMapsToItsOwnProblemAndNever500() throws Exception {
        List<String> checked = new ArrayList<>();
        for (JavaClass type : SHARED.get(TenureException.class).getSubclasses()) {
            Class<?> subtype = type.reflect();
            if (Modifier.isAbstract(subtype.getModifiers())) {
                continue;
            }
            for (Constructor<?> constructor : subtype.getConstructors()) {
                TenureException failure = (TenureException) constructor.newInstance(arguments(constructor));
                ApiResponse answer = ProblemMapper.toResponse(failure, "req-1");
                String name = subtype.getSimpleName() + constructor.getParameterCount();
                assertThat(answer.status()).as(name).isEqualTo(failure.status()).isNotEqualTo(500)
                        .satisfiesAnyOf(s -> assertThat(s).isBetween(400, 499), s -> assertThat(s).isEqualTo(503));
                assertThat(answer.headers()).as(name).containsEntry("content-type", ProblemMapper.CONTENT_TYPE);
                JsonNode body = Json.MAPPER.readTree(answer.body());
                assertThat(body.path("code").asText()).as(name).isEqualTo(failure.code()).matches("[a-z_]+");
                assertThat(body.path("type").asText()).as(name).isEqualTo("urn:tenure:problem:" + failure.code());
                assertThat(body.path("title").asText()).as(name).isEqualTo(failure.title()).isNotBlank();
                assertThat(body.path("status").asInt()).as(name).isEqualTo(failure.status());
                if (failure.status() == 503 || failure.status() == 429) {
                    assertThat(answer.headers()).as(name).containsKey("retry-after");
                }
                checked.add(name);
            }
        }
        // The cases of SPEC §4 and a few of Tenure's own: far more than one, so the scan found them.
        assertThat(checked).hasSizeGreaterThan(17);
    }

    @Test
    void theMapperKnowsNoFeature() {
        classes().that().haveSimpleName("ProblemMapper")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.tenure.http..", "io.tenure.error..",
                        "io.tenure.json..", "io.tenure.runtime..", "java..", "com.fasterxml.jackson..")
                .check(SHARED);
    }

    /** A plain value for each parameter type the constructors take. */
    private static Object[] arguments(Constructor<?> constructor) {
        Class<?>[] types = constructor.getParameterTypes();
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            if (type == String.class) {
                values[i] = "detail";
            } else if (type == long.class || type == Long.class) {
                values[i] = 7L;
            } else if (type == int.class || type == Integer.class) {
                values[i] = 7;
            } else if (type == Instant.class) {
                values[i] = Instant.parse("2026-12-06T12:00:00Z");
            } else if (type == List.class) {
                values[i] = List.of(new io.tenure.error.FieldError("/name", "is required"));
            } else if (type.isEnum()) {
                values[i] = type.getEnumConstants()[0];
            } else {
                throw new AssertionError(constructor + " takes a " + type + ": give this test a value for it");
            }
        }
        return values;
    }
}
