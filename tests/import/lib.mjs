// Helpers for the import tests (e2e/import-*.test.mjs): run the biebsync
// command line against a private SQLite database in a temporary directory,
// and read the database back exactly (sqlite3) to compare states.
//
// Every command runs with a time limit, in English (BIEBSYNC_LANG=en), and
// its stderr is checked for sanitizer reports.  Temporary directories are
// removed by their owner and, failing that, when the process exits.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The binary under test: $BIEBSYNC_BIN, else build/biebsync. */
export const BIN_SOURCE = process.env.BIEBSYNC_BIN
  ? resolve(process.env.BIEBSYNC_BIN)
  : resolve(here, '../../build/biebsync');

/**
 * Sizes scale with BIEBSYNC_TEST_SCALE (default 1; 0.5 halves the large
 * imports).  Nothing is skipped at any scale.
 */
export const SCALE = Number(process.env.BIEBSYNC_TEST_SCALE ?? 1) || 1;
export const scaled = (n, min = 1) => Math.max(min, Math.round(n * SCALE));

const dirs = new Set();
const exitHooks = [];
process.on('exit', () => {
  for (const f of exitHooks) {
    try {
      f();
    } catch {
      /* best effort */
    }
  }
  for (const d of dirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

/** Run f when the process exits, before the temporary directories go
 * (to unmount a file system made in one, say). */
export function atExit(f) {
  exitHooks.push(f);
}

/** A temporary directory, removed at exit if the test does not. */
export function tempDir(prefix = 'biebsync-import-') {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(d);
  return d;
}

export function removeDir(d) {
  rmSync(d, { recursive: true, force: true });
  dirs.delete(d);
}

// A private copy of the binary, so that a rebuild while the tests run
// (make relinks in place) cannot change it half-way.
const binDir = tempDir('biebsync-import-bin-');
export const BIN = join(binDir, 'biebsync');
copyFileSync(BIN_SOURCE, BIN);
chmodSync(BIN, 0o755);

const SANITIZER = /ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

export function assertNoSanitizerReport(text, what) {
  const m = SANITIZER.exec(text);
  if (m) {
    const at = Math.max(0, m.index - 200);
    assert.fail(`${what}: sanitizer report on stderr:\n${text.slice(at, at + 4000)}`);
  }
}

const ENV = { ...process.env, BIEBSYNC_LANG: 'en' };
delete ENV.BIEBSYNC_TEST_APPLY_DELAY_US;

/** Run biebsync synchronously: { status, stdout, stderr }. */
export function biebsync(args, { cwd, env = {}, timeout = 60000 } = {}) {
  const r = spawnSync(BIN, args, {
    cwd,
    env: { ...ENV, ...env },
    encoding: 'utf8',
    timeout,
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`biebsync ${args.join(' ')}: ${r.error.message}`);
  assertNoSanitizerReport(r.stderr, `biebsync ${args.join(' ')}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Start biebsync in the background: { proc, done } where done resolves to
 * { status, signal, stdout, stderr, ms } and never rejects.
 */
export function biebsyncAsync(args, { cwd, env = {}, timeout = 60000 } = {}) {
  const t0 = performance.now();
  const proc = spawn(BIN, args, { cwd, env: { ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeout);
  const done = new Promise((res) => {
    proc.on('close', (status, signal) => {
      clearTimeout(timer);
      res({ status, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
  return { proc, done };
}

/** Run sqlite3 on a database file; rows as objects (-json). */
export function sql(dbPath, query) {
  const r = spawnSync('sqlite3', ['-bail', '-json', dbPath, query], {
    encoding: 'utf8',
    timeout: 30000,
    maxBuffer: 256 << 20,
  });
  if (r.error || r.status !== 0) {
    throw new Error(`sqlite3 ${query}: ${r.error?.message ?? ''} ${r.stderr}`);
  }
  return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
}

/**
 * A database in its own directory with one school.  All commands run with
 * --db sqlite:PATH, in the directory.
 */
export class Db {
  constructor(dir, file = 'biebsync.db') {
    this.dir = dir;
    this.path = join(dir, file);
    this.url = `sqlite:${this.path}`;
  }

  run(args, opts = {}) {
    return biebsync([...args, '--db', this.url], { cwd: this.dir, ...opts });
  }

  runAsync(args, opts = {}) {
    return biebsyncAsync([...args, '--db', this.url], { cwd: this.dir, ...opts });
  }

  /** Must succeed. */
  ok(args, opts = {}) {
    const r = this.run(args, opts);
    assert.equal(r.status, 0, `biebsync ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  addSchool(slug, name = 'OBS De Regenboog', brin = '12AB') {
    this.ok(['admin', 'school', 'add', '--name', name, '--brin', brin, '--slug', slug]);
  }

  /** `biebsync import --json`; returns { status, json, stdout, stderr }. */
  importJson(slug, file, flags = [], opts = {}) {
    const r = this.run(['import', '--school', slug, file, '--json', ...flags], opts);
    let json = null;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      /* refused before the report (unreadable file, no school) */
    }
    return { ...r, json };
  }

  /** `biebsync import FILE --apply` of a file that must apply. */
  apply(slug, file, flags = []) {
    const r = this.importJson(slug, file, ['--apply', ...flags]);
    assert.equal(r.status, 0, `import --apply ${file} failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(r.json.applied > 0, 'an import id');
    return r.json;
  }

  /** `biebsync import --stage`: the preview's id. */
  stage(slug, file) {
    const r = this.ok(['import', '--school', slug, file, '--stage']);
    const m = /Saved as preview (\d+)\./.exec(r.stdout);
    assert.ok(m, `no preview id in:\n${r.stdout}`);
    return Number(m[1]);
  }

  /** The school's active roster as `admin roster export --format json`. */
  export(slug) {
    return JSON.parse(this.ok(['admin', 'roster', 'export', '--school', slug, '--format', 'json']).stdout);
  }

  /** `admin import list`: [{ id, state, counts: {new,left,...}, file }]. */
  imports(slug) {
    const out = this.ok(['admin', 'import', 'list', '--school', slug]).stdout;
    return out
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const m = /^(\d+)\s+\S+ \S+\s+\S+\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l);
        assert.ok(m, `cannot read import list line: ${l}`);
        return {
          id: Number(m[1]),
          state: m[2],
          counts: {
            new: +m[3], left: +m[4], moved: +m[5], jaargroep: +m[6], corrected: +m[7], reenrolled: +m[8],
            renumbered: +m[9],
          },
          file: m[10],
        };
      });
  }

  /** Every row of the students table (every column, in id order): the
   * roster exactly, including students who left. */
  students() {
    return sql(this.path, 'SELECT * FROM students ORDER BY id');
  }

  /** The school's roster version. */
  version(slug) {
    return sql(this.path, `SELECT roster_version AS v FROM schools WHERE slug = '${slug}'`)[0].v;
  }

  /** Copy the database (closed: no -wal) to another directory's Db. */
  copyTo(dir) {
    if (existsSync(this.path + '-wal')) sql(this.path, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const d = new Db(dir);
    for (const f of [d.path, d.path + '-wal', d.path + '-shm']) rmSync(f, { force: true });
    copyFileSync(this.path, d.path);
    return d;
  }
}

/** Count the changes of an `import --json` per kind. */
export function kinds(json) {
  const by = {};
  for (const c of json.changes) (by[c.kind] ??= []).push(c);
  return by;
}

/** Every listed change shows a field that changes, and only those. */
export function assertEveryListedChangeIsReal(j) {
  for (const c of j.changes) {
    if (c.kind === 'new' || c.kind === 'left' || c.kind === 'reenrolled') continue;
    assert.ok(c.fields.length > 0, `a listed change without a changed field: ${JSON.stringify(c)}`);
    for (const f of c.fields) assert.notDeepEqual(c.before[f], c.after[f], `${f}: ${JSON.stringify(c)}`);
  }
  assert.ok(!j.changes.some((c) => c.kind === 'unchanged' || c.kind === 'group_name'), 'those are counted, not listed');
}

/** A student of `import --json` ({number, roepnaam, ..., birth, group,
 * jaargroep}) in the generators' form. */
export const plain = (s) => ({
  number: s.number,
  roepnaam: s.roepnaam,
  tussenvoegsel: s.tussenvoegsel,
  achternaam: s.achternaam,
  birth: s.birth,
  group: s.group,
  jaargroep: s.jaargroep,
});

/** An export row (`admin roster export --format json`) in the same form. */
export const fromExport = (x) => ({
  number: x.leerlingnummer,
  roepnaam: x.roepnaam,
  tussenvoegsel: x.tussenvoegsel,
  achternaam: x.achternaam,
  birth: x.geboortedatum,
  group: x.groep,
  jaargroep: x.jaargroep,
});

export const byNumber = (a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
