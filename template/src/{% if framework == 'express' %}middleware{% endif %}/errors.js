// Express's error answers, in the one JSON shape of ../errors.js. Express 5's
// own final handler would print an HTML stack trace outside production, so
// errorHandler must always be mounted last.
import { classify, errorBody, HttpError, NOT_FOUND } from '../errors.js';

export function sendError(req, res, status, code, message, details) {
  res.locals.errorCode = code; // logged on the request's completion line (request-logging.js)
  res.status(status).json(errorBody({ code, message, details, requestId: req.id }));
}

export function notFound(req, res) {
  sendError(req, res, NOT_FOUND.status, NOT_FOUND.code, NOT_FOUND.message);
}

// Express recognises error handlers by their four parameters.
// eslint-disable-next-line no-unused-vars
export function errorHandler(err, req, res, next) {
  const [status, code, message] = classify(err);

  // pino-http puts the full error (stack included) on this request's completion
  // line. Only for server errors: a client error's details are the client's own,
  // possibly sensitive, payload; its code is logged by sendError.
  if (status >= 500) res.err = err;

  if (res.headersSent) {
    // Too late for a clean answer: cut the connection rather than send a partial body.
    req.socket.destroy();
    return;
  }
  if (err instanceof HttpError && err.headers) res.set(err.headers);
  sendError(req, res, status, code, message, err instanceof HttpError ? err.details : undefined);
}
