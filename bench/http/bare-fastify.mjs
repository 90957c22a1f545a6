// Bare Fastify 5 baseline: the benchmarked routes' irreducible work and nothing else (no
// logger, hooks, limiter, session store or schemas): a cookie compare for who is signed
// in, then the same PostgreSQL query as the service. See bare-common.mjs.
import Fastify from 'fastify';
import { findUser, listNotes, memoryNotesBody, port, signedIn, unauthenticated, userId } from './bare-common.mjs';

const app = Fastify();
app.get('/api/v1/notes', async (request, reply) => {
  if (!signedIn(request.headers.cookie)) return reply.code(401).send(unauthenticated);
  return listNotes(userId);
});
app.get('/api/v1/me', async (request, reply) => {
  if (!signedIn(request.headers.cookie)) return reply.code(401).send(unauthenticated);
  return findUser(userId);
});
app.get('/api/v1/memory-notes', async () => memoryNotesBody);
await app.listen({ port, host: '127.0.0.1' });
