// Shared, framework-free: createUserRepository(db) → { create, findById, findCredentials, replacePasswordHash, list }.
// User repository. Every query is parameterized; the password hash leaves this
// module only through findCredentials(), for the sign-in check.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toUser = (row) => ({ id: row.id, username: row.username, role: row.role, createdAt: row.created_at.toISOString() });

/** @typedef {{ id: string, username: string, role: 'user' | 'admin', createdAt: string }} User */

/** @param {import('pg').Pool} db */
export function createUserRepository(db) {
  return {
    /**
     * Insert a user with the role 'user'; null when the username is taken.
     * @returns {Promise<User | null>}
     */
    async create({ username, passwordHash }) {
      const { rows } = await db.query(
        `INSERT INTO users (username, password_hash) VALUES ($1, $2)
         ON CONFLICT (username) DO NOTHING
         RETURNING id, username, role, created_at`,
        [username, passwordHash],
      );
      return rows.length === 1 ? toUser(rows[0]) : null;
    },

    /** @returns {Promise<User | null>} */
    async findById(id) {
      if (typeof id !== 'string' || !UUID.test(id)) return null;
      const { rows } = await db.query('SELECT id, username, role, created_at FROM users WHERE id = $1', [id]);
      return rows.length === 1 ? toUser(rows[0]) : null;
    },

    /** @returns {Promise<{ user: User, passwordHash: string } | null>} */
    async findCredentials(username) {
      const { rows } = await db.query(
        'SELECT id, username, role, created_at, password_hash FROM users WHERE username = $1',
        [username],
      );
      return rows.length === 1 ? { user: toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
    },

    /** Replace a hash, unless another login already did (compare-and-set). */
    async replacePasswordHash(id, previousHash, newHash) {
      await db.query('UPDATE users SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2', [
        id,
        previousHash,
        newHash,
      ]);
    },

    /** @returns {Promise<User[]>} oldest first */
    async list({ limit }) {
      const { rows } = await db.query('SELECT id, username, role, created_at FROM users ORDER BY created_at, id LIMIT $1', [
        limit,
      ]);
      return rows.map(toUser);
    },
  };
}

/** @typedef {ReturnType<typeof createUserRepository>} UserRepository */
