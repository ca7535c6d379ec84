package org.pageserver.adapters.http.json;

import io.micronaut.json.tree.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pageserver.application.port.in.LayerMapInfo;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.layer.LayerName;

/**
 * The layer endpoint's JSON, in Neon's shape: {@code in_memory_layers} and {@code historic_layers},
 * each layer file with its kind, name, size, LSN range, whether it is remote only, and its access
 * statistics (simpler than Neon's: the last access and the last change of residence).
 */
public final class LayerJson {

    private LayerJson() {
    }

    public static JsonNode layerMap(LayerMapInfo info) {
        List<JsonNode> inMemory = new ArrayList<>();
        for (LayerMapInfo.InMemory layer : info.inMemory()) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            out.put("kind", JsonNode.createStringNode(layer.frozen() ? "Frozen" : "Open"));
            out.put("lsn_start", ApiJson.lsn(layer.lsnStart()));
            if (layer.lsnEnd() != null) {
                out.put("lsn_end", ApiJson.lsn(layer.lsnEnd()));
            }
            inMemory.add(JsonNode.createObjectNode(out));
        }
        List<JsonNode> historic = new ArrayList<>();
        for (LayerMapInfo.Historic layer : info.historic()) {
            LayerName name = layer.layer().name();
            Map<String, JsonNode> out = new LinkedHashMap<>();
            out.put("kind", JsonNode.createStringNode(name.image() ? "Image" : "Delta"));
            out.put("layer_file_name", JsonNode.createStringNode(name.fileName()));
            out.put("layer_file_size", JsonNode.createNumberNode(layer.layer().fileSize()));
            out.put("lsn_start", ApiJson.lsn(name.lsnStart()));
            if (!name.image()) {
                out.put("lsn_end", ApiJson.lsn(name.lsnEnd()));
            }
            out.put("remote", JsonNode.createBooleanNode(!layer.resident()));
            out.put("access_stats", accessStats(layer));
            historic.add(JsonNode.createObjectNode(out));
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("in_memory_layers", JsonNode.createArrayNode(inMemory));
        out.put("historic_layers", JsonNode.createArrayNode(historic));
        return JsonNode.createObjectNode(out);
    }

    private static JsonNode accessStats(LayerMapInfo.Historic layer) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("last_access", time(layer.lastAccess()));
        LayerMapInfo.ResidenceChange change = layer.lastResidenceChange();
        if (change == null) {
            out.put("last_residence_change", JsonNode.nullNode());
        } else {
            Map<String, JsonNode> event = new LinkedHashMap<>();
            event.put("status", JsonNode.createStringNode(change.resident() ? "Resident" : "Evicted"));
            event.put("reason", JsonNode.createStringNode(change.reason()));
            event.put("timestamp", time(change.at()));
            out.put("last_residence_change", JsonNode.createObjectNode(event));
        }
        return JsonNode.createObjectNode(out);
    }

    private static JsonNode time(Instant at) {
        return at == null ? JsonNode.nullNode() : JsonNode.createStringNode(at.toString());
    }

    /**
     * A layer file name from the path.
     *
     * @throws PageserverException BAD_REQUEST naming what is wrong
     */
    public static LayerName layerName(String text) {
        try {
            return LayerName.parse(text);
        } catch (IllegalArgumentException e) {
            throw PageserverException.badRequest("invalid layer file name: " + e.getMessage());
        }
    }
}
