// Bare Fastify 5 baseline: the two benchmarked routes and nothing else (no logger,
// hooks, limiter or schemas). See bare-common.mjs for the bodies.
import Fastify from 'fastify';
import { meBody, notesBody, port, signedIn, unauthenticated } from './bare-common.mjs';

const app = Fastify();
app.get('/api/v1/notes', async () => notesBody);
app.get('/api/v1/me', async (request, reply) => {
  if (signedIn(request.headers.cookie)) return meBody;
  return reply.code(401).send(unauthenticated);
});
await app.listen({ port, host: '127.0.0.1' });
