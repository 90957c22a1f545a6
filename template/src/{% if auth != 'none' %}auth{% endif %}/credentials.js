// Shared, framework-free: zod schemas credentials, username, password, noInput; normalizeUsername(value).
// The input contract of registration and sign-in. Usernames are normalized
// (NFKC, trimmed, lowercase) before they are checked, stored or used as a key, so
// "Alice" and "alice" are one account and one lockout counter.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

const USERNAME = /^[a-z0-9](?:[a-z0-9._@-]{1,62})[a-z0-9]$/;

/** @param {string} value */
export const normalizeUsername = (value) => value.normalize('NFKC').trim().toLowerCase();

export const username = z
  .string()
  .max(256, { error: 'must be at most 64 characters' })
  .transform(normalizeUsername)
  .pipe(
    z.string().regex(USERNAME, {
      error: 'must be 3-64 characters: letters, digits, ".", "_", "-" or "@", starting and ending with a letter or digit',
    }),
  );

// Length in characters (code points), not UTF-16 units; no composition rules.
export const password = z.string().refine(
  (value) => {
    const length = [...value].length;
    return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
  },
  { error: `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (15 or more advised)` },
);

export const credentials = z.strictObject({ username, password });

export const noInput = z.strictObject({});
