package org.pageserver.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class H2FilePathResolverTest {

    @Test
    void relativePathsBecomeAbsoluteAndOptionsStay() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("jdbc:h2:file:" + cwd + "/.pageserver/metadata/pageserver;MODE=PostgreSQL",
                H2FilePathResolver.absolute("jdbc:h2:file:.pageserver/metadata/pageserver;MODE=PostgreSQL"));
        assertEquals("jdbc:h2:file:" + cwd + "/data/x",
                H2FilePathResolver.absolute("jdbc:h2:file:./data/x"));
    }

    @Test
    void absoluteAndHomePathsAreKept() {
        assertEquals("jdbc:h2:file:/srv/ps/metadata;WRITE_DELAY=0",
                H2FilePathResolver.absolute("jdbc:h2:file:/srv/ps/metadata;WRITE_DELAY=0"));
        assertEquals("jdbc:h2:file:~/ps", H2FilePathResolver.absolute("jdbc:h2:file:~/ps"));
    }
}
