-- The audit trail: one chain of entries, each holding the hash of the one before it
-- (audit/chain.rs), appended in the same transaction as the change it records.
-- audit_head is the chain's end: one row, locked by each append, so that instances writing at
-- once still make one chain; a file outside the database keeps an anchor of it (audit/anchor.rs).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_fingerprint TEXT NOT NULL,
    actor_national_id TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    structure_id TEXT,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    -- JSON texts, hashed as they are stored.
    before_value TEXT,
    after_value TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_structure ON audit_log (structure_id, seq);
CREATE INDEX audit_by_time ON audit_log (at);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
