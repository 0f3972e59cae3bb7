package io.tenure.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps handler → service → store: the domain stays plain Java and HTTP stays at the edge. */
class LayeringTest {
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tenure");

    @Test
    void domainDoesNotKnowHttpOrLambda() {
        noClasses().that().resideInAnyPackage("io.tenure.org..", "io.tenure.member..", "io.tenure.invitation..",
                        "io.tenure.audit..", "io.tenure.store..", "io.tenure.email..", "io.tenure.validation..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tenure.http..", "com.amazonaws.services.lambda..")
                .check(SHARED);
    }

    @Test
    void storesDoNotCallServices() {
        noClasses().that().haveSimpleNameEndingWith("Store")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Service")
                .check(SHARED);
    }

    @Test
    void validationAndRulesDoNotTouchDynamoDb() {
        noClasses().that().resideInAnyPackage("io.tenure.validation..", "io.tenure.error..", "io.tenure.id..")
                .or().haveSimpleNameEndingWith("Validator")
                .or().haveSimpleName("EmailAddress")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
                .check(SHARED);
    }

    @Test
    void noScanAnywhere() {
        noClasses().should().dependOnClassesThat()
                .haveFullyQualifiedName("software.amazon.awssdk.services.dynamodb.model.ScanRequest")
                .check(SHARED);
    }
}
