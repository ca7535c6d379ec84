package org.pageserver.adapters.storage.metadata;

import java.nio.file.Path;
import java.util.Map;

/** The H2 configuration the application is meant to run with, in one place for every H2 test. */
final class H2Database {

    private H2Database() {
    }

    /**
     * PostgreSQL mode so that the repositories' PostgreSQL SQL runs unchanged; WRITE_DELAY=0 so that
     * every commit writes the store before it returns (H2's default writes up to 500 ms later, and a
     * kill -9 in between loses committed transactions).
     */
    static String fileUrl(Path base) {
        return "jdbc:h2:file:" + base.toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    static Map<String, String> datasourceProperties(Path base) {
        return Map.of(
                "datasources.default.url", fileUrl(base),
                "datasources.default.username", "sa",
                "datasources.default.password", "",
                "datasources.default.driver-class-name", "org.h2.Driver",
                "datasources.default.dialect", "POSTGRES");
    }
}
