package org.pageserver.bootstrap.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a valid JSON body into a hostile one: first as a tree (a field of the wrong type, a value
 * past its range, an unknown or missing field, deep nesting), then sometimes as bytes (cut short,
 * invalid UTF-8, a stray byte), so that both the typed checks and the parser are reached.
 */
final class JsonMutator {
    /** A JSON token written as is: numbers no Java type holds, and nesting too deep to build as a tree. */
    record Raw(String text) {
    }

    private static final List<Object> VALUES = List.of(
            new Raw("-1"), new Raw("-0"), new Raw("0"), new Raw("1.5"), new Raw("1e400"), new Raw("-1e400"),
            new Raw("4294967296"), new Raw("9223372036854775808"), new Raw("18446744073709551616"),
            new Raw("1" + "0".repeat(2000)), new Raw("[".repeat(5000) + "]".repeat(5000)),
            new Raw("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)), true, false, "", "20000", "0/", "G/1",
            "FFFFFFFFF/0", "10 parsecs", "1 fortnight", "-5s", "18446744073709551616s", "99999999999days",
            HostileValues.HUGE, "\u0000", "\ud800", List.of(), List.of(1, 2), new LinkedHashMap<>(),
            Map.of("kind", "LayerAccessThreshold"), Map.of("kind", "Unknown"));

    private JsonMutator() {
    }

    static byte[] mutate(Random random, Map<String, Object> valid) {
        Map<String, Object> tree = new LinkedHashMap<>(valid);
        for (int i = random.nextInt(3); i >= 0; i--) {
            mutateTree(random, tree);
        }
        byte[] text = write(tree).getBytes(StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? mutateBytes(random, text) : text;
    }

    private static void mutateTree(Random random, Map<String, Object> tree) {
        List<String> keys = new ArrayList<>(tree.keySet());
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                if (!keys.isEmpty()) {
                    tree.put(keys.get(random.nextInt(keys.size())), VALUES.get(random.nextInt(VALUES.size())));
                }
            }
            case 2 -> tree.put(random.nextBoolean() ? "unknown_field" : HostileValues.pick(random, HostileValues.SEGMENTS),
                    VALUES.get(random.nextInt(VALUES.size())));
            case 3 -> {
                if (!keys.isEmpty()) {
                    tree.remove(keys.get(random.nextInt(keys.size())));
                }
            }
            default -> {
                if (!keys.isEmpty()) {
                    String key = keys.get(random.nextInt(keys.size()));
                    tree.put(key, Map.of("nested", tree.get(key) == null ? "null" : tree.get(key)));
                }
            }
        }
    }

    private static byte[] mutateBytes(Random random, byte[] text) {
        int at = text.length == 0 ? 0 : random.nextInt(text.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(7)) {
            case 0 -> out.write(text, 0, at);                                           // cut short
            case 1 -> {                                                                 // invalid UTF-8
                out.write(text, 0, at);
                out.writeBytes(new byte[][] {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}}[random.nextInt(4)]);
                out.write(text, at, text.length - at);
            }
            case 2 -> {                                                                 // a stray byte
                out.write(text, 0, at);
                out.write(random.nextInt(256));
                out.write(text, at, text.length - at);
            }
            case 3 -> out.writeBytes(("[" + new String(text, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
            case 4 -> out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});  // a BOM before the body
            case 5 -> out.writeBytes(HostileValues.pick(random, List.of("null", "", " ", "1", "\"x\"", "{}{}", "{\"a\":1,\"a\":2}",
                    "{\"tenant_id\":\"" + "0".repeat(32) + "\",\"tenant_id\":null}")).getBytes(StandardCharsets.UTF_8));
            default -> {                                                                // two bodies in one
                out.writeBytes(text);
                out.writeBytes(text);
            }
        }
        return out.toByteArray();
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.text());
        } else if (value instanceof String s) {
            out.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                write(entry.getKey().toString(), out);
                out.append(':');
                write(entry.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
