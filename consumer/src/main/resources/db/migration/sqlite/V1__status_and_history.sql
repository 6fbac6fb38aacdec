-- Each negotiation's current status, as folded from its status changes; every update is guarded by version.
CREATE TABLE negotiation_status (
    negotiation_id TEXT    PRIMARY KEY,
    version        INTEGER NOT NULL,
    phase          TEXT,
    known_at       TEXT    NOT NULL -- ISO-8601 instant: reported_at of the development behind the latest change
);

-- The items of each negotiation's current view ('phase', 'meeting:...', 'position:...'), each as JSON.
CREATE TABLE negotiation_status_item (
    negotiation_id TEXT    NOT NULL,
    item           TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (negotiation_id, item)
);

-- Every status change, written once and never updated.
CREATE TABLE status_change (
    negotiation_id TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    from_version   INTEGER NOT NULL,
    known_at       TEXT    NOT NULL,
    kinds          TEXT    NOT NULL, -- JSON array of the kinds of change, e.g. ["MEETING_HELD"]
    caused_by      TEXT    NOT NULL, -- JSON array of development ids
    changes        TEXT    NOT NULL, -- JSON array of {kind, item, before, after}
    replayed       BOOLEAN NOT NULL,
    PRIMARY KEY (negotiation_id, version)
);
