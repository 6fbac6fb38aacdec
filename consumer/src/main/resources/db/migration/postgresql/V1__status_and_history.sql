-- Each negotiation's current status, as folded from its status changes; every update is guarded by version.
CREATE TABLE negotiation_status (
    negotiation_id TEXT        PRIMARY KEY,
    version        BIGINT      NOT NULL,
    phase          TEXT,
    known_at       TIMESTAMPTZ NOT NULL -- reported_at of the development behind the latest change
);

-- The items of each negotiation's current view ('phase', 'meeting:...', 'position:...'), each as JSON.
CREATE TABLE negotiation_status_item (
    negotiation_id TEXT   NOT NULL,
    item           TEXT   NOT NULL,
    kind           TEXT   NOT NULL,
    value          JSONB  NOT NULL,
    version        BIGINT NOT NULL,
    PRIMARY KEY (negotiation_id, item)
);

-- Every status change, written once and never updated.
CREATE TABLE status_change (
    negotiation_id TEXT        NOT NULL,
    version        BIGINT      NOT NULL,
    from_version   BIGINT      NOT NULL,
    known_at       TIMESTAMPTZ NOT NULL,
    kinds          JSONB       NOT NULL, -- the kinds of change, e.g. ["MEETING_HELD"]
    caused_by      JSONB       NOT NULL, -- development ids
    changes        JSONB       NOT NULL, -- [{kind, item, before, after}]
    replayed       BOOLEAN     NOT NULL,
    PRIMARY KEY (negotiation_id, version)
);

CREATE INDEX status_change_known_at ON status_change (known_at);
