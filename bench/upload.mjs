// make bench, part 3 (issue 5): the web upload.  Starts a real `biebsync
// serve` (the binary in $BIEBSYNC_BIN) with a fresh database, logs in as a
// docent and measures:
//   1. one 1,000-row upload at a time, 21 times: server time of the upload
//      POST (read, validate, compare, stage) and of the preview GET (render),
//      taken from the server's own log lines, plus client wall time;
//   2. 50 clients (50 sessions of docents of 50 schools) uploading a 1,000-
//      row file at once, each followed by its preview: errors, and the p50
//      and p99 of client wall time per upload + preview.
// Prints a markdown table.  Usage: node bench/upload.mjs
import { performance } from 'node:perf_hooks';
import { activeUser, startServer } from '../e2e/lib/server.mjs';
import { students, studentsCsv, upload } from '../e2e/lib/upload.mjs';

const ROWS = 1000;
const SERIAL = 21;
const CLIENTS = 50;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

/* server-side times of the requests whose rid is in rids, from the log */
function serverTimes(log, method, pathRe) {
  const out = [];
  for (const m of log.matchAll(/ (GET|POST) (\S+) (\d+) (\d+)ms/g))
    if (m[1] === method && pathRe.test(m[2])) out.push(Number(m[4]));
  return out;
}

const schools = Array.from({ length: CLIENTS }, (_, i) => ({
  name: `Bench School ${i + 1}`, brin: `${10 + i}BB`, slug: `bench${i + 1}`,
}));
const srv = await startServer({
  schools,
  config: { server: { threads: 4, per_ip_connections: 200 }, login: { max_failures_address: 100000 } },
});
try {
  const file = Buffer.from(studentsCsv(students(ROWS)), 'latin1');

  // 1. serial
  const one = await activeUser(srv, { school: 'bench1' });
  const wall = [];
  const before = srv.logs().length;
  for (let i = 0; i < SERIAL; i++) {
    const t0 = performance.now();
    const res = await upload(one.client, 'leerlingen.csv', file);
    if (res.status !== 303) throw new Error(`upload: ${res.status}`);
    const page = await one.client.get(res.headers.location);
    if (page.status !== 200) throw new Error(`preview: ${page.status}`);
    wall.push(performance.now() - t0);
  }
  const log = srv.logs().slice(before);
  const post = serverTimes(log, 'POST', /^\/docent\/upload$/);
  const get = serverTimes(log, 'GET', /^\/docent\/import\/\d+$/);
  const both = post.map((p, i) => p + (get[i] ?? 0));

  // 2. fifty at once
  const users = [];
  for (const s of schools) users.push(await activeUser(srv, { school: s.slug }));
  let errors = 0;
  const each = [];
  const t0 = performance.now();
  await Promise.all(users.map(async (u) => {
    const s0 = performance.now();
    try {
      const res = await upload(u.client, 'leerlingen.csv', file);
      const page = res.status === 303 ? await u.client.get(res.headers.location) : res;
      if (page.status !== 200) errors++;
    } catch {
      errors++;
    }
    each.push(performance.now() - s0);
  }));
  const total = performance.now() - t0;

  console.log(`| measurement | p50 | p99 / max | note |`);
  console.log(`|---|---|---|---|`);
  console.log(`| server time, upload POST (${ROWS} rows, ${SERIAL} runs) | ${ms(pct(post, 50))} | ${ms(Math.max(...post))} | read + validate + compare + stage |`);
  console.log(`| server time, preview GET | ${ms(pct(get, 50))} | ${ms(Math.max(...get))} | render |`);
  console.log(`| server time, upload + preview | ${ms(pct(both, 50))} | ${ms(Math.max(...both))} | target < 100 ms |`);
  console.log(`| client wall time, upload + preview | ${ms(pct(wall, 50))} | ${ms(Math.max(...wall))} | one client |`);
  console.log(`| ${CLIENTS} clients at once, upload + preview | ${ms(pct(each, 50))} | ${ms(pct(each, 99))} | ${errors} errors, all done in ${ms(total)} |`);
  if (errors > 0) process.exitCode = 1;
} finally {
  await srv.stop();
}
