package org.pageserver.bootstrap.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pageserver.adapters.http.archfixture.HttpClassUsingBootstrap;
import org.pageserver.adapters.http.archfixture.HttpClassUsingStorage;
import org.pageserver.adapters.s3.archfixture.S3ClassUsingHttp;
import org.pageserver.adapters.storage.archfixture.StorageClassUsingS3;
import org.pageserver.application.archfixture.ApplicationClassUsingAdapter;
import org.pageserver.domain.archfixture.DomainClassUsingApplication;
import org.pageserver.domain.archfixture.DomainClassUsingJdbc;
import org.pageserver.domain.archfixture.DomainClassUsingMicronaut;

/**
 * Proves each rule can fail: every rule is run over a deliberately wrong class from the test
 * sources (never part of the product) and must report it, naming the offending class.
 */
class ArchitectureRulesCatchViolationsTest {

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of(ArchitectureRules.domain_depends_on_the_jdk_alone, DomainClassUsingMicronaut.class),
                Arguments.of(ArchitectureRules.application_depends_on_the_domain_alone, ApplicationClassUsingAdapter.class),
                Arguments.of(ArchitectureRules.domain_knows_nothing_of_the_application, DomainClassUsingApplication.class),
                Arguments.of(ArchitectureRules.core_uses_no_framework_nor_io_library, DomainClassUsingJdbc.class),
                Arguments.of(ArchitectureRules.http_adapter_does_not_use_other_adapters, HttpClassUsingStorage.class),
                Arguments.of(ArchitectureRules.storage_adapter_does_not_use_other_adapters, StorageClassUsingS3.class),
                Arguments.of(ArchitectureRules.s3_adapter_does_not_use_other_adapters, S3ClassUsingHttp.class),
                Arguments.of(ArchitectureRules.only_bootstrap_knows_bootstrap, HttpClassUsingBootstrap.class));
    }

    @ParameterizedTest(name = "{0} catches {1}")
    @MethodSource("violations")
    void ruleReportsTheWrongClass(ArchRule rule, Class<?> wrongClass) {
        JavaClasses classes = new ClassFileImporter().importClasses(wrongClass);
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), () -> "expected a violation of '" + rule.getDescription() + "'");
        assertTrue(result.getFailureReport().toString().contains(wrongClass.getName()),
                () -> "the report should name " + wrongClass.getName() + ": " + result.getFailureReport());
    }
}
