-- Attempts counted against the limits (auth/attempts.rs): failed logins and uploads, by card
-- and by address, shared by every instance on the database. Rows older than a day are purged.
CREATE TABLE attempts (
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX attempts_by_bucket ON attempts (bucket, at);
