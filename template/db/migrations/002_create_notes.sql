-- The example resource (src/notes/resource.*): notes owned by a user. Every query
-- filters on owner_id (src/resources/repository.*); seq orders the pages of a
-- list (keyset pagination); version makes a PATCH compare-and-set. Length limits
-- repeat the API's maximums (PostgreSQL counts characters, never more than JS).
CREATE TABLE notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (char_length(title) <= 200),
  body text CHECK (char_length(body) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_owner_seq ON notes (owner_id, seq DESC);
