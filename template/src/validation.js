// Shared, framework-free: request input checks.
//   checkInput(schemas, read) → { input } | { error: HttpError }  zod schemas per request part → typed values or a 400
//   validationFailure([[location, issues], ...]) → HttpError       zod issues (checked elsewhere, e.g. by Fastify) → the same 400
//   forbiddenKeyError(body) → HttpError | null                     keys that could reach a prototype → 400
// Failures name the field and the problem, never internals; at most MAX_DETAILS entries.
import { HttpError } from './errors.js';

const MAX_DETAILS = 20;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function toDetails(location, issues) {
  return issues.flatMap((issue) => {
    const field = [location, ...issue.path].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${field}.${key}`.slice(0, 100), issue: 'unknown_field', message: 'Unknown field' }));
    }
    return [{ field: field.slice(0, 100), issue: issue.code, message: issue.message }];
  });
}

/**
 * @param {object} schemas one zod schema per request part to check
 * @param {import('zod').ZodType} [schemas.params]
 * @param {import('zod').ZodType} [schemas.query]
 * @param {import('zod').ZodType} [schemas.body]
 * @param {(location: 'params' | 'query' | 'body') => unknown} read the raw value of a part (only checked parts are read)
 * @returns {{ input: Record<string, unknown> } | { error: HttpError }}
 */
export function checkInput(schemas, read) {
  const valid = [];
  const failures = [];
  for (const [location, schema] of Object.entries(schemas)) {
    const result = schema.safeParse(read(location));
    if (result.success) {
      valid.push([location, result.data]);
    } else {
      failures.push([location, result.error.issues]);
    }
  }
  if (failures.length > 0) return { error: validationFailure(failures) };
  return { input: Object.fromEntries(valid) };
}

/**
 * The 400 for input that failed its schemas: one detail per problem.
 * @param {[string, { code: string, path: PropertyKey[], message: string, keys?: string[] }[]][]} failures
 *   [location ('params' | 'query' | 'body'), zod issues] per failed request part
 */
export function validationFailure(failures) {
  const details = failures.flatMap(([location, issues]) => toDetails(location, issues));
  return new HttpError(400, 'validation_failed', 'Request validation failed', { details: details.slice(0, MAX_DETAILS) });
}

// Iterative walk: a deeply nested body cannot overflow the stack.
function findForbiddenKey(root) {
  const pending = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push(child);
    }
  }
  return null;
}

/**
 * A parsed body with a key that could reach an object's prototype when the body
 * is later merged or copied (prototype pollution) is refused.
 * @param {unknown} body
 */
export function forbiddenKeyError(body) {
  if (findForbiddenKey(body) === null) return null;
  return new HttpError(400, 'forbidden_key', 'Request body contains a forbidden key (__proto__, constructor or prototype)');
}
