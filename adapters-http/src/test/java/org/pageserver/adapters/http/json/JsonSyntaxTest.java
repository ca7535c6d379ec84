package org.pageserver.adapters.http.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonSyntaxTest {
    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();

    private static String error(String body) {
        return JsonSyntax.firstError(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void saysWhatWasExpectedAndAtWhichByte() {
        assertEquals("unexpected end of the body at byte 15: the object opened at byte 0 is not closed",
                error("{\"gc_period\": 1"));
        assertEquals("expected ',' or '}' at byte 8, found '\"'", error("{\"a\": 1 \"b\": 2}"));
        assertEquals("expected a field name in double quotes at byte 1, found 'a'", error("{a: 1}"));
        assertEquals("expected ':' after the field name at byte 5, found '1'", error("{\"a\" 1}"));
        assertEquals("expected a value (an object, array, string, number, true, false or null) at byte 6, found '}'",
                error("{\"a\": }"));
        assertEquals("expected a value (an object, array, string, number, true, false or null) at byte 0, found 'T'",
                error("True"));
        assertEquals("unexpected ']' at byte 2 after the end of the JSON value", error("{}]"));
        assertEquals("unexpected end of the body at byte 4: the string that starts at byte 1 is not closed", error("{\"ab"));
        assertEquals("a control character (byte 10) at byte 3 in the string that starts at byte 1: escape it",
                error("{\"a\nb\": 1}"));
        assertEquals("unknown escape \\x at byte 3", error("[\"a\\x\"]"));
        assertEquals("a number needs a digit after its decimal point at byte 3", error("[1.]"));
        assertEquals("the body holds no JSON value", error("  "));
        assertEquals("byte 2 is not UTF-8 text", JsonSyntax.firstError(new byte[] {'"', 'a', (byte) 0xC3, '"'}));
    }

    @Test
    void textAfterTheValueIsNoJson() {
        assertEquals("unexpected 'x' at byte 3 after the end of the JSON value", error("{} x"));
    }

    @Test
    void hostileNestingIsNamedNotFollowed() {
        String deep = "[".repeat(100_000);
        assertEquals("nesting deeper than 1000 levels at byte 1000", error(deep));
    }

    @Test
    void acceptsWhatIsJson() {
        for (String body : List.of("{}", "[]", " {\"a\": [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"]} ", "0", "\"s\"",
                "{\"eviction_policy\":{\"kind\":\"NoEviction\"},\"gc_horizon\":0}")) {
            assertNull(error(body), body);
        }
    }

    /**
     * Against the mapper itself, on mutations of real bodies: whatever this passes, the mapper
     * reads, so whatever the mapper refuses has a named error. (This refuses more: text after the
     * value, which the mapper ignores and JSON does not allow.)
     */
    @Test
    void agreesWithTheMapperOnMutatedBodies() {
        Random random = new Random(7);
        List<String> seeds = List.of("{\"new_tenant_id\":\"0a000000000000000000000000000000\",\"gc_period\":\"1h\"}",
                "{\"tenant_id\":\"0a000000000000000000000000000000\",\"eviction_policy\":{\"kind\":\"LayerAccessThreshold\","
                        + "\"period\":\"10m\",\"threshold\":\"1day\"},\"compaction_threshold\":10}",
                "[1, 2.5, -3e10, \"a\\\"b\", [true, false, null], {}]");
        byte[] alphabet = "{}[]:,\"\\ 0123456789.-+eEtrufalsn\u00e9x\t\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = seeds.get(random.nextInt(seeds.size())).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                body = mutate(body, random, alphabet);
            }
            boolean mapperReads = reads(body);
            String error = JsonSyntax.firstError(body);
            String shown = new String(body, StandardCharsets.UTF_8);
            if (!mapperReads) {
                assertNotNull(error, () -> "the mapper refuses " + shown);
            }
        }
    }

    private static byte[] mutate(byte[] body, Random random, byte[] alphabet) {
        int at = random.nextInt(body.length + 1);
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] shorter = new byte[Math.max(0, body.length - 1)];
                int cut = Math.min(at, shorter.length);
                System.arraycopy(body, 0, shorter, 0, cut);
                System.arraycopy(body, cut + 1, shorter, cut, shorter.length - cut);
                yield body.length == 0 ? body : shorter;
            }
            case 1 -> {
                byte[] longer = new byte[body.length + 1];
                System.arraycopy(body, 0, longer, 0, at);
                longer[at] = alphabet[random.nextInt(alphabet.length)];
                System.arraycopy(body, at, longer, at + 1, body.length - at);
                yield longer;
            }
            default -> {
                if (body.length == 0) {
                    yield body;
                }
                byte[] changed = body.clone();
                changed[Math.min(at, body.length - 1)] = alphabet[random.nextInt(alphabet.length)];
                yield changed;
            }
        };
    }

    private static boolean reads(byte[] body) {
        try {
            MAPPER.readValue(body, JsonNode.class);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
