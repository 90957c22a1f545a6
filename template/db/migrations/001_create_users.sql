-- Accounts that can sign in. Usernames are stored normalized (NFKC, lowercase) and
-- unique; passwords only as argon2id PHC strings. Every account starts with the role
-- 'user': nobody is an administrator until promoted explicitly, e.g.
--   UPDATE users SET role = 'admin' WHERE username = 'alice';
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (char_length(username) BETWEEN 3 AND 64),
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
