// Hand-built Express 5 peer (see peer-common.mjs): helmet() defaults, cors allowlist,
// express-rate-limit with rate-limit-redis on the bench's Redis, pino-http with redaction,
// express.json({ limit: '100kb' }), and a zod-validated GET /api/v1/notes.
import cors from 'cors';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { meBody, notesBody, port, signedIn, unauthenticated } from './bare-common.mjs';
import { limit, listNotes, origins, redact, redisUrl } from './peer-common.mjs';

const redis = createClient({ url: redisUrl });
await redis.connect();

const app = express();
app.set('trust proxy', 1);
app.use(pinoHttp({ redact }));
app.use(helmet());
app.use(cors({ origin: origins }));
app.use(
  rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({ sendCommand: (...args) => redis.sendCommand(args) }),
  }),
);
app.use(express.json({ limit: '100kb' }));
app.get('/api/v1/notes', (req, res) => {
  const query = listNotes.safeParse(req.query);
  if (!query.success) return res.status(400).json({ error: { code: 'invalid_request', message: query.error.message } });
  res.json(notesBody);
});
app.get('/api/v1/me', (req, res) => {
  if (signedIn(req.headers.cookie)) res.json(meBody);
  else res.status(401).json(unauthenticated);
});
app.listen(port, '127.0.0.1');
