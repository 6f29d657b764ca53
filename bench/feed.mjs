// make bench, the change feed (issue 13): how fast a library system reads
// the changes of a large import through the API.  Starts a real `biebsync
// serve` (the binary in $BIEBSYNC_BIN) on a copy of DBFILE, makes an API
// token with `biebsync admin token add`, and reads the whole feed of the
// library as a client does: GET /api/v1/changes?since=CURSOR&limit=1000,
// one page after the other on one keep-alive connection, each body parsed
// as JSON.  Prints a markdown table row: entries, pages, wall time, entries
// per second, and the server's CPU time.
//
// Usage: node bench/feed.mjs DBFILE
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN_SOURCE, Server } from '../e2e/lib/server.mjs';

const LIMIT = 1000;
const src = process.argv[2];
if (!src) {
  console.error('usage: node bench/feed.mjs DBFILE');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'biebsync-feed-'));
const db = join(dir, 'biebsync.db');
copyFileSync(src, db);
if (existsSync(`${src}-wal`)) copyFileSync(`${src}-wal`, `${db}-wal`);
const conf = join(dir, 'biebsync.ini');
// no rate limit in the way: one client reads as fast as it can
writeFileSync(conf, '[api]\nrate = 100000\nburst = 1000000\n');

const made = spawnSync(BIN_SOURCE, ['admin', 'token', 'add', '--library', 'bibliotheek', '--name', 'bench',
  '--config', conf, '--db', `sqlite:${db}`], { encoding: 'utf8' });
const token = /bbs_[A-Za-z0-9_-]{43}/.exec(made.stdout)?.[0];
if (!token) throw new Error(`admin token add: ${made.stdout}${made.stderr}`);

const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, ms (USER_HZ 100)
};

const srv = new Server(dir, db, conf);
await srv.start({});
try {
  const cpu0 = cpuOf(srv.proc.pid);
  const t0 = performance.now();
  let since = null;
  let entries = 0;
  let pages = 0;
  for (;;) {
    const q = new URLSearchParams({ limit: String(LIMIT) });
    if (since !== null) q.set('since', since);
    const res = await fetch(`${srv.url}/api/v1/changes?${q}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`changes: ${res.status} ${await res.text()}`);
    const page = await res.json();
    entries += page.changes.length;
    pages++;
    since = page.next;
    if (!page.more) break;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuOf(srv.proc.pid) - cpu0;
  console.log('| entries | pages | wall s | entries/s | server CPU s |');
  console.log('|---:|---:|---:|---:|---:|');
  console.log(`| ${entries.toLocaleString('en')} | ${pages} | ${wall.toFixed(2)} | ${Math.round(entries / wall).toLocaleString('en')} | ${(cpu / 1000).toFixed(2)} |`);
} finally {
  await srv.stop();
}
