-- Tenant and timeline metadata: what this node must remember across restarts.
-- Runs unchanged on PostgreSQL 15 and on H2 2.x in PostgreSQL mode
-- (MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH), so it sticks to types and
-- clauses both understand. Ids are the 32 lower-case hex characters of TenantId/TimelineId.
-- Layer file metadata follows in V2.

CREATE TABLE tenant (
    tenant_id   CHAR(32)  NOT NULL PRIMARY KEY,
    -- Generation is a u32, which fits a BIGINT without sign tricks; NULL = attached without one.
    generation  BIGINT    NULL,
    deleting    BOOLEAN   NOT NULL,
    -- For operators only; the code never reads it. WITH TIME ZONE so that the value keeps its
    -- meaning when the server's time zone changes.
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per setting the tenant overrides; a setting without a row takes the server default.
-- field is TenantConfigField.key(), value_text its TenantConfigField.toText() form, so a new
-- setting needs no migration. Not plain "value": that is a reserved word in H2.
CREATE TABLE tenant_config_override (
    tenant_id  CHAR(32)     NOT NULL REFERENCES tenant (tenant_id) ON DELETE CASCADE,
    field      VARCHAR(128) NOT NULL,
    value_text TEXT         NOT NULL,
    PRIMARY KEY (tenant_id, field)
);

-- LSNs are unsigned 64-bit; each *_lsn column holds the bits of Lsn.value() in a signed BIGINT, so
-- an LSN at or above 2^63 is stored as a negative number. SQL must therefore never compare or sort
-- by these columns: all LSN arithmetic and ordering happens in Java (Lsn compares unsigned).
CREATE TABLE timeline (
    tenant_id              CHAR(32) NOT NULL REFERENCES tenant (tenant_id) ON DELETE CASCADE,
    timeline_id            CHAR(32) NOT NULL,
    -- No foreign key to the ancestor row: the branch tree's rules (no deleting a timeline that
    -- still has children) live in the application, and a key here would only reorder its saves.
    ancestor_timeline_id   CHAR(32) NULL,
    ancestor_lsn           BIGINT   NOT NULL,
    initdb_lsn             BIGINT   NOT NULL,
    last_record_lsn        BIGINT   NOT NULL,
    prev_record_lsn        BIGINT   NOT NULL,
    disk_consistent_lsn    BIGINT   NOT NULL,
    remote_consistent_lsn  BIGINT   NOT NULL,
    latest_gc_cutoff_lsn   BIGINT   NOT NULL,
    pg_version             INT      NOT NULL,
    deleting               BOOLEAN  NOT NULL,
    PRIMARY KEY (tenant_id, timeline_id)
);
