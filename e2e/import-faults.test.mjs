// Faults while applying an import (issue 4, "Faults"):
//
//  - kill -9 at random moments during `biebsync import --apply` of a large
//    import (BIEBSYNC_TEST_APPLY_DELAY_US makes the apply take about a
//    second), at least 50 times: afterwards the roster is exactly the
//    before-state or the after-state, the database is intact, and the
//    import's state agrees (applied iff the roster is the after-state; a
//    killed apply leaves a preview or nothing);
//  - a full disk (a small tmpfs; RLIMIT_FSIZE where mounting is not
//    allowed) and a locked database (another process holds a write
//    transaction; the store waits 5 s) give a clear error and change
//    nothing, and the same command works once the cause is gone.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import { esisCsv, makeRng, makeSchool, nextYear, parnassysXlsx } from '../tests/fixtures/gen.mjs';
import {
  BIN, Db, atExit, byNumber, fromExport, plain, removeDir, scaled, sleep, sql, tempDir,
} from '../tests/import/lib.mjs';

const SLUG = 'groot';

/** The roster compared without the moments of enrolling and leaving
 * (a new run of the same apply has other timestamps). */
const shape = (rows) => rows.map(({ enrolled, left_at, ...rest }) => ({ ...rest, left: left_at > 0 }));

describe('import: kill -9 during --apply', () => {
  const KILLS = Math.max(50, Number(process.env.BIEBSYNC_TEST_KILLS ?? 50));
  const ROWS = scaled(3000, 200);
  let dir;
  let pristine; // the school with its roster, applied; copied for each try
  let file;
  let beforeRows;
  let afterShape;
  let afterCounts;
  let delayUs;
  let fullMs;

  before(() => {
    dir = tempDir();
    const base = new Db(join(dir, 'base'));
    mkdirSync(base.dir);
    base.addSchool(SLUG, 'Kindcentrum De Horizon', '31ZZ');
    const school = makeSchool({ seed: 9001, size: ROWS, cp1252: true });
    esisCsv(join(dir, 'jaar1.csv'), school);
    base.apply(SLUG, join(dir, 'jaar1.csv'), ['--confirm-guard']);
    file = join(dir, 'jaar2.csv');
    esisCsv(file, nextYear(school, { seed: 9002, cp1252: true }));
    const preview = base.importJson(SLUG, file).json;
    afterCounts = preview.counts;
    const journal = preview.changes.length;
    assert.ok(journal >= ROWS, `${journal} journal rows`);
    delayUs = Math.max(1, Math.round(1e6 / journal)); // the apply: ~1 s
    pristine = base;
    beforeRows = base.students();
  });

  after(() => removeDir(dir));

  /** A fresh copy of the pristine database in its own directory. */
  const fresh = () => pristine.copyTo(tempDir());

  const applyArgs = (db) => ['import', '--school', SLUG, file, '--apply', '--db', db.url];
  const env = () => ({ ...process.env, BIEBSYNC_LANG: 'en', BIEBSYNC_TEST_APPLY_DELAY_US: String(delayUs) });

  test('a whole apply with the delay: the after-state', async () => {
    const db = fresh();
    const t0 = performance.now();
    const r = spawnSync(BIN, applyArgs(db), { cwd: db.dir, env: env(), encoding: 'utf8', timeout: 120000 });
    fullMs = performance.now() - t0;
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(fullMs > 800, `the delay hook makes the apply take about a second (${Math.round(fullMs)} ms)`);
    const rows = db.students();
    afterShape = shape(rows);
    assert.notDeepEqual(afterShape, shape(beforeRows));
    const imp = db.imports(SLUG);
    assert.equal(imp[0].state, 'applied');
    const { unchanged, group_name: groupName, ...changed } = afterCounts;
    assert.equal(unchanged, 0);
    assert.equal(groupName, 0);
    assert.deepEqual(imp[0].counts, changed);
    removeDir(db.dir);
  });

  test(`kill -9 at ${KILLS} random moments: before-state or after-state, never between`, async (t) => {
    assert.ok(fullMs, 'the whole apply ran first');
    const rng = makeRng(Number(process.env.BIEBSYNC_TEST_SEED ?? 20250901));
    const tally = { nothing: 0, preview: 0, applied: 0, exited: 0 };
    let lastPreview = null;
    for (let i = 0; i < KILLS; i++) {
      const db = fresh();
      // stratified: try i is killed in the i-th slice of [0, 1.25 x the whole run]
      const at = (fullMs * 1.25 * (i + rng())) / KILLS;
      const proc = spawn(BIN, applyArgs(db), { cwd: db.dir, env: env(), stdio: 'ignore' });
      const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
      const timer = setTimeout(() => proc.kill('SIGKILL'), at);
      const guard = setTimeout(() => proc.kill('SIGKILL'), 120000);
      const { code, signal } = await exited;
      clearTimeout(timer);
      clearTimeout(guard);
      const where = `try ${i} (kill at ${Math.round(at)} ms, ${signal ?? 'exit ' + code})`;
      if (signal === null) {
        assert.equal(code, 0, `${where}: the apply failed`);
        tally.exited++;
      }

      assert.deepEqual(sql(db.path, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }], where);
      const rows = db.students();
      const imports = db.imports(SLUG).filter((x) => x.id !== 1);
      if (rows.length === beforeRows.length && JSON.stringify(rows) === JSON.stringify(beforeRows)) {
        // a killed apply leaves nothing or a preview, never an applied import
        assert.ok(imports.length <= 1, `${where}: ${JSON.stringify(imports)}`);
        if (imports.length === 1) {
          assert.equal(imports[0].state, 'preview', `${where}: roster unchanged but import ${imports[0].state}`);
          tally.preview++;
          if (lastPreview) removeDir(lastPreview.db.dir);
          lastPreview = { db, id: imports[0].id, i };
        } else {
          tally.nothing++;
        }
      } else {
        assert.deepEqual(shape(rows), afterShape, `${where}: the roster is neither the before- nor the after-state`);
        assert.equal(imports.length, 1, where);
        assert.equal(imports[0].state, 'applied', `${where}: roster applied but import ${imports[0].state}`);
        tally.applied++;
      }
      if (lastPreview?.i !== i) removeDir(db.dir);
    }
    t.diagnostic(`${KILLS} kills (apply ${Math.round(fullMs)} ms, delay ${delayUs} us/row, ${ROWS} students): ` +
      `${tally.nothing} before staging, ${tally.preview} during the apply, ${tally.applied} after it ` +
      `(${tally.exited} had exited by themselves)`);
    assert.ok(tally.preview >= 10, `at least 10 kills inside the apply transaction: ${JSON.stringify(tally)}`);
    assert.ok(tally.applied >= 1, JSON.stringify(tally));

    // the preview a killed apply left behind is still good
    if (lastPreview) {
      const { db, id } = lastPreview;
      db.ok(['admin', 'import', 'apply', String(id), '--school', SLUG]);
      assert.deepEqual(shape(db.students()), afterShape);
      removeDir(db.dir);
    }
  });
});

describe('import: a locked database', () => {
  let dir;
  let db;
  let beforeRows;
  let file;
  let holder = null;

  /** Another process holds a write transaction on the database. */
  async function lock() {
    const p = spawn('sqlite3', [db.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    p.stdin.write("BEGIN EXCLUSIVE;\nINSERT INTO audit_log (at, event, actor, addr, detail) VALUES (0, 'x', 'test', '', 'lock');\nSELECT 'locked';\n");
    const t0 = Date.now();
    while (!out.includes('locked')) {
      assert.ok(Date.now() - t0 < 10000, 'sqlite3 took the lock');
      await sleep(20);
    }
    holder = p;
    return p;
  }

  async function unlock() {
    const p = holder;
    holder = null;
    const closed = new Promise((res) => p.on('close', res));
    p.stdin.end('ROLLBACK;\n.quit\n');
    await closed;
  }

  before(() => {
    dir = tempDir();
    db = new Db(dir);
    db.addSchool(SLUG);
    const school = makeSchool({ seed: 71, size: 400 });
    parnassysXlsx(join(dir, 'jaar1.xlsx'), school);
    db.apply(SLUG, join(dir, 'jaar1.xlsx'));
    file = join(dir, 'jaar2.xlsx');
    parnassysXlsx(file, nextYear(school, { seed: 72 }));
    beforeRows = db.students();
  });

  after(async () => {
    if (holder) await unlock();
    removeDir(dir);
  });

  test('import --apply: busy after the 5 s wait, nothing changed; works once the lock is gone', async () => {
    await lock();
    const t0 = performance.now();
    const r = db.run(['import', '--school', SLUG, file, '--apply']);
    const ms = performance.now() - t0;
    await unlock();
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Not applied\. The database is busy; nothing was changed\./);
    assert.ok(ms >= 4500, `waited for the lock (${Math.round(ms)} ms)`);
    assert.deepEqual(db.students(), beforeRows);
    assert.equal(db.imports(SLUG).length, 1, 'no preview was saved either');
    assert.equal(db.run(['import', '--school', SLUG, file, '--apply']).status, 0);
    assert.notDeepEqual(db.students(), beforeRows);
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), beforeRows);
  });

  test('admin import apply of a preview: busy, the preview stays a preview', async () => {
    const id = db.stage(SLUG, file);
    await lock();
    const r = db.run(['admin', 'import', 'apply', String(id), '--school', SLUG]);
    await unlock();
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /The database is busy; nothing was changed\./);
    assert.deepEqual(db.students(), beforeRows);
    assert.equal(db.imports(SLUG).find((x) => x.id === id).state, 'preview');
    db.ok(['admin', 'import', 'apply', String(id), '--school', SLUG]);
    assert.equal(db.imports(SLUG).find((x) => x.id === id).state, 'applied');
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), beforeRows);
  });

  test('a lock held for a moment only: the apply waits for it and succeeds', async () => {
    await lock();
    const run = db.runAsync(['import', '--school', SLUG, file, '--apply']);
    await sleep(1000);
    await unlock();
    const r = await run.done;
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(r.ms >= 900, `${Math.round(r.ms)} ms`);
    assert.match(r.stdout, /Applied as import \d+\./);
  });
});

describe('import: a full disk', () => {
  let dir;
  let mnt = null; // the tmpfs mount point, when mounting works
  let db;
  let file;
  let expected;
  let beforeRows;

  before(() => {
    dir = tempDir();
    const m = join(dir, 'mnt');
    mkdirSync(m);
    if (process.env.BIEBSYNC_TEST_NO_TMPFS !== '1' &&
        spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', m]).status === 0) {
      mnt = m;
      atExit(() => spawnSync('umount', ['-l', m]));
    }
    db = new Db(mnt ?? m);
    db.addSchool(SLUG);
    const school = makeSchool({ seed: 81, size: 400 });
    parnassysXlsx(join(dir, 'jaar1.xlsx'), school);
    db.apply(SLUG, join(dir, 'jaar1.xlsx'));
    file = join(dir, 'jaar2.xlsx');
    expected = nextYear(school, { seed: 82 });
    parnassysXlsx(file, expected);
    beforeRows = db.students();
  });

  after(() => {
    if (mnt) assert.equal(spawnSync('umount', [mnt]).status, 0, 'umount');
    mnt = null;
    removeDir(dir);
  });

  /** Fill the file system until `free` bytes are left. */
  function fill(free) {
    const st = statfsSync(db.dir);
    const avail = Number(st.bavail) * Number(st.bsize);
    assert.ok(avail > free, `${avail} bytes free`);
    writeFileSync(join(db.dir, 'fill'), Buffer.alloc(avail - free));
  }
  const unfill = () => rmSync(join(db.dir, 'fill'), { force: true });

  /** Run biebsync with a file size limit (the fallback without tmpfs):
   * SIGXFSZ ignored, so that writes fail with EFBIG. */
  function runLimited(args, bytes) {
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f ${Math.floor(bytes / 512)}; exec "$0" "$@"`, BIN, ...args, '--db', db.url], {
      cwd: db.dir, env: { ...process.env, BIEBSYNC_LANG: 'en' }, encoding: 'utf8', timeout: 60000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('import --apply on a full disk: a clear error, nothing changed; works with room again', (t) => {
    t.diagnostic(mnt ? 'a 4 MB tmpfs' : 'no tmpfs (mount refused, or BIEBSYNC_TEST_NO_TMPFS=1): RLIMIT_FSIZE instead');
    let r;
    if (mnt) {
      fill(64 * 1024); // room to open the database, not to write the import
      r = db.run(['import', '--school', SLUG, file, '--apply']);
      unfill();
    } else {
      r = runLimited(['import', '--school', SLUG, file, '--apply'], 64 * 1024);
    }
    assert.equal(r.status, 1, r.stdout + r.stderr);
    if (mnt) assert.match(r.stdout, /Not applied\. The disk or the database is full; nothing was changed\./);
    else assert.match(r.stdout, /Not applied\. .*; nothing was changed\./);
    assert.deepEqual(db.students(), beforeRows);
    assert.ok(db.imports(SLUG).every((x) => x.state !== 'applied' || x.id === 1));

    // with room again the same command applies; undone for the next test
    db.ok(['import', '--school', SLUG, file, '--apply']);
    assert.deepEqual(db.export(SLUG).map(fromExport).sort(byNumber), expected.map(plain).sort(byNumber));
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), beforeRows);
  });

  test('admin import apply of a preview on a full disk: the preview stays, then applies', () => {
    const id = db.stage(SLUG, file);
    let r;
    if (mnt) {
      fill(48 * 1024);
      r = db.run(['admin', 'import', 'apply', String(id), '--school', SLUG]);
      unfill();
      assert.match(r.stderr, /disk or the database is full/);
    } else {
      r = runLimited(['admin', 'import', 'apply', String(id), '--school', SLUG], 48 * 1024);
    }
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.deepEqual(db.students(), beforeRows);
    assert.equal(db.imports(SLUG).find((x) => x.id === id).state, 'preview');
    db.ok(['admin', 'import', 'apply', String(id), '--school', SLUG]);
    assert.deepEqual(db.export(SLUG).map(fromExport).sort(byNumber), expected.map(plain).sort(byNumber));
  });

  test('a completely full disk: refused at opening, nothing changed', () => {
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), beforeRows);
    let r;
    if (mnt) {
      fill(0);
      r = db.run(['import', '--school', SLUG, file, '--apply']);
      unfill();
    } else {
      r = runLimited(['import', '--school', SLUG, file, '--apply'], 0);
    }
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /disk|full/i);
    assert.deepEqual(db.students(), beforeRows);
  });
});
