// Shared, framework-free: deriveKey(rootSecret, purpose) → 32-byte Buffer, KEY_PURPOSES.
// Keys derived from the one root secret, APP_SECRET, with HKDF-SHA256: one label
// per purpose, so no key is ever used for two things and .env holds one secret.
// Changing APP_SECRET rotates them all (signs everyone out).
import { hkdfSync } from 'node:crypto';

const SALT = 'rampart key derivation v1';

/** Every purpose a key is derived for. New purpose, new label: never reuse one. */
export const KEY_PURPOSES = Object.freeze({
  sessionCookie: 'session cookie signature',
  accessToken: 'access token HS256',
});

/**
 * @param {string} rootSecret APP_SECRET
 * @param {string} purpose one of KEY_PURPOSES
 * @returns {Buffer} 32 bytes
 */
export function deriveKey(rootSecret, purpose) {
  if (!Object.values(KEY_PURPOSES).includes(purpose)) throw new Error(`unknown key purpose: ${purpose}`);
  return Buffer.from(hkdfSync('sha256', rootSecret, SALT, purpose, 32));
}
