-- Structures, people, mandates, cards TOM knows, operators, sessions and CRLs.
-- Times are Unix seconds (BIGINT) so that SQLite and PostgreSQL share one set of queries.

-- A structure is keyed by its identifiant national (TRE_G07 prefix + FINESS or SIRET).
CREATE TABLE structures (
    id TEXT PRIMARY KEY,
    finess TEXT,
    siret TEXT,
    name TEXT NOT NULL
);

CREATE TABLE persons (
    national_id TEXT PRIMARY KEY,
    family_name TEXT NOT NULL,
    given_name TEXT NOT NULL
);

-- One row per (person, structure, role); an ended mandate keeps its row with end_at set.
CREATE TABLE mandates (
    person_id TEXT NOT NULL REFERENCES persons (national_id),
    structure_id TEXT NOT NULL REFERENCES structures (id),
    role TEXT NOT NULL CHECK (role IN ('representant_legal', 'mandataire')),
    start_at BIGINT NOT NULL,
    end_at BIGINT,
    PRIMARY KEY (person_id, structure_id, role)
);

-- Cards TOM issued, so that the card type is known rather than guessed (domain.md §3).
CREATE TABLE cards (
    issuer TEXT NOT NULL,
    serial TEXT NOT NULL,
    national_id TEXT NOT NULL,
    card_type TEXT NOT NULL,
    PRIMARY KEY (issuer, serial)
);

CREATE TABLE operators (
    national_id TEXT PRIMARY KEY
);

-- Sessions are shared by every instance. Only a hash of the cookie is stored; the session is
-- bound to the certificate's SHA-256 fingerprint.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);

-- The newest verified CRL per issuer, so that every instance applies the same revocations.
CREATE TABLE crls (
    issuer TEXT PRIMARY KEY,
    number BIGINT NOT NULL,
    der BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);
