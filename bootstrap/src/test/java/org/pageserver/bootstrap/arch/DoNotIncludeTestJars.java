package org.pageserver.bootstrap.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * Leaves out the test classes other modules share as test jars (application's reference model),
 * which {@link ImportOption.DoNotIncludeTests} does not recognize: the rules are for the product.
 */
public final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
        return !location.contains("-tests.jar");
    }
}
