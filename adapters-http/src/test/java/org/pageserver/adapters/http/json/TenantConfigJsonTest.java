package org.pageserver.adapters.http.json;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.config.EvictionPolicy;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfig;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantConfigJsonTest {
    private static final JsonMapper MAPPER = JsonMapper.createDefault();

    private static TenantConfOverrides parse(String json) {
        return TenantConfigJson.parse(JsonBody.parse(MAPPER, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String rejected(String json) {
        PageserverException e = assertThrows(PageserverException.class, () -> parse(json));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        return e.getMessage();
    }

    @Test
    void readsEveryKind() {
        TenantConfOverrides o = parse("""
                {"checkpoint_distance": 1000, "max_lsn_wal_lag": 1, "gc_period": "2h 13m",
                 "trace_read_requests": true,
                 "eviction_policy": {"kind": "LayerAccessThreshold", "period": "1h", "threshold": "1day"}}""");
        assertEquals(Map.of(
                TenantConfigField.CHECKPOINT_DISTANCE, 1000L,
                TenantConfigField.MAX_LSN_WAL_LAG, 1L,
                TenantConfigField.GC_PERIOD, Duration.ofMinutes(133),
                TenantConfigField.TRACE_READ_REQUESTS, true,
                TenantConfigField.EVICTION_POLICY,
                new EvictionPolicy.LayerAccessThreshold(Duration.ofHours(1), Duration.ofDays(1))), o.asMap());
        assertEquals(EvictionPolicy.NO_EVICTION,
                parse("{\"eviction_policy\": {\"kind\": \"NoEviction\"}}").get(TenantConfigField.EVICTION_POLICY).get());
    }

    @Test
    void nullMeansNotSetAndOtherFieldsAreIgnoredHere() {
        assertTrue(parse("{\"gc_horizon\": null, \"tenant_id\": \"x\"}").isEmpty());
    }

    @Test
    void u64IsStrict() {
        assertTrue(rejected("{\"checkpoint_distance\": \"20000\"}").contains("`checkpoint_distance`"));
        assertTrue(rejected("{\"checkpoint_distance\": -1}").contains("`checkpoint_distance`"));
        assertTrue(rejected("{\"checkpoint_distance\": 1.5}").contains("floating point"));
        assertTrue(rejected("{\"checkpoint_distance\": true}").contains("boolean"));
        assertTrue(rejected("{\"checkpoint_distance\": 18446744073709551615}").contains("`checkpoint_distance`"));
        assertTrue(rejected("{\"max_lsn_wal_lag\": 0}").contains("non-zero"));
    }

    @Test
    void compactionThresholdAlsoTakesAStringOfDigits() {
        assertEquals(12L, parse("{\"compaction_threshold\": \"12\"}").get(TenantConfigField.COMPACTION_THRESHOLD).get());
        assertEquals(12L, parse("{\"compaction_threshold\": 12}").get(TenantConfigField.COMPACTION_THRESHOLD).get());
        assertTrue(rejected("{\"compaction_threshold\": \"-1\"}").contains("`compaction_threshold`"));
        assertTrue(rejected("{\"compaction_threshold\": \"\"}").contains("`compaction_threshold`"));
        assertTrue(rejected("{\"compaction_threshold\": \"1e3\"}").contains("`compaction_threshold`"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h", "10 m", "7days", "2h 13m", "30sec", "0s"})
    void humantimeDurationsAreAccepted(String text) {
        parse("{\"pitr_interval\": \"" + text + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "x", "", "1 fortnight", "-1h"})
    void otherDurationsAreRefusedNamingTheField(String text) {
        String msg = rejected("{\"gc_period\": \"" + text + "\"}");
        assertTrue(msg.startsWith("Cannot parse `gc_period` duration \"" + text + "\""), msg);
    }

    @Test
    void durationMustBeAString() {
        assertTrue(rejected("{\"gc_period\": 3600}").contains("`gc_period`"));
    }

    @Test
    void boolMustBeABoolean() {
        assertTrue(rejected("{\"gc_feedback\": \"true\"}").contains("`gc_feedback`"));
    }

    @Test
    void evictionPolicyIsChecked() {
        assertTrue(rejected("{\"eviction_policy\": \"NoEviction\"}").contains("`eviction_policy`"));
        assertTrue(rejected("{\"eviction_policy\": {\"kind\": \"Sometimes\"}}").contains("unknown variant"));
        assertTrue(rejected("{\"eviction_policy\": {\"kind\": \"LayerAccessThreshold\", \"period\": \"1h\"}}")
                .contains("missing field `threshold`"));
        assertTrue(rejected("{\"eviction_policy\": {\"kind\": \"LayerAccessThreshold\", \"period\": \"x\","
                + " \"threshold\": \"1h\"}}").startsWith("Cannot parse `eviction_policy.period` duration"));
        assertTrue(rejected("{\"eviction_policy\": {\"kind\": \"NoEviction\", \"x\": 1}}").contains("unknown field `x`"));
    }

    @Test
    void rendersEveryFieldOfTheEffectiveConfigInTableOrder() {
        JsonNode rendered = TenantConfigJson.render(TenantConfig.builtInDefaults());
        assertEquals(TenantConfigField.values().length, rendered.size());
        int i = 0;
        for (Map.Entry<String, JsonNode> entry : rendered.entries()) {
            assertEquals(TenantConfigField.values()[i++].key(), entry.getKey());
        }
        assertEquals("10m", rendered.get("checkpoint_timeout").getStringValue());
        assertEquals("7days", rendered.get("pitr_interval").getStringValue());
        assertEquals("1day", rendered.get("evictions_low_residence_duration_metric_threshold").getStringValue());
        assertEquals(10L, rendered.get("compaction_threshold").getLongValue());
        assertTrue(rendered.get("min_resident_size_override").isNull());
        assertEquals("NoEviction", rendered.get("eviction_policy").get("kind").getStringValue());
    }

    @Test
    void renderThenParseGivesTheSameOverrides() throws Exception {
        TenantConfOverrides original = parse("""
                {"checkpoint_timeout": "80s", "compaction_threshold": "7", "gc_feedback": true,
                 "eviction_policy": {"kind": "LayerAccessThreshold", "period": "1h", "threshold": "7days"},
                 "min_resident_size_override": 0}""");
        String text = MAPPER.writeValueAsString(TenantConfigJson.render(original));
        assertTrue(text.contains("\"checkpoint_timeout\":\"1m 20s\""), text);
        assertTrue(text.contains("\"compaction_threshold\":7"), text);
        assertEquals(original, parse(text));
    }
}
