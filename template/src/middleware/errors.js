// One error shape for every failure the service answers:
//   {"error": {"code": "snake_case", "message": "human text", "details"?: [...], "requestId": "..."}}
// The full error goes to the log; the client never sees a stack, a file path or
// a query, whatever NODE_ENV says. Express 5's own final handler would print an
// HTML stack trace outside production, so this handler must always be last.
import { STATUS_CODES } from 'node:http';

/** An error whose status, code and message are safe to show the client. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {object} [extra]
   * @param {object[]} [extra.details] per-field validation issues
   * @param {Record<string, string>} [extra.headers] e.g. Allow for a 405
   * @param {unknown} [extra.cause] the underlying error, for the log only
   */
  constructor(status, code, message, { details, headers, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export function sendError(req, res, status, code, message, details) {
  res.locals.errorCode = code; // logged on the request's completion line (request-logging.js)
  const error = { code, message };
  if (details) error.details = details;
  if (req.id !== undefined) error.requestId = String(req.id);
  res.status(status).json({ error });
}

// Client errors raised by Express and body-parser (http-errors with expose=true),
// mapped to stable codes. Their own messages are not forwarded.
const CLIENT_ERRORS = new Map([
  ['entity.too.large', [413, 'payload_too_large', 'Request body is too large']],
  ['entity.parse.failed', [400, 'malformed_json', 'Request body is not valid JSON']],
  ['entity.verify.failed', [400, 'malformed_body', 'Request body could not be verified']],
  ['encoding.unsupported', [415, 'unsupported_encoding', 'Content-Encoding is not supported']],
  ['charset.unsupported', [415, 'unsupported_charset', 'Charset is not supported']],
  ['request.aborted', [400, 'request_aborted', 'Request was aborted']],
  ['request.size.invalid', [400, 'bad_request', 'Request size did not match Content-Length']],
  ['parameters.too.many', [413, 'too_many_parameters', 'Too many parameters']],
]);

/**
 * What the client may be told about an error: [status, code, message].
 * @param {unknown} err
 * @returns {[number, string, string]}
 */
export function classify(err) {
  if (err instanceof HttpError) return [err.status, err.code, err.message];
  const known = CLIENT_ERRORS.get(err?.type);
  if (known) return known;
  const status = Number(err?.status ?? err?.statusCode);
  if (err?.expose === true && Number.isInteger(status) && status >= 400 && status < 500) {
    const text = STATUS_CODES[String(status)] ?? 'Bad Request';
    return [status, text.toLowerCase().replace(/[^a-z0-9]+/g, '_'), text];
  }
  return [500, 'internal_error', 'Internal server error'];
}

export function notFound(req, res) {
  sendError(req, res, 404, 'not_found', 'Resource not found');
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
