-- A structure's contract with the issuing service (contract + form F101), registered by an
-- operator with its legal representative: the first card holder of the structure, who can then
-- designate mandataires. One contract per structure (domain.md §1: a new FINESS or SIRET needs
-- a new contract, hence a new structure).
CREATE TABLE contracts (
    structure_id TEXT PRIMARY KEY REFERENCES structures (id),
    legal_representative_id TEXT NOT NULL REFERENCES persons (national_id),
    registered_at BIGINT NOT NULL,
    registered_by TEXT NOT NULL
);
