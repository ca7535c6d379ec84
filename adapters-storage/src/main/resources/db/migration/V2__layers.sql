-- Layer file metadata: which layer files each timeline has, recorded in the same transaction that
-- advances the timeline's disk_consistent_lsn, so that after a crash the two always agree.
-- Runs unchanged on PostgreSQL 15 and on H2 2.x in PostgreSQL mode, as V1 does.

CREATE TABLE layer (
    tenant_id    CHAR(32)     NOT NULL,
    timeline_id  CHAR(32)     NOT NULL,
    -- LayerName.fileName(): the layer's identity and its name on disk and in remote storage.
    -- Room to spare for name forms other than the delta layer's 108 characters.
    file_name    VARCHAR(255) NOT NULL,
    -- The name's parts again, so that later queries can select by range without parsing names.
    -- Key.toHex(): fixed width and upper case, so text order is key order.
    key_start    CHAR(36)     NOT NULL,
    key_end      CHAR(36)     NOT NULL,
    -- Raw bits of Lsn.value(), negative at or above 2^63: never compare or sort them in SQL (see V1).
    lsn_start    BIGINT       NOT NULL,
    lsn_end      BIGINT       NOT NULL,
    file_size    BIGINT       NOT NULL CHECK (file_size >= 0),
    -- True when the file is on local disk, as it is after a flush; eviction will clear it.
    resident     BOOLEAN      NOT NULL,
    -- When a read last used the layer, for eviction; NULL until read statistics are kept.
    last_access  TIMESTAMP WITH TIME ZONE NULL,
    -- For operators only, as tenant.created_at.
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (tenant_id, timeline_id, file_name),
    -- Deleting a timeline, or a tenant through its timelines, removes the layer rows with it.
    FOREIGN KEY (tenant_id, timeline_id) REFERENCES timeline (tenant_id, timeline_id) ON DELETE CASCADE
);
