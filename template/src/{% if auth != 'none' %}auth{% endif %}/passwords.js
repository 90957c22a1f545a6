// Shared, framework-free: hashPassword, verifyPassword, needsRehash, verifyDummy,
// ARGON2_PARAMS, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH.
// Password hashing: argon2id (@node-rs/argon2, prebuilt, no install scripts).
// The parameters live here and only here. Hashes made with other parameters are
// upgraded on the user's next successful sign-in (see needsRehash, sign-in.js).
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';

// Algorithm.Argon2id. The library declares Algorithm as a TypeScript const enum,
// which does not exist at run time, so the value is spelled out.
const ARGON2ID = 2;
// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
export const ARGON2_PARAMS = Object.freeze({ algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

// NIST SP 800-63B: at least 8 characters (15 advised), allow at least 64, no
// composition rules. The upper bound keeps hashing cost bounded.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// The same password typed on different keyboards/OSes can arrive in different
// Unicode forms; hash one canonical form.
const canonical = (password) => password.normalize('NFKC');

/** @param {string} password */
export function hashPassword(password) {
  return hash(canonical(password), ARGON2_PARAMS);
}

/**
 * @param {string} storedHash PHC string
 * @param {string} password
 */
export async function verifyPassword(storedHash, password) {
  try {
    return await verify(storedHash, canonical(password));
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

/** True when a stored hash was made with other parameters than ARGON2_PARAMS. */
export function needsRehash(storedHash) {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== ARGON2_PARAMS.algorithm ||
      used.memoryCost !== ARGON2_PARAMS.memoryCost ||
      used.timeCost !== ARGON2_PARAMS.timeCost ||
      used.parallelism !== ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}

let dummyHash;
/**
 * Spend the same time as a real check when the username does not exist, so the
 * answer time does not tell whether an account exists. Always false.
 * @param {string} password
 */
export async function verifyDummy(password) {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}
