// Bare Express 5 baseline: the benchmarked routes' irreducible work and nothing else (no
// logging, headers, limiter, session store, parsing or validation): a cookie compare for
// who is signed in, then the same PostgreSQL query as the service. See bare-common.mjs.
import express from 'express';
import { findUser, listNotes, memoryNotesBody, port, signedIn, unauthenticated, userId } from './bare-common.mjs';

const app = express();
app.get('/api/v1/notes', async (req, res) => {
  if (!signedIn(req.headers.cookie)) return res.status(401).json(unauthenticated);
  res.json(await listNotes(userId));
});
app.get('/api/v1/me', async (req, res) => {
  if (!signedIn(req.headers.cookie)) return res.status(401).json(unauthenticated);
  res.json(await findUser(userId));
});
app.get('/api/v1/memory-notes', (req, res) => {
  res.json(memoryNotesBody);
});
app.listen(port, '127.0.0.1');
