package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.pageserver.domain.config.EvictionPolicy;
import org.pageserver.domain.config.HumanDuration;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.PageserverException;

/**
 * The JSON form of tenant settings, both ways, driven by {@link TenantConfigField}: a setting added
 * to that table is parsed and rendered here without a line of change. Values are strictly typed as
 * in Neon (a u64 is a JSON integer, a duration a humantime string), with one exception:
 * {@code compaction_threshold} also takes a string of digits, because the spec types it as a string.
 */
public final class TenantConfigJson {
    private static final Set<String> KEYS = Arrays.stream(TenantConfigField.values())
            .map(TenantConfigField::key)
            .collect(Collectors.toUnmodifiableSet());

    private static final Set<String> EVICTION_KEYS_NO_EVICTION = Set.of("kind");
    private static final Set<String> EVICTION_KEYS_THRESHOLD = Set.of("kind", "period", "threshold");

    private TenantConfigJson() {
    }

    /** The keys a body that embeds the settings flattened may hold: every setting's plus {@code extra}. */
    public static Set<String> keysWith(String... extra) {
        Set<String> all = new HashSet<>(KEYS);
        all.addAll(Set.of(extra));
        return Set.copyOf(all);
    }

    /** Reads every setting the body sets; absent and null fields are left unset. */
    public static TenantConfOverrides parse(JsonBody body) {
        Map<TenantConfigField, Object> values = new EnumMap<>(TenantConfigField.class);
        for (TenantConfigField field : TenantConfigField.values()) {
            body.get(field.key()).ifPresent(node -> values.put(field, parseValue(field, node)));
        }
        try {
            return TenantConfOverrides.of(values);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest(e.getMessage());
        }
    }

    static Object parseValue(TenantConfigField field, JsonNode node) {
        String key = field.key();
        return switch (field.kind()) {
            case U64 -> integer(field, node, 0);
            case NON_ZERO_U64 -> integer(field, node, 1);
            case DURATION -> duration(key, node);
            case BOOL -> {
                if (!node.isBoolean()) {
                    throw JsonBody.invalid(key, "invalid type: " + JsonBody.describe(node) + ", expected a boolean");
                }
                yield node.getBooleanValue();
            }
            case EVICTION_POLICY -> evictionPolicy(key, node);
        };
    }

    private static long integer(TenantConfigField field, JsonNode node, long min) {
        JsonNode number = node;
        if (field == TenantConfigField.COMPACTION_THRESHOLD && node.isString()) {
            String text = node.getStringValue();
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw JsonBody.invalid(field.key(), "expected an integer or a string of digits, got "
                        + JsonBody.describe(node));
            }
            number = JsonNode.createNumberNode(new BigInteger(text));
        }
        long value = JsonBody.unsigned(field.key(), number, Long.MAX_VALUE, "u64");
        if (value < min) {
            throw JsonBody.invalid(field.key(), "invalid value: integer `" + value + "`, expected a non-zero u64");
        }
        return value;
    }

    private static Duration duration(String key, JsonNode node) {
        if (!node.isString()) {
            throw JsonBody.invalid(key, "invalid type: " + JsonBody.describe(node)
                    + ", expected a duration string such as \"1h\"");
        }
        try {
            return HumanDuration.parse(node.getStringValue());
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("Cannot parse `" + key + "` duration \"" + node.getStringValue()
                    + "\": " + e.getMessage());
        }
    }

    /** Neon's internally tagged enum: {@code {"kind": "NoEviction"}} or {@code {"kind": "LayerAccessThreshold", ...}}. */
    private static EvictionPolicy evictionPolicy(String key, JsonNode node) {
        if (!node.isObject()) {
            throw JsonBody.invalid(key, "invalid type: " + JsonBody.describe(node) + ", expected an object with `kind`");
        }
        JsonNode kind = node.get("kind");
        String kindText = kind != null && kind.isString() ? kind.getStringValue() : null;
        if ("NoEviction".equals(kindText)) {
            rejectUnknown(key, node, EVICTION_KEYS_NO_EVICTION);
            return EvictionPolicy.NO_EVICTION;
        }
        if ("LayerAccessThreshold".equals(kindText)) {
            rejectUnknown(key, node, EVICTION_KEYS_THRESHOLD);
            return new EvictionPolicy.LayerAccessThreshold(
                    duration(key + ".period", required(key, node, "period")),
                    duration(key + ".threshold", required(key, node, "threshold")));
        }
        throw JsonBody.invalid(key, "unknown variant " + (kind == null ? "(no `kind`)" : JsonBody.describe(kind))
                + ", expected `NoEviction` or `LayerAccessThreshold`");
    }

    private static JsonNode required(String key, JsonNode object, String inner) {
        JsonNode value = object.get(inner);
        if (value == null || value.isNull()) {
            throw JsonBody.invalid(key, "missing field `" + inner + "`");
        }
        return value;
    }

    private static void rejectUnknown(String key, JsonNode object, Set<String> known) {
        for (Map.Entry<String, JsonNode> entry : object.entries()) {
            if (!known.contains(entry.getKey())) {
                throw JsonBody.invalid(key, "unknown field `" + entry.getKey() + "`");
            }
        }
    }

    /** Only the settings the tenant set itself. */
    public static JsonNode render(TenantConfOverrides overrides) {
        return renderAll(overrides.asMap());
    }

    /** Every setting, in the table's order; a setting without a value renders as null. */
    public static JsonNode render(TenantConfig effective) {
        return renderAll(effective.asMap());
    }

    private static JsonNode renderAll(Map<TenantConfigField, Object> values) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        values.forEach((field, value) -> out.put(field.key(), renderValue(field, value)));
        return JsonNode.createObjectNode(out);
    }

    static JsonNode renderValue(TenantConfigField field, Object value) {
        if (value == null) {
            return JsonNode.nullNode();
        }
        return switch (field.kind()) {
            case U64, NON_ZERO_U64 -> JsonNode.createNumberNode((Long) value);
            case DURATION -> JsonNode.createStringNode(HumanDuration.format((Duration) value));
            case BOOL -> JsonNode.createBooleanNode((Boolean) value);
            case EVICTION_POLICY -> renderEvictionPolicy((EvictionPolicy) value);
        };
    }

    private static JsonNode renderEvictionPolicy(EvictionPolicy policy) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (policy instanceof EvictionPolicy.LayerAccessThreshold threshold) {
            out.put("kind", JsonNode.createStringNode("LayerAccessThreshold"));
            out.put("period", JsonNode.createStringNode(HumanDuration.format(threshold.period())));
            out.put("threshold", JsonNode.createStringNode(HumanDuration.format(threshold.threshold())));
        } else {
            out.put("kind", JsonNode.createStringNode("NoEviction"));
        }
        return JsonNode.createObjectNode(out);
    }
}
