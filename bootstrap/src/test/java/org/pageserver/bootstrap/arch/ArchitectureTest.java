package org.pageserver.bootstrap.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Checks the production classes of every module against {@link ArchitectureRules}. */
@AnalyzeClasses(packages = "org.pageserver", importOptions = {ImportOption.DoNotIncludeTests.class, DoNotIncludeTestJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule domain_depends_on_the_jdk_alone = ArchitectureRules.domain_depends_on_the_jdk_alone;

    @ArchTest
    static final ArchRule application_depends_on_the_domain_alone = ArchitectureRules.application_depends_on_the_domain_alone;

    @ArchTest
    static final ArchRule domain_knows_nothing_of_the_application = ArchitectureRules.domain_knows_nothing_of_the_application;

    @ArchTest
    static final ArchRule core_uses_no_framework_nor_io_library = ArchitectureRules.core_uses_no_framework_nor_io_library;

    @ArchTest
    static final ArchRule http_adapter_does_not_use_other_adapters = ArchitectureRules.http_adapter_does_not_use_other_adapters;

    @ArchTest
    static final ArchRule storage_adapter_does_not_use_other_adapters = ArchitectureRules.storage_adapter_does_not_use_other_adapters;

    @ArchTest
    static final ArchRule s3_adapter_does_not_use_other_adapters = ArchitectureRules.s3_adapter_does_not_use_other_adapters;

    @ArchTest
    static final ArchRule only_bootstrap_knows_bootstrap = ArchitectureRules.only_bootstrap_knows_bootstrap;
}
