// The one place request input is checked against zod schemas. Valid, typed
// values land in res.locals.input (Express 5's req.query is a read-only getter);
// failures become a 400 with one entry per problem and no internals.
import { HttpError } from './errors.js';

const MAX_DETAILS = 20;

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
 */
export function validate(schemas) {
  const parts = Object.entries(schemas);
  return function validateRequest(req, res, next) {
    const valid = [];
    const details = [];
    for (const [location, schema] of parts) {
      const source = location === 'params' ? req.params : location === 'query' ? req.query : req.body;
      const result = schema.safeParse(source);
      if (result.success) {
        valid.push([location, result.data]);
      } else {
        details.push(...toDetails(location, result.error.issues));
      }
    }
    if (details.length > 0) {
      next(new HttpError(400, 'validation_failed', 'Request validation failed', { details: details.slice(0, MAX_DETAILS) }));
      return;
    }
    res.locals.input = Object.fromEntries(valid);
    next();
  };
}
