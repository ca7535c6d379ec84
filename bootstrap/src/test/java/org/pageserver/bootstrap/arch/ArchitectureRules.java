package org.pageserver.bootstrap.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of the hexagon, one idea per rule. The Maven module graph enforces most of
 * them first; these rules also catch what Maven cannot see (a split package, a transitive
 * framework class, an adapter reaching into another through bootstrap's classpath).
 */
public final class ArchitectureRules {
    static final String DOMAIN = "org.pageserver.domain..";
    static final String APPLICATION = "org.pageserver.application..";
    static final String HTTP = "org.pageserver.adapters.http..";
    static final String STORAGE = "org.pageserver.adapters.storage..";
    static final String S3 = "org.pageserver.adapters.s3..";
    static final String BOOTSTRAP = "org.pageserver.bootstrap..";

    private ArchitectureRules() {
    }

    public static final ArchRule domain_depends_on_the_jdk_alone = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .as("the domain depends on the JDK alone");

    public static final ArchRule application_depends_on_the_domain_alone = classes()
            .that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, APPLICATION)
            .as("the application depends on the domain and the JDK alone");

    public static final ArchRule domain_knows_nothing_of_the_application = noClasses()
            .that().resideInAPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAPackage(APPLICATION)
            .as("the domain does not know the use cases");

    public static final ArchRule core_uses_no_framework_nor_io_library = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.micronaut..", "software.amazon..", "com.fasterxml..", "java.sql..", "javax.sql..", "jakarta..")
            .as("domain and application use no framework, AWS, Jackson or JDBC class");

    public static final ArchRule http_adapter_does_not_use_other_adapters = noClasses()
            .that().resideInAPackage(HTTP)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGE, S3)
            .as("the HTTP adapter does not use the other adapters");

    public static final ArchRule storage_adapter_does_not_use_other_adapters = noClasses()
            .that().resideInAPackage(STORAGE)
            .should().dependOnClassesThat().resideInAnyPackage(HTTP, S3)
            .as("the storage adapter does not use the other adapters");

    public static final ArchRule s3_adapter_does_not_use_other_adapters = noClasses()
            .that().resideInAPackage(S3)
            .should().dependOnClassesThat().resideInAnyPackage(HTTP, STORAGE)
            .as("the S3 adapter does not use the other adapters");

    public static final ArchRule only_bootstrap_knows_bootstrap = noClasses()
            .that().resideOutsideOfPackage(BOOTSTRAP)
            .should().dependOnClassesThat().resideInAPackage(BOOTSTRAP)
            .as("nothing but the composition root depends on it");
}
