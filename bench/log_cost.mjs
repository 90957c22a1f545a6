// Cost of one log line of rendered projects' own loggers (src/logger.*), in µs of CPU
// time: the line shapes a generated service writes, through createLogger() into
// /dev/null (formatting, serializers, censoring and the write system call).
//
//   node bench/log_cost.mjs PROJECT_DIR [PROJECT_DIR...] [--rounds N] [--lines N]
//
// Prints one JSON object: { rounds, lines, projects: [{ project, shapes: [{ shape,
// usPerLine, bytes }] }] }. usPerLine is the median over --rounds rounds of --lines lines
// each, after a warm-up, in process CPU time (user + system: less sensitive than wall
// time to other load on the machine). With several projects the rounds alternate
// between them, so a change of machine load weighs on all alike.
import { existsSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '9' }, lines: { type: 'string', default: '20000' } },
});
const loggerOf = (project) => ['js', 'ts'].map((ext) => path.resolve(project, `src/logger.${ext}`)).find(existsSync);
const missing = positionals.find((project) => !loggerOf(project));
if (positionals.length === 0 || missing !== undefined) {
  console.error(`log_cost: ${missing ?? 'nothing'} is not a rendered project (with src/logger.js or src/logger.ts)`);
  process.exit(2);
}

// Each line is written to /dev/null with one writeSync, as the service's
// pino.destination({ dest: 1, sync: true }) writes it to stdout.
const devNull = openSync('/dev/null', 'w');
let bytes = 0;
const destination = { write: (line) => { bytes += writeSync(devNull, line); } };

// What a browser sends and a session service answers: the request line's headers.
const requestHeaders = {
  host: 'api.example.com',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  accept: 'application/json',
  'accept-language': 'en-GB,en;q=0.5',
  'accept-encoding': 'gzip, deflate, br',
  referer: 'https://app.example.com/notes',
  origin: 'https://app.example.com',
  cookie: 'sid=s%3AbWFkZS11cC1zZXNzaW9uLWlk.c2lnbmF0dXJlLW9mLXRoZS1zZXNzaW9u',
  'x-csrf-token': 'bWFkZS11cC1jc3JmLXRva2Vu',
  'x-forwarded-proto': 'https',
  connection: 'keep-alive',
};
const responseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': '1864',
  'x-request-id': '0b8f4a52-2d7e-4f0c-9a51-7c1d3c2e9f10',
  'set-cookie': 'sid=s%3AbWFkZS11cC1zZXNzaW9uLWlk.c2lnbmF0dXJlLW9mLXRoZS1zZXNzaW9u; Path=/; HttpOnly; Secure',
};
/** The shapes, written by the logger of one project. */
function shapesOf(createLogger) {
  const root = createLogger({ level: 'info', destination });
  const nested = root.child({ component: 'notes' }).child({ user: { id: 42, role: 'member' } });
  const failure = new Error('connect ECONNREFUSED 127.0.0.1:5432', { cause: new Error('socket closed') });

  return {
    'message only': () => root.info('listening'),
    'fields': () => root.info({ event: 'user_registered', userId: 42, dependency: 'postgres' }, 'user registered'),
    'child of child': () => nested.info({ event: 'note_created', noteId: 7 }, 'note created'),
    'password field': () => root.info({ user: { name: 'ada', password: 'hunter2' } }, 'sign-in attempt'),
    'error with cause': () => root.error({ err: failure }, 'readiness check failed'),
    // A request's child logger (created per request) and its completion line, as both
    // frameworks' request loggers write them.
    'request line (child + line)': () => {
      const req = { id: '0b8f4a52-2d7e-4f0c-9a51-7c1d3c2e9f10', method: 'GET', url: '/api/v1/notes?limit=20', headers: requestHeaders, remoteAddress: '127.0.0.1', remotePort: 51234 };
      root.child({ req }).info({ res: { statusCode: 200, headers: responseHeaders }, responseTime: 3 }, 'request completed');
    },
  };
}

const projects = await Promise.all(positionals.map(async (project) => {
  const { createLogger } = await import(pathToFileURL(loggerOf(project)).href);
  return { project, shapes: shapesOf(createLogger), results: [] };
}));
const rounds = Number(values.rounds);
const lines = Number(values.lines);
const median = (xs) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
for (const shape of Object.keys(projects[0].shapes)) {
  const perLine = projects.map(() => []);
  for (const { shapes } of projects) for (let i = 0; i < lines; i++) shapes[shape](); // warm-up
  for (let round = 0; round < rounds; round++) {
    projects.forEach(({ shapes }, index) => {
      const write = shapes[shape];
      const start = cpuMicros();
      for (let i = 0; i < lines; i++) write();
      perLine[index].push((cpuMicros() - start) / lines);
    });
  }
  projects.forEach(({ shapes, results }, index) => {
    bytes = 0;
    shapes[shape]();
    results.push({ shape, usPerLine: Number(median(perLine[index]).toFixed(3)), usPerLineMin: Number(Math.min(...perLine[index]).toFixed(3)), bytes });
  });
}
console.log(JSON.stringify({ rounds, lines, projects: projects.map(({ project, results }) => ({ project, shapes: results })) }));
