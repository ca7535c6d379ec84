-- The tenant lifecycle's marks. Runs unchanged on PostgreSQL 15 and H2 2.x, as V1 does.
-- ignored: an ignored tenant (POST /v1/tenant/{id}/ignore) keeps its rows and files but is not
-- loaded at start-up until a load clears the flag.
-- attaching: set while an attach records the tenant's timelines from remote storage, cleared once
-- all are recorded; a start that finds it set starts the attach over (its rows may be partial).
ALTER TABLE tenant ADD COLUMN ignored BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tenant ADD COLUMN attaching BOOLEAN NOT NULL DEFAULT FALSE;
