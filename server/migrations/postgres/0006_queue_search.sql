-- What the back-office shows and searches of a line: the holder's civility (read from the
-- operation), and the holder's and the structure's names in their search form
-- (shared::text::search_key: lower case, no accents), so that « helene » finds « Hélène » with
-- the same plain comparison on SQLite and PostgreSQL. Rows written before this migration are
-- given their keys by the server at start-up (orders::store::fill_search_keys).
ALTER TABLE order_lines ADD COLUMN civility TEXT;
ALTER TABLE order_lines ADD COLUMN holder_key TEXT NOT NULL DEFAULT '';
ALTER TABLE structures ADD COLUMN name_key TEXT NOT NULL DEFAULT '';

-- The queue is read oldest first, a page after another (keyset on submission time, order, line).
CREATE INDEX orders_by_submission ON orders (submitted_at, id);
