package io.tenure.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.tenure.local.iam.SdkCallGate;
import org.junit.jupiter.api.Test;

/**
 * The SDK call gate is linked against each function's own copy of the SDK, in the function's class
 * loader, from a jar holding its one class file: it may use JDK and SDK core types only, and no
 * nested or anonymous class (which the jar would not hold).
 */
class SdkCallGateLinkageTest {
    @Test
    void theGateUsesOnlyJdkAndSdkCoreTypesInOneClassFile() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "software.amazon.awssdk.core..",
                        "software.amazon.awssdk.http..", "io.tenure.local.iam..")
                .because("the gate runs in each function's class loader, which sees only the function's jar and the gate")
                .check(new ClassFileImporter().importClasses(SdkCallGate.class));
        assertThat(SdkCallGate.class.getDeclaredClasses()).isEmpty();
        assertThat(SdkCallGate.class.getResource("SdkCallGate$1.class")).as("an anonymous class").isNull();
    }
}
