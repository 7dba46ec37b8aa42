-- Orders (one per submitted file or form), their lines and the cards issued for them.

-- What TOM knows of the cards it issued, for the structure's fleet.
ALTER TABLE cards ADD COLUMN structure_id TEXT;
ALTER TABLE cards ADD COLUMN family_name TEXT;
ALTER TABLE cards ADD COLUMN given_name TEXT;
ALTER TABLE cards ADD COLUMN not_after BIGINT;
ALTER TABLE cards ADD COLUMN issued_at BIGINT;
CREATE INDEX cards_by_structure ON cards (structure_id);

-- One submitted order. The idempotency key (sent by the client) and the SHA-256 of the file
-- (computed by the server) are both unique per structure: a retry or the same file sent twice
-- finds the first order instead of creating a second one.
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    structure_id TEXT NOT NULL REFERENCES structures (id),
    source TEXT NOT NULL CHECK (source IN ('formulaire', 'fichier')),
    issuer_reference TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    line_count BIGINT NOT NULL,
    UNIQUE (structure_id, idempotency_key),
    UNIQUE (structure_id, content_sha256)
);
CREATE INDEX orders_by_structure ON orders (structure_id, submitted_at);

-- One operation of an order and where it stands. `status` is derived from the timestamps by
-- shared::tracking and kept here for filtering.
CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    line_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    card_type TEXT,
    holder TEXT NOT NULL,
    matricule TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    needs_document BOOLEAN NOT NULL,
    document_at BIGINT,
    accepted_at BIGINT,
    rejected_at BIGINT,
    fabricated_at BIGINT,
    card_shipped_at BIGINT,
    codes_shipped_at BIGINT,
    delivered_at BIGINT,
    card_serial TEXT,
    card_national_id TEXT,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_by_status ON order_lines (status);

-- The supporting document a regulated profession's CPS waits for.
CREATE TABLE line_documents (
    order_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    PRIMARY KEY (order_id, line_no),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);

-- What fabrication produced: the card (PKCS#12, protected by the PIN) and the PIN letter (PDF).
-- They stand for the physical card and letter; only operators can download them.
CREATE TABLE line_deliverables (
    order_id TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    pkcs12 BYTEA NOT NULL,
    pin_letter BYTEA NOT NULL,
    PRIMARY KEY (order_id, line_no),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);
