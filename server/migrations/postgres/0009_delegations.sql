-- Delegations (formerly paper form 502): the legal representative designates a mandataire, or
-- changes one for another (replaces_id), with a copy of the person's identity document; an
-- operator validates or rejects. The mandate (table mandates) starts at validation only.
CREATE TABLE delegations (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES structures (id),
    -- The designated person: the identifiant national of their card, or of the card ordered
    -- with the designation (order_id), and their names as given.
    person_id TEXT NOT NULL,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    replaces_id TEXT,
    order_id TEXT REFERENCES orders (id),
    status TEXT NOT NULL CHECK (status IN ('en_attente', 'validee', 'rejetee', 'retiree')),
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    -- What the list shows of the document (the bytes are in delegation_documents), and when its
    -- retention ends: set at the decision or the withdrawal.
    document_type TEXT NOT NULL,
    document_bytes BIGINT NOT NULL,
    document_delete_after BIGINT
);
-- One designation of a person waiting at a time in a structure: the database decides.
CREATE UNIQUE INDEX delegations_one_waiting ON delegations (structure_id, person_id)
    WHERE status = 'en_attente';
-- One change of a given mandataire waiting at a time (two would give two mandataires for one).
CREATE UNIQUE INDEX delegations_one_replacement_waiting ON delegations (structure_id, replaces_id)
    WHERE status = 'en_attente' AND replaces_id IS NOT NULL;
CREATE INDEX delegations_by_structure ON delegations (structure_id, requested_at);
CREATE INDEX delegations_by_status ON delegations (status, requested_at);

-- The copy of the identity document, apart from the rows that list delegations: only the
-- document route reads it (the operator, the structure's legal representative), and the jobs
-- delete it once delegations.document_delete_after has passed.
CREATE TABLE delegation_documents (
    delegation_id TEXT PRIMARY KEY REFERENCES delegations (id),
    media_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    sha256 TEXT NOT NULL
);
