-- The fleet: what TOM knows of each card's holder and where each card stands (issue 12).

-- The holder as the order gave them (JSON of shared::fleet::HolderRecord), their matricule in
-- the structure and profession code (for the file operations and filters), the card's state
-- (active, opposee, fin_exercice, remplacee; "expired" is derived from not_after), its
-- revocation, a scheduled end of exercise, and the name as searched (shared::fleet::name_key).
ALTER TABLE cards ADD COLUMN matricule TEXT;
ALTER TABLE cards ADD COLUMN profession TEXT;
ALTER TABLE cards ADD COLUMN holder TEXT;
ALTER TABLE cards ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE cards ADD COLUMN revoked_at BIGINT;
ALTER TABLE cards ADD COLUMN revocation_reason TEXT;
ALTER TABLE cards ADD COLUMN end_at BIGINT;
ALTER TABLE cards ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE cards SET name_key = UPPER(COALESCE(family_name, '') || ' ' || COALESCE(given_name, ''));
-- The fleet list's order and keyset (name, then serial), the expiry chart and the identifiers.
CREATE INDEX cards_fleet ON cards (structure_id, name_key, serial);
CREATE INDEX cards_fleet_expiry ON cards (structure_id, not_after);
CREATE INDEX cards_by_matricule ON cards (structure_id, matricule);
CREATE INDEX cards_end_due ON cards (end_at) WHERE end_at IS NOT NULL;

-- A card order line made to replace a card (renewal, malfunction, loss, theft): which card
-- and why; a malfunctioning card is revoked (superseded) when its replacement is fabricated.
ALTER TABLE order_lines ADD COLUMN replaces_serial TEXT;
ALTER TABLE order_lines ADD COLUMN replaces_reason TEXT;
CREATE INDEX order_lines_by_replaced ON order_lines (replaces_serial);

-- A card's history is read from the audit trail by its object ("carte <serial>").
CREATE INDEX audit_by_object ON audit_log (object, seq);
-- The line that produced a card (its fabrication in the card's history).
CREATE INDEX order_lines_by_card ON order_lines (card_serial);
