// Helpers for the end-to-end tests: a real `biebsync serve` process in its
// own temporary directory, the admin command line against the same
// database, and a small HTTP client (node:http, so every header we send is
// exactly the one we wrote) with a cookie jar.
//
// The database is a SQLite file in the server's directory, or, with
// startServer({ db: 'postgresql' }) or BIEBSYNC_TEST_DB=postgresql for the
// whole run, a fresh database on the PostgreSQL server that
// BIEBSYNC_TEST_PG_URL names (tests/run.sh starts one with tests/pg.sh),
// else on a throw-away cluster this process starts with tests/pg.sh.
// startServers() starts several servers on one database.
//
// Every server started here is stopped and its directory removed when the
// test process exits, even after a failure; stop() additionally asserts a
// clean shutdown (exit status 0, no sanitizer report on stderr).

import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));

/** The binary under test: $BIEBSYNC_BIN, else build/biebsync. */
export const BIN_SOURCE = process.env.BIEBSYNC_BIN
  ? resolve(process.env.BIEBSYNC_BIN)
  : resolve(here, '../../build/biebsync');

/** Whether the binary is the AddressSanitizer build (make asan): gcc links
 * libasan.so, clang the runtime itself. */
export const SANITIZED = (() => {
  const bytes = readFileSync(BIN_SOURCE);
  return bytes.includes('libasan.so') || bytes.includes('AddressSanitizer');
})();

// Run a private copy, so that a rebuild of the tree while the tests run
// (make relinks the binary in place) cannot make a test fail half-way.
const binDir = mkdtempSync(join(tmpdir(), 'biebsync-e2e-bin-'));
const BIN = join(binDir, 'biebsync');
copyFileSync(BIN_SOURCE, BIN);
chmodSync(BIN, 0o755);

/** The Content-Security-Policy every response must carry. */
export const CSP =
  "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/** Lines on stderr that mean the sanitizer build found a bug. */
const SANITIZER = /ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

/** The line the server logs when it hashes a password or reads a file on an
 * HTTP thread: a route that does so is not marked HEAVY in src/web/app.c
 * (src/base/heavy.h).  Every test that stops or checks a server fails on it. */
const MISPLACED = /heavy work on a request thread: .*/;

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 15000;
const CLI_TIMEOUT_MS = 10000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* --- clean-up of everything this process started ------------------------ */

const live = new Set(); // servers not yet stopped

process.on('exit', () => {
  rmSync(binDir, { recursive: true, force: true });
  for (const s of live) {
    try {
      s.proc.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    try {
      rmSync(s.dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  // a cluster of our own goes as a whole; on a shared one, our databases
  if (pgCluster) {
    spawnSync('sh', [PG_SH, 'stop', pgCluster.dir], { timeout: 60000 });
  } else {
    for (const url of pgDatabases) {
      try {
        dropPgDatabase(url);
      } catch {
        /* best effort */
      }
    }
  }
});

/** Throw when text contains a sanitizer report. */
export function assertNoSanitizerReport(text, what) {
  const m = SANITIZER.exec(text);
  if (m) {
    const at = Math.max(0, m.index - 200);
    assert.fail(`${what}: sanitizer report on stderr:\n${text.slice(at, at + 4000)}`);
  }
}

/** Throw when the server hashed or read a file on an HTTP thread (MISPLACED). */
export function assertNoMisplacedWork(text) {
  const m = MISPLACED.exec(text);
  if (m) assert.fail(`biebsync serve: ${m[0]}`);
}

/* --- configuration --------------------------------------------------------- */

/** { section: { key: value } } as INI text. */
export function iniText(config) {
  let out = '';
  for (const [section, keys] of Object.entries(config)) {
    out += `[${section}]\n`;
    for (const [k, v] of Object.entries(keys)) out += `${k} = ${v}\n`;
  }
  return out;
}

// Deep-merge two { section: { key: value } } objects (b wins).
function mergeConfig(a, b) {
  const out = {};
  for (const src of [a, b])
    for (const [section, keys] of Object.entries(src ?? {}))
      out[section] = { ...(out[section] ?? {}), ...keys };
  return out;
}

// The defaults for tests: many tests share one address (127.0.0.1), so the
// per-address throttle must not get in the way unless a test wants it.
const BASE_CONFIG = {
  login: { max_failures_address: 100000 },
  log: { level: 'info' },
};

/* --- the database ------------------------------------------------------------------ */

/** The database of servers started without opts.db: $BIEBSYNC_TEST_DB,
 * 'sqlite' (the default) or 'postgresql'. */
export const TEST_DB = process.env.BIEBSYNC_TEST_DB || 'sqlite';

const PG_SH = resolve(here, '../../tests/pg.sh');
let pgCluster = null; // { dir, url } of the cluster this process started
const pgDatabases = new Set(); // URLs of databases made here, not dropped yet
let pgCount = 0;

/**
 * The PostgreSQL server on which databases are made (a superuser's URL):
 * $BIEBSYNC_TEST_PG_URL, else a throw-away cluster started once for this
 * process by tests/pg.sh and removed at exit.  Throws when PostgreSQL is
 * not installed.
 */
export function pgServerUrl() {
  if (process.env.BIEBSYNC_TEST_PG_URL) return process.env.BIEBSYNC_TEST_PG_URL;
  if (!pgCluster) {
    const r = spawnSync('sh', [PG_SH, 'start'], { encoding: 'utf8', timeout: 120000 });
    const dir = /^BIEBSYNC_TEST_PG_DIR='([^']*)'$/m.exec(r.stdout ?? '');
    const url = /^BIEBSYNC_TEST_PG_URL='([^']*)'$/m.exec(r.stdout ?? '');
    if (r.status !== 0 || !dir || !url)
      throw new Error(`tests/pg.sh start (exit ${r.status}): ${r.stderr}`);
    pgCluster = { dir: dir[1], url: url[1] };
  }
  return pgCluster.url;
}

/**
 * Why the PostgreSQL tests cannot run here, or '' when they can: the same
 * rule as tests/run.sh (BIEBSYNC_TEST_PG=0 leaves them out; they wait for
 * the backend, src/store/pg.c; PostgreSQL 15 must be installed unless
 * BIEBSYNC_TEST_PG_URL names a server).  For test(name, { skip }).  With
 * BIEBSYNC_TEST_PG=1 it is always '': a test that cannot run fails.
 */
export function pgSkipReason() {
  if (process.env.BIEBSYNC_TEST_PG === '1') return '';
  if (process.env.BIEBSYNC_TEST_PG === '0') return 'postgresql: not run (BIEBSYNC_TEST_PG=0)';
  if (!existsSync(resolve(here, '../../src/store/pg.c')))
    return 'postgresql: not run (the PostgreSQL backend is not built yet: no src/store/pg.c)';
  if (process.env.BIEBSYNC_TEST_PG_URL) return '';
  const r = spawnSync('sh', [PG_SH, 'check'], { encoding: 'utf8' });
  return r.status === 0 ? '' : `postgresql: not run (${(r.stdout || r.stderr).trim()})`;
}

/** Run one SQL command with psql on url; returns its rows, fields split
 * by "|" as sqlite3 prints them.  Throws on an error. */
export function psql(url, sql) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

// The name of the database in a PostgreSQL URL, and the URL with another.
const pgNameOf = (url) => decodeURIComponent(new URL(url).pathname.slice(1));
function pgWithName(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh empty database on pgServerUrl(); returns its URL.  It is
 * dropped by dropPgDatabase(), or at process exit. */
export function createPgDatabase() {
  const server = pgServerUrl();
  const name = `e2e_${process.pid}_${++pgCount}_${Date.now()}`;
  psql(server, `CREATE DATABASE ${name}`);
  const url = pgWithName(server, name);
  pgDatabases.add(url);
  return url;
}

/** Drop a database made by createPgDatabase(), ending its connections. */
export function dropPgDatabase(url) {
  if (!pgDatabases.delete(url)) return;
  psql(pgWithName(url, pgNameOf(pgServerUrl())), `DROP DATABASE IF EXISTS ${pgNameOf(url)} WITH (FORCE)`);
}

/* --- the admin command line -------------------------------------------------- */

function runCli(args, env) {
  const r = spawnSync(BIN, args, {
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    env: { ...process.env, BIEBSYNC_LANG: 'nl', ...env },
  });
  if (r.error && r.error.code === 'ETIMEDOUT')
    throw new Error(`biebsync ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms (hung?); stderr: ${r.stderr}`);
  if (r.error) throw new Error(`biebsync ${args.join(' ')}: ${r.error.message}`);
  const res = { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  assertNoSanitizerReport(r.stderr, `biebsync ${args.join(' ')}`);
  return res;
}

/** The one-time password printed by `admin user add` / `reset-password`. */
export function parseOtp(stdout) {
  const m = /(?:Eenmalig wachtwoord|One-time password):\s+(\S+)/.exec(stdout);
  assert.ok(m, `no one-time password in:\n${stdout}`);
  return m[1];
}

/* --- the server ------------------------------------------------------------------ */

/**
 * Start a server in a fresh temporary directory.
 *
 * opts.config   extra configuration, { section: { key: value } }
 * opts.schools  [{ name, brin, slug }] created before start
 * opts.users    [{ username, role, school }] created before start; their
 *               one-time passwords are in the result's `otp` map
 * opts.tls      { cert, key } file paths: start with --tls-cert/--tls-key
 * opts.env      extra environment for the server
 * opts.db       'sqlite' (a file in the server's directory) or 'postgresql'
 *               (a fresh database: createPgDatabase()); default TEST_DB
 * opts.dbUrl    an existing database instead (startServers() passes one);
 *               it is not removed when the server stops
 *
 * Resolves to a Server; the caller must stop() it (tests do so in a
 * finally or an after() hook; leftovers are killed at process exit).
 */
export async function startServer(opts = {}) {
  const db = opts.db ?? TEST_DB;
  assert.ok(db === 'sqlite' || db === 'postgresql', `unknown database kind ${db}`);
  const dir = mkdtempSync(join(tmpdir(), 'biebsync-e2e-'));
  const dbPath = opts.dbUrl?.startsWith('sqlite:') ? opts.dbUrl.slice('sqlite:'.length) : join(dir, 'biebsync.db');
  const configPath = join(dir, 'biebsync.ini');
  writeFileSync(configPath, iniText(mergeConfig(BASE_CONFIG, opts.config)));
  let dbUrl = opts.dbUrl;
  let ownDb = false;
  if (!dbUrl && db === 'postgresql') {
    try {
      dbUrl = createPgDatabase();
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    ownDb = true;
  }
  const srv = new Server(dir, dbPath, configPath, dbUrl ?? `sqlite:${dbPath}`, ownDb);
  try {
    for (const s of opts.schools ?? []) srv.addSchool(s);
    for (const u of opts.users ?? []) srv.addUser(u);
    await srv.start(opts);
  } catch (e) {
    srv.kill();
    throw e;
  }
  return srv;
}

/**
 * n servers (default 2) on one database, each with its own directory,
 * configuration and port, as several machines behind a load balancer
 * (issue 14).  opts as for startServer(); the schools and users are made
 * once, through the first server's admin command line.  Resolves to a
 * ServerGroup: group.servers, group.dbUrl, stop() and kill().
 */
export async function startServers(n = 2, opts = {}) {
  const db = opts.db ?? TEST_DB;
  let dir = null;
  let dbUrl;
  if (db === 'postgresql') {
    dbUrl = createPgDatabase();
  } else {
    dir = mkdtempSync(join(tmpdir(), 'biebsync-e2e-shared-'));
    dbUrl = `sqlite:${join(dir, 'biebsync.db')}`;
  }
  const group = new ServerGroup(dbUrl, dir);
  try {
    for (let i = 0; i < n; i++) {
      const first = i === 0;
      group.servers.push(await startServer({
        ...opts, dbUrl, schools: first ? opts.schools : [], users: first ? opts.users : [],
      }));
    }
  } catch (e) {
    group.kill();
    throw e;
  }
  return group;
}

/** Servers sharing one database (startServers()). */
export class ServerGroup {
  constructor(dbUrl, dir) {
    this.dbUrl = dbUrl;
    this.dir = dir; // the SQLite file's directory, or null
    this.servers = [];
  }

  // the shared database goes after the last server
  #removeDb() {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    else dropPgDatabase(this.dbUrl);
  }

  /** stop() every server (with its assertions), then remove the database. */
  async stop() {
    try {
      for (const s of this.servers) await s.stop();
    } finally {
      for (const s of this.servers) s.kill();
      this.#removeDb();
    }
  }

  /** Kill every server without assertions and remove the database. */
  kill() {
    for (const s of this.servers) s.kill();
    try {
      this.#removeDb();
    } catch {
      /* best effort: the cluster goes at exit */
    }
  }
}

export class Server {
  constructor(dir, dbPath, configPath, dbUrl = `sqlite:${dbPath}`, ownDb = false) {
    this.dir = dir;
    this.dbPath = dbPath; // the SQLite file when dbUrl is sqlite:dbPath
    this.dbUrl = dbUrl; // what --db says, for the server and the command line
    this.db = dbUrl.startsWith('sqlite:') ? 'sqlite' : 'postgresql';
    this.ownDb = ownDb; // a PostgreSQL database dropped at stop
    this.configPath = configPath;
    this.otp = {}; // username -> current one-time password
    this.stderr = '';
    this.proc = null;
    this.exited = null; // promise of { code, signal }
    this.userCount = 0;
  }

  /** Run `biebsync admin ARGS --db URL`; returns { code, stdout, stderr }. */
  admin(...args) {
    return runCli(['admin', ...args, '--config', this.configPath, '--db', this.dbUrl]);
  }

  /**
   * One SQL statement on the server's database with sqlite3 or psql (for
   * checks a user cannot make); returns the rows as sqlite3 prints them
   * (fields split by "|", a line each).  Throws on an error.
   */
  sql(query) {
    if (this.db === 'postgresql') return psql(this.dbUrl, query);
    const r = spawnSync('sqlite3', [this.dbPath, query], { encoding: 'utf8', timeout: 20000 });
    if (r.status !== 0) throw new Error(`sqlite3 ${query}: ${r.error?.message ?? r.stderr}`);
    return r.stdout;
  }

  /** Create a school; asserts success. */
  addSchool({ name, brin, slug, library }) {
    const args = ['school', 'add', '--name', name, '--brin', brin];
    if (library) args.push('--library', library);
    if (slug) args.push('--slug', slug);
    const r = this.admin(...args);
    assert.equal(r.code, 0, `school add failed: ${r.stderr}`);
    return r;
  }

  /**
   * Create an account and return { username, otp }.  Without a username a
   * unique one is made from prefix (default "docent").
   */
  addUser({ username, role = 'docent', school, library, prefix } = {}) {
    if (!username) username = `${prefix ?? role}${++this.userCount}`;
    const args = ['user', 'add', '--username', username, '--role', role];
    if (role === 'docent') args.push('--school', school);
    if (library) args.push('--library', library);
    const r = this.admin(...args);
    assert.equal(r.code, 0, `user add ${username} failed: ${r.stderr}`);
    const otp = parseOtp(r.stdout);
    this.otp[username] = otp;
    return { username, otp };
  }

  /** `admin user reset-password NAME`; returns the new one-time password. */
  resetPassword(username) {
    const r = this.admin('user', 'reset-password', username);
    assert.equal(r.code, 0, `reset-password failed: ${r.stderr}`);
    return (this.otp[username] = parseOtp(r.stdout));
  }

  async start(opts) {
    const args = ['serve', '--config', this.configPath, '--db', this.dbUrl,
      '--listen', '127.0.0.1:0'];
    if (opts.tls) args.push('--tls-cert', opts.tls.cert, '--tls-key', opts.tls.key);
    this.proc = spawn(BIN, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    live.add(this);
    this.exited = new Promise((res) => this.proc.on('exit', (code, signal) => res({ code, signal })));
    this.proc.stderr.setEncoding('utf8');
    const listening = new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${this.stderr}`)),
        START_TIMEOUT_MS);
      this.proc.stderr.on('data', (chunk) => {
        this.stderr += chunk;
        const m = /listening on (https?):\/\/([^/\s]+):(\d+)\//.exec(this.stderr);
        if (m) {
          clearTimeout(timer);
          res(m);
        }
      });
      this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`server exited (${code ?? signal}) before listening:\n${this.stderr}`));
      });
    });
    const m = await listening;
    this.scheme = m[1];
    this.host = m[2];
    this.port = Number(m[3]);
    this.url = `${this.scheme}://${this.host}:${this.port}`;
  }

  /** Everything the server wrote on stderr so far. */
  logs() {
    return this.stderr;
  }

  /** Fail when the sanitizer build has reported something so far. */
  assertHealthy() {
    assertNoSanitizerReport(this.stderr, 'biebsync serve');
    assertNoMisplacedWork(this.stderr);
    assert.equal(this.proc.exitCode, null, `server died:\n${this.stderr.slice(-4000)}`);
  }

  /** A new HTTP client with an empty cookie jar (opts: see Client). */
  client(opts = {}) {
    return new Client(this.url, opts);
  }

  /**
   * SIGTERM, wait for the exit, remove the directory; asserts exit status
   * 0 and no sanitizer report.  Returns { code, signal }.
   */
  async stop() {
    if (!live.has(this)) return this.exitStatus;
    live.delete(this);
    let timer;
    try {
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
      const timeout = new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`server did not stop within ${STOP_TIMEOUT_MS} ms`)),
          STOP_TIMEOUT_MS);
      });
      this.exitStatus = await Promise.race([this.exited, timeout]);
    } catch (e) {
      this.proc.kill('SIGKILL');
      throw new Error(`${e.message}\n${this.stderr.slice(-4000)}`);
    } finally {
      clearTimeout(timer);
      this.#removeFiles();
    }
    assertNoSanitizerReport(this.stderr, 'biebsync serve');
    assertNoMisplacedWork(this.stderr);
    assert.deepEqual(this.exitStatus, { code: 0, signal: null },
      `server exit status; stderr:\n${this.stderr.slice(-4000)}`);
    return this.exitStatus;
  }

  /** Stop without assertions (for after() hooks after a failure). */
  kill() {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
    live.delete(this);
    try {
      this.#removeFiles();
    } catch {
      /* best effort: the database goes at exit */
    }
  }

  // The directory, and a PostgreSQL database made for this server alone.
  #removeFiles() {
    rmSync(this.dir, { recursive: true, force: true });
    if (this.ownDb) {
      this.ownDb = false;
      dropPgDatabase(this.dbUrl);
    }
  }
}

/* --- two-step login (RFC 6238) ----------------------------------------------------- */

/** RFC 4648 base32 (no padding, spaces ignored) to bytes. */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  const out = [];
  for (const c of text.replace(/\s+/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 30-second step of a unix time in seconds. */
export const totpStep = (time = Date.now() / 1000) => Math.floor(time / 30);

/**
 * The RFC 6238 code (HMAC-SHA-1, 30 s) of a base32 secret at unix time
 * `time` (seconds; default now), `digits` long.
 */
export function totpCode(secret, time = Date.now() / 1000, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(totpStep(time)));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

// The two-step secrets of the accounts the helpers set up, per server and
// username, with the last step a code was entered for (the server refuses
// a code of that step or an older one).
const twoStep = new Map();
const twoStepKey = (base, username) => `${new URL(base).origin}|${username.toLowerCase()}`;

/** Remember the secret of username on the server at base (and the step just used). */
export function rememberTwoStep(base, username, secret, usedStep = 0) {
  twoStep.set(twoStepKey(base, username), { secret, last: usedStep });
}

/** The secret the helpers know for username on base, or undefined. */
export function twoStepSecret(base, username) {
  return twoStep.get(twoStepKey(base, username))?.secret;
}

/**
 * A code for username on base that the server has not seen: the current
 * step's, or the next step's (the server accepts one step either side)
 * when the current one was used; past that, wait for the next 30-second
 * step.  Marks the step as used.
 */
export async function freshCode(base, username) {
  const entry = twoStep.get(twoStepKey(base, username));
  assert.ok(entry, `no two-step secret known for ${username}`);
  for (;;) {
    const now = totpStep();
    const step = Math.max(now, entry.last + 1);
    if (step <= now + 1) {
      entry.last = step;
      return totpCode(entry.secret, step * 30);
    }
    await sleep(((now + 1) * 30 - Date.now() / 1000) * 1000 + 50);
  }
}

/** The recovery codes on the page shown once after setup. */
export function recoveryCodesOf(body) {
  return [...body.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
}

/** The key for manual entry on the setup page (spaces removed). */
export function secretOf(body) {
  const m = /<code class="secret" id="sleutel">([A-Z2-7 ]+)<\/code>/.exec(body);
  assert.ok(m, `no two-step key on the page:\n${body.slice(0, 2000)}`);
  return m[1].replace(/ /g, '');
}

/* --- HTTP client ------------------------------------------------------------------ */

/** The cookies of a response, parsed: [{ name, value, attrs: {lowercase: value|true}, raw }]. */
export function parseSetCookies(headers) {
  const list = headers['set-cookie'] ?? [];
  return list.map((raw) => {
    const [pair, ...rest] = raw.split(';');
    const eq = pair.indexOf('=');
    const attrs = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs, raw };
  });
}

/** The value of the form's hidden csrf field. */
export function csrfOf(body) {
  const m = /<input type="hidden" name="csrf" value="([^"]*)">/.exec(body);
  assert.ok(m, `no csrf field in page:\n${body.slice(0, 2000)}`);
  return m[1];
}

/** The page's visible text, roughly: tags removed, entities decoded, spaces folded. */
export function textOf(body) {
  return body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** application/x-www-form-urlencoded, in the given order. */
export function formBody(fields) {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, '+'))
    .join('&');
}

/**
 * One visitor: a base URL and a cookie jar.  By default POSTs carry
 * Origin: <base> (as a browser's form submission does); pass
 * { origin: null } to a request to leave it out, or another value to
 * send that.  localAddress: the loopback address to connect from (e.g.
 * '127.0.0.2'), so that one test can be several client addresses.
 */
export class Client {
  constructor(base, { timeout = 15000, localAddress } = {}) {
    this.base = base;
    this.origin = new URL(base).origin;
    this.jar = new Map();
    this.timeout = timeout;
    this.localAddress = localAddress;
  }

  cookie(name) {
    return this.jar.get(name);
  }

  setCookie(name, value) {
    if (value === undefined || value === null) this.jar.delete(name);
    else this.jar.set(name, value);
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /**
   * Send one request.  Returns { status, headers, body, raw, cookies } where
   * cookies are this response's Set-Cookie headers, parsed.  The jar is
   * updated (Max-Age=0 or an empty value removes a cookie).
   *
   * opts: method, headers (added last, null values delete a default),
   * body (string or Buffer), form (object, urlencoded), origin.
   */
  request(path, opts = {}) {
    const url = new URL(path, this.base);
    const method = opts.method ?? (opts.form !== undefined || opts.body !== undefined ? 'POST' : 'GET');
    let body = opts.body;
    const headers = { Host: url.host };
    if (opts.form !== undefined) {
      body = formBody(opts.form);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const origin = 'origin' in opts ? opts.origin : method === 'POST' ? this.origin : null;
    if (origin !== null && origin !== undefined) headers.Origin = origin;
    if (this.jar.size > 0) headers.Cookie = this.cookieHeader();
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      for (const have of Object.keys(headers))
        if (have.toLowerCase() === k.toLowerCase()) delete headers[have];
      if (v !== null) headers[k] = v;
    }
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((res, rej) => {
      const req = mod.request(url, {
        method,
        headers,
        agent: false, // a fresh connection per request: no state between requests
        rejectUnauthorized: false, // the TLS tests use a self-signed certificate
        timeout: this.timeout,
        ...(this.localAddress ? { localAddress: this.localAddress } : {}),
      }, (resp) => {
        const chunks = [];
        resp.on('data', (c) => chunks.push(c));
        resp.on('end', () => {
          const cookies = parseSetCookies(resp.headers);
          for (const c of cookies) {
            if (c.value === '' || c.attrs['max-age'] === '0') this.jar.delete(c.name);
            else this.jar.set(c.name, c.value);
          }
          const raw = Buffer.concat(chunks); // the bytes, for downloads
          res({ status: resp.statusCode, headers: resp.headers, body: raw.toString('utf8'), raw, cookies });
        });
        resp.on('error', rej);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${this.timeout} ms`)));
      req.on('error', rej);
      req.end(body);
    });
  }

  get(path, opts = {}) {
    return this.request(path, { ...opts, method: 'GET' });
  }

  /** GET a page with a form (following redirects) and return { res, csrf }. */
  async getForm(path) {
    let res = await this.get(path);
    for (let i = 0; i < 3 && res.status === 303; i++) res = await this.get(res.headers.location);
    assert.equal(res.status, 200, `GET ${path}`);
    return { res, csrf: csrfOf(res.body) };
  }

  /** POST a form with the csrf of the page it is on (fetched first unless given). */
  async postForm(path, fields, opts = {}) {
    const csrf = opts.csrf ?? (await this.getForm(opts.formPage ?? path)).csrf;
    return this.request(path, { ...opts, form: { csrf, ...fields } });
  }

  /**
   * Log in: GET /aanmelden, POST the form.  When the server then asks for
   * the code of two-step login and the helpers know the account's secret
   * (activeUser set it up), a fresh code is entered and the answer to
   * that is returned; else the POST's response.  opts.code false: stop at
   * the code page.
   */
  async login(username, password, opts = {}) {
    const { code, ...rest } = opts;
    const res = await this.postForm('/aanmelden', { gebruikersnaam: username, wachtwoord: password }, rest);
    if (code === false || res.status !== 303 || res.headers.location !== '/aanmelden/code'
      || twoStepSecret(this.base, username) === undefined) return res;
    return this.enterCode(await freshCode(this.base, username));
  }

  /** POST a code (from the app, or a recovery code) on /aanmelden/code. */
  enterCode(code) {
    return this.postForm('/aanmelden/code', { code });
  }

  /** POST /afmelden with the csrf of a logged-in page. */
  logout() {
    return this.postForm('/afmelden', {}, { formPage: '/mijn-gegevens' });
  }

  /** POST /wachtwoord-wijzigen from the page the user sees (forced or details). */
  changePassword(current, fresh, repeat = fresh, opts = {}) {
    return this.postForm('/wachtwoord-wijzigen', { huidig: current, nieuw: fresh, herhaal: repeat },
      { formPage: opts.formPage ?? '/wachtwoord-wijzigen', ...opts });
  }
}

/* --- assertions used by several tests --------------------------------------------- */

/** Assert a 303 to location. */
export function assertRedirect(res, location, what = '') {
  assert.equal(res.status, 303, `${what} status (body: ${res.body.slice(0, 300)})`);
  assert.equal(res.headers.location, location, `${what} Location`);
}

let pwCounter = 0;
/** A password the policy accepts, different each call. */
export function goodPassword() {
  pwCounter++;
  return `paars-kasteel-${pwCounter}-zeilboot-${process.pid % 1000}`;
}

/**
 * Set up two-step login for the logged-in client (GET /tweestaps, a code
 * computed from the key on the page, POST).  Returns { secret, recovery,
 * res } (res: the page with the recovery codes) and remembers the secret
 * for later logins.
 */
export async function setUpTwoStep(client, username, { after = '' } = {}) {
  const page = await client.get(`/tweestaps${after}`);
  assert.equal(page.status, 200, 'the two-step setup page');
  const secret = secretOf(page.body);
  const step = totpStep();
  const fields = { csrf: csrfOf(page.body), code: totpCode(secret, step * 30) };
  if (/name="wachtwoord" value="gewijzigd"/.test(page.body)) fields.wachtwoord = 'gewijzigd';
  const res = await client.request('/tweestaps', { form: fields });
  assert.equal(res.status, 200, `confirming two-step login: ${textOf(res.body).slice(0, 400)}`);
  const recovery = recoveryCodesOf(res.body);
  assert.equal(recovery.length, 10, 'ten recovery codes');
  rememberTwoStep(client.base, username, secret, step);
  return { secret, recovery, res };
}

/**
 * A logged-in visitor who replaced the one-time password: creates the
 * account, logs in with the one-time password, chooses a new password;
 * a library account (which must) then sets up two-step login, with the
 * secret in user.totp and the recovery codes in user.recovery.  Later
 * client.login() calls enter a fresh code themselves.
 * Returns { client, username, password[, totp, recovery] }.
 */
export async function activeUser(srv, { role = 'docent', school, library, username, prefix } = {}) {
  const u = srv.addUser({ role, school, library, username, prefix });
  const client = srv.client();
  const login = await client.login(u.username, u.otp);
  assertRedirect(login, '/wachtwoord-wijzigen', 'login with one-time password');
  const password = goodPassword();
  const change = await client.changePassword(u.otp, password);
  assertRedirect(change, '/?wachtwoord=gewijzigd', 'replacing the one-time password');
  const user = { client, username: u.username, password };
  if (role === 'bibliotheek') {
    assertRedirect(await client.get('/'), '/tweestaps', 'a library account sets up two-step login first');
    const { secret, recovery } = await setUpTwoStep(client, u.username);
    user.totp = secret;
    user.recovery = recovery;
  }
  return user;
}

/** Generate a self-signed certificate for 127.0.0.1 in dir with openssl; null when openssl is missing. */
export function makeCertificate(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  if (r.error && r.error.code === 'ENOENT') return null;
  assert.equal(r.status, 0, `openssl failed: ${r.stderr}`);
  return { cert, key };
}

/* --- raw sockets, for what node:http will not send ---------------------------------- */

/**
 * A plain TCP connection to the server, for requests whose bytes node:http
 * would not send as written (a Content-Length with no body behind it, a
 * chunked body that keeps growing, a body sent in pieces).
 * Returns { sock, write(text), received(), closed, status() }.
 */
export async function rawConnection(port, host = '127.0.0.1') {
  const { connect } = await import('node:net');
  const sock = connect(port, host);
  let data = '';
  sock.setEncoding('utf8');
  sock.on('data', (d) => { data += d; });
  sock.on('error', () => { /* EPIPE/ECONNRESET after the server closed: seen via closed */ });
  const closed = new Promise((res) => sock.on('close', () => res(data)));
  await new Promise((res, rej) => {
    sock.once('connect', res);
    sock.once('error', rej);
  });
  return {
    sock,
    closed,
    received: () => data,
    write: (text) => new Promise((res) => {
      if (sock.destroyed || !sock.writable) return res(false);
      sock.write(text, (err) => res(!err));
    }),
    status: () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      return m ? Number(m[1]) : null;
    },
    headers: () => {
      const head = data.split('\r\n\r\n')[0].split('\r\n').slice(1);
      const h = {};
      for (const line of head) {
        const i = line.indexOf(':');
        if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      return h;
    },
  };
}

/** Resolve with value after ms, for racing against a promise that may never settle. */
export function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`${what}: nothing within ${ms} ms`)), ms); }),
  ]);
}

/**
 * Start a server, run fn(srv), stop it.  The stop's own assertions (exit 0,
 * no sanitizer report) count only when fn succeeded; otherwise fn's error
 * is reported and the server is killed.
 */
export async function withServer(opts, fn) {
  const srv = await startServer(opts);
  try {
    await fn(srv);
  } catch (e) {
    srv.kill();
    throw e;
  }
  await srv.stop();
}
