// One load measurement with autocannon: a warm-up run (discarded), then the measured
// run; prints the measured run's figures as one JSON object on stdout.
//   node load.mjs '{"url": "http://127.0.0.1:PORT/path", "connections": 10,
//                   "duration": 10, "warmup": 3, "headers": {"X-Forwarded-Proto": "https"}}'
import autocannon from 'autocannon';

const { url, connections, duration, warmup, headers = {} } = JSON.parse(process.argv[2]);
const run = (seconds) => autocannon({ url, connections, duration: seconds, headers, pipelining: 1 });

if (warmup > 0) await run(warmup);
process.stdout.write('measuring\n'); // bench/http_load.py samples the server's CPU time now
const result = await run(duration);
const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    rpsStddev: result.requests.stddev,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    throughputBytesPerSec: result.throughput.average,
    duration: result.duration,
    connections,
  })}\n`,
);
