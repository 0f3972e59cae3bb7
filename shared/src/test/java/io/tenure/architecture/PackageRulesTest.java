package io.tenure.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules docs/architecture.md describes: the packages under io.tenure form no cycle,
 * and only stores (and the two SDK adapters and the wiring) touch the AWS SDK.
 */
class PackageRulesTest {
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tenure");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.tenure.(*)..").should().beFreeOfCycles().check(SHARED);
    }

    @Test
    void onlyStoresTouchTheSdk() {
        noClasses().that().resideOutsideOfPackages("io.tenure.store..", "io.tenure.runtime..")
                .and().haveSimpleNameNotEndingWith("Store")
                // The audit log, the due items and the event outbox are stores by another name;
                // the SES and EventBridge adapters are the edge to those services.
                .and().doNotHaveSimpleName("AuditLog")
                .and().doNotHaveSimpleName("DueItems")
                .and().doNotHaveSimpleName("EventOutbox")
                .and().doNotHaveSimpleName("SesEmailSender")
                .and().doNotHaveSimpleName("EventBridgePublisher")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
                .because("services hold the rules and stores own every DynamoDB detail (issue 12)")
                .check(SHARED);
    }
}
