package org.pageserver.application.remote;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pageserver.application.port.out.RemoteStorage;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.remote.IndexPart;
import org.pageserver.domain.remote.IndexPartJson;
import org.pageserver.domain.remote.RemotePath;

/** What remote storage holds of a whole tenant, for an attach: its timelines' indexes and its newest generation. */
public final class RemoteTenant {
    private RemoteTenant() {
    }

    /**
     * The newest index of each timeline of a tenant whose generation is not above {@code generation}:
     * what an attach builds the tenant from.
     *
     * @throws IllegalStateException naming the object if an index is damaged
     */
    public static List<IndexPart> tenantIndexes(RemoteStorage storage, TenantId tenant, Generation generation) {
        Map<TimelineId, RemotePath> newest = new TreeMap<>(Comparator.comparing(TimelineId::hex));
        for (RemoteStorage.RemoteObject object : storage.list(RemotePath.tenant(tenant))) {
            Generation g = object.path().indexGeneration();
            String[] parts = object.path().value().split("/");
            if (g == null || g.compareTo(generation) > 0 || parts.length != 5 || !parts[2].equals("timelines")) {
                continue;
            }
            TimelineId timeline = TimelineId.parse(parts[3]);
            RemotePath known = newest.get(timeline);
            if (known == null || g.compareTo(known.indexGeneration()) > 0) {
                newest.put(timeline, object.path());
            }
        }
        List<IndexPart> indexes = new ArrayList<>();
        for (RemotePath path : newest.values()) {
            try {
                IndexPart index = IndexPartJson.read(storage.download(path));
                if (!index.tenantId().equals(tenant) || !path.isUnder(RemotePath.timeline(tenant, index.timelineId()))) {
                    throw new IllegalArgumentException("it describes timeline " + index.tenantId() + "/" + index.timelineId());
                }
                indexes.add(index);
            } catch (IllegalArgumentException e) {
                // Without the cause: the reason shown is this one, naming the object.
                throw new IllegalStateException("remote index " + path + " is damaged: " + e.getMessage());
            }
        }
        return indexes;
    }

    /** The newest generation of any index of the tenant in remote storage, or null if it has none. */
    public static Generation newestGeneration(RemoteStorage storage, TenantId tenant) {
        Generation newest = null;
        for (RemoteStorage.RemoteObject object : storage.list(RemotePath.tenant(tenant))) {
            Generation g = object.path().indexGeneration();
            if (g != null && (newest == null || g.compareTo(newest) > 0)) {
                newest = g;
            }
        }
        return newest;
    }

}
