// Shared, framework-free: createHttpServer(handler) → node:http Server (handler: (req, res) => void).
// The HTTP server around the app: timeouts against slow-loris clients, and a
// JSON answer (instead of Node's bare one) when a request cannot even be parsed.
import http from 'node:http';

const PARSER_ERRORS = new Map([
  ['HPE_HEADER_OVERFLOW', [431, 'headers_too_large', 'Request headers are too large']],
  ['HPE_INVALID_METHOD', [405, 'method_not_allowed', 'Method not allowed']],
  ['ERR_HTTP_REQUEST_TIMEOUT', [408, 'request_timeout', 'Request took too long']],
]);
const MALFORMED = [400, 'bad_request', 'Malformed HTTP request'];

function onClientError(err, socket) {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = PARSER_ERRORS.get(err.code) ?? MALFORMED;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[String(status)]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** @param {import('node:http').RequestListener} handler e.g. an Express app */
export function createHttpServer(handler) {
  const server = http.createServer(handler);
  server.headersTimeout = 10_000; // all request headers within 10 s
  server.requestTimeout = 30_000; // the whole request, body included, within 30 s
  server.keepAliveTimeout = 5_000;
  server.on('clientError', onClientError);
  return server;
}
