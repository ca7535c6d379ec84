package org.pageserver.bootstrap.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pageserver.domain.layer.LayerName;

/**
 * The only shape a work directory may have: {@code metadata/...} (the H2 database),
 * {@code tenants/<32 hex>/timelines/<32 hex>/<layer file name>} and the embedded remote storage,
 * {@code remote_storage/tenants/<32 hex>/timelines/<32 hex>/<layer file name>-<8 hex>} or
 * {@code .../index_part.json-<8 hex>}.
 * A path outside it means a name from a request reached the file system, or a file was left behind.
 */
final class WorkdirLayout {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private WorkdirLayout() {
    }

    /** Every path under {@code workdir} that does not fit the layout (empty when all is well). */
    static List<String> strayPaths(Path workdir) {
        try (Stream<Path> tree = Files.walk(workdir)) {
            return tree.filter(path -> !path.equals(workdir))
                    .filter(path -> !fits(workdir.relativize(path), Files.isDirectory(path)))
                    .map(path -> workdir.relativize(path).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean fits(Path relative, boolean directory) {
        String[] parts = new String[relative.getNameCount()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = relative.getName(i).toString();
        }
        return switch (parts[0]) {
            case "metadata" -> true;
            case "tenants" -> fitsTenants(parts, directory, WorkdirLayout::isLayerName);
            case "remote_storage" -> parts.length == 1 ? directory
                    : fitsTenants(java.util.Arrays.copyOfRange(parts, 1, parts.length), directory, WorkdirLayout::isObjectName);
            default -> false;
        };
    }

    private static boolean fitsTenants(String[] parts, boolean directory, java.util.function.Predicate<String> fileName) {
        if (!parts[0].equals("tenants")) {
            return false;
        }
        return switch (parts.length) {
            case 1 -> directory;
            case 2 -> directory && ID.matcher(parts[1]).matches();
            case 3 -> directory && ID.matcher(parts[1]).matches() && parts[2].equals("timelines");
            case 4 -> directory && ID.matcher(parts[1]).matches() && parts[2].equals("timelines")
                    && ID.matcher(parts[3]).matches();
            case 5 -> !directory && ID.matcher(parts[1]).matches() && parts[2].equals("timelines")
                    && ID.matcher(parts[3]).matches() && fileName.test(parts[4]);
            default -> false;
        };
    }

    /** A remote object's name: a layer file name or the index part's, then a generation (8 hex). */
    private static boolean isObjectName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash < 0 || !name.substring(dash + 1).matches("[0-9a-f]{8}")) {
            return false;
        }
        String object = name.substring(0, dash);
        return object.equals("index_part.json") || isLayerName(object);
    }

    private static boolean isLayerName(String name) {
        try {
            LayerName.parse(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
