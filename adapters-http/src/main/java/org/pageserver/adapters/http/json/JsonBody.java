package org.pageserver.adapters.http.json;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.lsn.Lsn;

/**
 * A request body that is a JSON object, with strictly typed access to its fields. A field that is
 * absent or {@code null} counts as "not set". Every problem is a BAD_REQUEST naming the field.
 */
public final class JsonBody {
    private final JsonNode object;

    private JsonBody(JsonNode object) {
        this.object = object;
    }

    /**
     * Parses a required body.
     *
     * @throws PageserverException BAD_REQUEST for an empty body, malformed JSON, or JSON that is not an object
     */
    public static JsonBody parse(JsonMapper mapper, byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw PageserverException.badRequest("missing request body");
        }
        // Checked here first: the mapper's messages describe its parser, and it ignores text after
        // the value, which JSON does not allow (bodies are small: the scan costs next to nothing).
        String error = JsonSyntax.firstError(raw);
        if (error != null) {
            throw PageserverException.badRequest("Failed to parse json request: " + error);
        }
        JsonNode tree;
        try {
            tree = mapper.readValue(raw, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw PageserverException.badRequest("Failed to parse json request: the body is no JSON this server can read");
        }
        if (tree == null || !tree.isObject()) {
            throw PageserverException.badRequest("Failed to parse json request: expected a JSON object, got "
                    + describe(tree));
        }
        return new JsonBody(tree);
    }

    /**
     * Parses an optional body: none for an empty body or a JSON {@code null} (Neon's test client
     * sends one for "no body"), else as {@link #parse}.
     */
    public static Optional<JsonBody> parseOptional(JsonMapper mapper, byte[] raw) {
        String text = raw == null ? "" : new String(raw, java.nio.charset.StandardCharsets.UTF_8).trim();
        if (text.isEmpty() || text.equals("null")) {
            return Optional.empty();
        }
        return Optional.of(parse(mapper, raw));
    }

    /** Refuses fields outside {@code known}, as Neon's {@code deny_unknown_fields} bodies do. */
    public JsonBody rejectUnknown(Set<String> known) {
        for (Map.Entry<String, JsonNode> entry : object.entries()) {
            if (!known.contains(entry.getKey())) {
                throw PageserverException.badRequest("unknown field `" + entry.getKey() + "`");
            }
        }
        return this;
    }

    /**
     * A field holding an object, as a body of its own (attach's {@code config}), or empty when it
     * is absent or null.
     *
     * @throws PageserverException BAD_REQUEST if it holds something else
     */
    public Optional<JsonBody> object(String key) {
        Optional<JsonNode> value = get(key);
        if (value.isPresent() && !value.get().isObject()) {
            throw PageserverException.badRequest("`" + key + "` must be a JSON object");
        }
        return value.map(JsonBody::new);
    }

    /** The field's value, or empty when it is absent or null. */
    public Optional<JsonNode> get(String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public Optional<TenantId> tenantId(String key) {
        return idField(key, TenantId::parse);
    }

    public Optional<TimelineId> timelineId(String key) {
        return idField(key, TimelineId::parse);
    }

    private <T> Optional<T> idField(String key, Function<String, T> parse) {
        return get(key).map(node -> {
            if (!node.isString()) {
                throw invalid(key, "expected a string of 32 hex characters, got " + describe(node));
            }
            try {
                return parse.apply(node.getStringValue());
            } catch (IllegalArgumentException e) {
                throw invalid(key, e.getMessage());
            }
        });
    }

    /** An LSN must be the string {@code X/Y}: Neon refuses integers here. */
    public Optional<Lsn> lsn(String key) {
        return get(key).map(node -> {
            if (!node.isString()) {
                throw invalid(key, "expected an LSN string such as \"0/16B5A50\", got " + describe(node));
            }
            try {
                return Lsn.parse(node.getStringValue());
            } catch (IllegalArgumentException e) {
                throw invalid(key, e.getMessage());
            }
        });
    }

    public Optional<Generation> generation(String key) {
        return get(key).map(node -> new Generation(unsigned(key, node, 0xFFFF_FFFFL, "u32")));
    }

    /** A u64 up to 2^63 - 1 (gc_horizon): larger ones mean nothing for byte counts of WAL. */
    public Optional<Long> u64(String key) {
        return get(key).map(node -> unsigned(key, node, Long.MAX_VALUE, "u64"));
    }

    /** A u32 that fits an int (pg_version). */
    public Optional<Integer> u32AsInt(String key) {
        return get(key).map(node -> (int) unsigned(key, node, Integer.MAX_VALUE, "u32"));
    }

    /**
     * An integral JSON number in {@code [0, max]}. Strings, fractions and booleans are refused, as
     * serde refuses them: a client sending {@code "20000"} has a bug we should show, not hide.
     */
    static long unsigned(String key, JsonNode node, long max, String typeName) {
        if (!isIntegral(node)) {
            throw invalid(key, "invalid type: " + describe(node) + ", expected " + typeName);
        }
        BigInteger value = node.getBigIntegerValue();
        if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(key, "invalid value: integer `" + value + "`, expected " + typeName
                    + (value.signum() < 0 ? "" : " not above " + max));
        }
        return value.longValueExact();
    }

    private static boolean isIntegral(JsonNode node) {
        if (!node.isNumber()) {
            return false;
        }
        Number n = node.getNumberValue();
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    static PageserverException invalid(String key, String reason) {
        return PageserverException.badRequest("invalid value for `" + key + "`: " + reason);
    }

    /** A short description of a value for messages, in serde's words ({@code string "x"}, {@code integer `1`}). */
    static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        } else if (node.isString()) {
            return "string \"" + node.getStringValue() + "\"";
        } else if (node.isBoolean()) {
            return "boolean `" + node.getBooleanValue() + "`";
        } else if (node.isNumber()) {
            return (isIntegral(node) ? "integer `" : "floating point `") + node.getNumberValue() + "`";
        } else if (node.isArray()) {
            return "a sequence";
        }
        return "a map";
    }
}
