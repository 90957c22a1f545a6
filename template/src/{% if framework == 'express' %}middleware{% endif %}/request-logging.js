// One JSON log line per request (pino-http), tagged with a request id that is
// also returned in X-Request-Id and in error bodies, so a user's report can be
// matched to the log. A caller-supplied id is kept only if it is short and plain
// (it ends up in logs, so it must not carry control characters or markup).
import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** @param {import('pino').Logger} logger */
export function requestLogging(logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Evaluated again when the response finishes, so the error code set by errors.js lands on that line.
    customProps: (req, res) => (res.locals?.errorCode ? { errorCode: res.locals.errorCode } : {}),
    customLogLevel(req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
}
