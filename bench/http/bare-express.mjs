// Bare Express 5 baseline: the two benchmarked routes and nothing else (no logging,
// headers, limiter, parsing or validation). See bare-common.mjs for the bodies.
import express from 'express';
import { meBody, notesBody, port, signedIn, unauthenticated } from './bare-common.mjs';

const app = express();
app.get('/api/v1/notes', (req, res) => {
  res.json(notesBody);
});
app.get('/api/v1/me', (req, res) => {
  if (signedIn(req.headers.cookie)) res.json(meBody);
  else res.status(401).json(unauthenticated);
});
app.listen(port, '127.0.0.1');
