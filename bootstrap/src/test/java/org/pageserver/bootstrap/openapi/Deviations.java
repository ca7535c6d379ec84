package org.pageserver.bootstrap.openapi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine-read part of {@code docs/api-deviations.md}: lines {@code - `GET /path [code]`}
 * (in the spec, not served) and {@code + `GET /path [code]`} (served, not in the spec).
 */
record Deviations(Set<String> missing, Set<String> extra) {
    private static final Pattern LINE = Pattern.compile("^\\s*([-+])\\s+`([A-Z]+ /[^`]*)`");

    static Deviations read(Path file) throws IOException {
        Set<String> missing = new TreeSet<>();
        Set<String> extra = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                (m.group(1).equals("-") ? missing : extra).add(m.group(2).trim());
            }
        }
        return new Deviations(missing, extra);
    }
}
