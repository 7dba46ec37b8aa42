-- Structures' coordinates, legal entities and the history of their changes.
-- A structure is an establishment (FINESS géographique, ET) or a legal entity (FINESS juridique,
-- EJ); an establishment names its legal entity, whose mandataires act for it (domain.md §1).
ALTER TABLE structures ADD COLUMN kind TEXT NOT NULL DEFAULT 'etablissement'
    CHECK (kind IN ('etablissement', 'entite_juridique'));
ALTER TABLE structures ADD COLUMN legal_entity_id TEXT REFERENCES structures (id);
-- Coordinates. The register's fields are folded into what a letter needs: one street line
-- (numvoie typvoie voie compvoie), a complement (compldistrib, lieuditbp) and the postal line
-- (ligneacheminement, e.g. « 01440 VIRIAT »). E-mail is never in the register: local only.
ALTER TABLE structures ADD COLUMN address_line TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN address_complement TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN postal_line TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN email TEXT NOT NULL DEFAULT '';
-- From the register only: its category label, its coordinates (« x;y;source » of the
-- geolocalisation record) and the date of the register's last change (datemaj).
ALTER TABLE structures ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN geolocation TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN register_updated_on TEXT NOT NULL DEFAULT '';
CREATE INDEX structures_by_legal_entity ON structures (legal_entity_id);

-- One row per field changed: by a mandataire (source 'modification', with who) or by a register
-- import (source 'registre', with the extract's date), so the structure's page shows each
-- override of a local edit with its before and after.
CREATE TABLE structure_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    structure_id TEXT NOT NULL REFERENCES structures (id),
    at BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('registre', 'modification')),
    register_date TEXT,
    actor_national_id TEXT,
    field TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL
);
CREATE INDEX structure_history_by_structure ON structure_history (structure_id, id);
