// JSON bodies only, size-limited, and free of keys that could reach an object's
// prototype (see ../validation.js).
import express from 'express';
import { HttpError } from '../errors.js';
import { forbiddenKeyError } from '../validation.js';

// An explicitly empty body (Content-Length: 0, as fetch() sends for a bodiless
// POST such as a sign-out) needs no content type.
const isEmpty = (req) => req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;

function rejectNonJson(req, res, next) {
  // req.is() is null when there is no body and false when the type does not match.
  if (req.is('application/json') === false && !isEmpty(req)) {
    next(new HttpError(415, 'unsupported_media_type', 'Request body must be application/json'));
    return;
  }
  next();
}

function rejectPrototypeKeys(req, res, next) {
  const error = forbiddenKeyError(req.body);
  if (error) {
    next(error);
    return;
  }
  next();
}

/** @param {import('../config.js').Config} config */
export function bodyParsing(config) {
  return [
    rejectNonJson,
    // strict: only objects and arrays at the top level; oversize → 413, bad JSON → 400 (see ../errors.js).
    express.json({ limit: config.BODY_LIMIT, strict: true, type: 'application/json' }),
    rejectPrototypeKeys,
  ];
}
