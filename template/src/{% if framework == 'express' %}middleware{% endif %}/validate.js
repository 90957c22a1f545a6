// The one place request input is checked against zod schemas (../validation.js).
// Valid, typed values land in res.locals.input (Express 5's req.query is a
// read-only getter); failures become a 400 with one entry per problem.
import { checkInput } from '../validation.js';

/** @param {Parameters<typeof checkInput>[0]} schemas */
export function validate(schemas) {
  return function validateRequest(req, res, next) {
    const result = checkInput(schemas, (location) =>
      location === 'params' ? req.params : location === 'query' ? req.query : req.body,
    );
    if (result.error) {
      next(result.error);
      return;
    }
    res.locals.input = result.input;
    next();
  };
}
