// Hand-built Express 5 peer (see peer-common.mjs): helmet() defaults, cors allowlist,
// express-rate-limit with rate-limit-redis on the bench's Redis, pino-http with redaction,
// express.json({ limit: '100kb' }), express-session with connect-redis (signed cookie,
// rolling), and zod-validated, owner-scoped GET /api/v1/notes and GET /api/v1/me reading
// PostgreSQL (bare-common.mjs) as the service does.
import { RedisStore as SessionStore } from 'connect-redis';
import cors from 'cors';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import expressSession from 'express-session';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { findUser, listNotes, memoryNotesBody, port, unauthenticated, userId } from './bare-common.mjs';
import { invalid, limit, listNotesQuery, loginPath, memoryNotesQuery, origins, redact, redisUrl, session } from './peer-common.mjs';

const redis = createClient({ url: redisUrl });
redis.on('error', (err) => console.error('redis:', err.message)); // node-redis: an unhandled 'error' ends the process
await redis.connect();

const sessions = expressSession({
  name: session.cookieName,
  secret: session.secret,
  store: new SessionStore({ client: redis, prefix: session.prefix }),
  resave: false,
  saveUninitialized: false,
  rolling: true,
  cookie: session.cookie,
});
function requireUser(req, res, next) {
  if (typeof req.session.userId === 'string') next();
  else res.status(401).json(unauthenticated);
}

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
app.post(loginPath, sessions, (req, res, next) => {
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = userId;
    res.status(204).end();
  });
});
app.get('/api/v1/notes', sessions, requireUser, async (req, res) => {
  const query = listNotesQuery.safeParse(req.query);
  if (!query.success) return res.status(400).json(invalid(query.error));
  res.json(await listNotes(req.session.userId, query.data.limit, query.data.cursor ?? null));
});
app.get('/api/v1/me', sessions, requireUser, async (req, res) => {
  const found = await findUser(req.session.userId);
  if (found === null) return res.status(401).json(unauthenticated);
  res.json(found);
});
app.get('/api/v1/memory-notes', (req, res) => {
  const query = memoryNotesQuery.safeParse(req.query);
  if (!query.success) return res.status(400).json(invalid(query.error));
  res.json(memoryNotesBody);
});
app.listen(port, '127.0.0.1');
