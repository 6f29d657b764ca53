// Concurrent imports of one school (issue 4, "Concurrency"):
//
//  - two `biebsync admin import apply ID` of the same staged preview at
//    once: it is applied once; the other says it is not a preview any more
//    (exit 1) and changes nothing;
//  - two `biebsync import --apply` of the same file at once: each stages
//    its own preview of the same roster version; one applies, the other
//    fails, either on the roster version or because the winner's preview
//    replaced its own (a school has one open preview at a time);
//  - previews of two files for one school (`import --stage` twice): the
//    second replaces the first, which can no longer be applied; a preview
//    of a roster that an undo changed fails on the roster version (exit 1),
//    changes nothing and stays a preview.
//
// BIEBSYNC_TEST_APPLY_DELAY_US stretches each apply to about a second, so
// that the two processes really overlap.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import { makeSchool, nextYear, parnassysXlsx } from '../tests/fixtures/gen.mjs';
import { Db, byNumber, fromExport, plain, removeDir, tempDir } from '../tests/import/lib.mjs';

const SLUG = 'klimop';

describe('import: two at once', () => {
  let dir;
  let base;
  let school;
  let year2;
  let file2;
  let fileB;
  let beforeRows;
  let delay;

  before(() => {
    dir = tempDir();
    base = new Db(dir);
    base.addSchool(SLUG, 'OBS De Klimop', '22KL');
    school = makeSchool({ seed: 51, size: 400 });
    parnassysXlsx(join(dir, 'jaar1.xlsx'), school);
    base.apply(SLUG, join(dir, 'jaar1.xlsx'));
    year2 = nextYear(school, { seed: 52 });
    file2 = join(dir, 'jaar2.xlsx');
    parnassysXlsx(file2, year2);
    // another, different file for the same school: a mid-year list
    fileB = join(dir, 'tussentijds.xlsx');
    parnassysXlsx(fileB, school.slice(3));
    beforeRows = base.students();
    const journal = base.importJson(SLUG, file2).json.changes.length;
    delay = { BIEBSYNC_TEST_APPLY_DELAY_US: String(Math.round(1e6 / journal)) };
  });

  after(() => removeDir(dir));

  const roster = (db) => db.export(SLUG).map(fromExport).sort(byNumber);
  const sorted = (list) => list.map(plain).sort(byNumber);
  const audits = (db, event) =>
    db.ok(['admin', 'audit', '--school', SLUG, '--limit', '1000']).stdout.split('\n').filter((l) => l.includes(` ${event} `));

  test('the same preview applied twice at once: applied once, the other says so', async () => {
    for (let round = 0; round < 3; round++) {
      const db = base.copyTo(tempDir());
      const id = db.stage(SLUG, file2);
      const a = db.runAsync(['admin', 'import', 'apply', String(id), '--school', SLUG], { env: delay });
      const b = db.runAsync(['admin', 'import', 'apply', String(id), '--school', SLUG], { env: delay });
      const rs = await Promise.all([a.done, b.done]);
      const won = rs.filter((r) => r.status === 0);
      const lost = rs.filter((r) => r.status !== 0);
      assert.equal(won.length, 1, rs.map((r) => `${r.status}: ${r.stdout}${r.stderr}`).join('\n'));
      assert.match(won[0].stdout, new RegExp(`Import ${id} has been applied\\.`));
      assert.equal(lost[0].status, 1);
      assert.match(lost[0].stderr, /This import has already been decided \(applied, cancelled, replaced by a newer upload or expired\); nothing was changed\./);
      assert.ok(Math.max(...rs.map((r) => r.ms)) > 900, 'the applies overlapped');

      assert.deepEqual(roster(db), sorted(year2));
      assert.equal(db.students().length, beforeRows.length + year2.filter((s) => Number(s.number) >= 90001).length,
        'new students enrolled once');
      assert.deepEqual(db.imports(SLUG).map((x) => x.state), ['applied', 'applied']);
      assert.equal(audits(db, 'import_applied').length, 2, 'year 1 and this one');
      removeDir(db.dir);
    }
  });

  test('the same file imported with --apply twice at once: one applies, the other changes nothing', async () => {
    const db = base.copyTo(tempDir());
    const args = ['import', '--school', SLUG, file2, '--apply'];
    const rs = await Promise.all([db.runAsync(args, { env: delay }).done, db.runAsync(args, { env: delay }).done]);
    const won = rs.filter((r) => r.status === 0);
    const lost = rs.filter((r) => r.status !== 0);
    assert.equal(won.length, 1, rs.map((r) => `${r.status}: ${r.stdout}${r.stderr}`).join('\n'));
    assert.equal(lost[0].status, 1);
    assert.match(lost[0].stdout, /Not applied\. (The school's students changed since this preview; nothing was changed\. Upload the file again|This import has already been decided \(applied, cancelled, replaced by a newer upload or expired\); nothing was changed\.)/);
    assert.deepEqual(roster(db), sorted(year2));
    const states = db.imports(SLUG).map((x) => x.state).sort();
    assert.ok(['applied,applied,preview', 'applied,applied,cancelled'].includes(String(states)),
      `the loser's preview is left unapplied: ${states}`);
    // run again, as the message says: nothing left to change
    const again = db.importJson(SLUG, file2, ['--apply']);
    assert.equal(again.status, 0);
    assert.equal(again.json.counts.unchanged, year2.length);
    removeDir(db.dir);
  });

  test('previews of two files: the second replaces the first; a preview of an undone roster changes nothing', () => {
    const db = base.copyTo(tempDir());
    const replaced = db.stage(SLUG, fileB);
    const first = db.stage(SLUG, file2);
    assert.notEqual(first, replaced);
    assert.equal(db.imports(SLUG).find((x) => x.id === replaced).state, 'cancelled');
    const r0 = db.run(['admin', 'import', 'apply', String(replaced), '--school', SLUG]);
    assert.equal(r0.status, 1, r0.stdout + r0.stderr);
    assert.deepEqual(db.students(), beforeRows);
    db.ok(['admin', 'import', 'apply', String(first), '--school', SLUG]);
    const second = db.stage(SLUG, fileB);

    // undoing the first changes the roster the second was computed from
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), beforeRows);
    const version = db.version(SLUG);
    const r = db.run(['admin', 'import', 'apply', String(second), '--school', SLUG]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /The school's students changed since this preview; nothing was changed\./);
    assert.deepEqual(db.students(), beforeRows);
    assert.equal(db.version(SLUG), version);
    const list = db.imports(SLUG);
    assert.equal(list.find((x) => x.id === first).state, 'undone');
    assert.equal(list.find((x) => x.id === second).state, 'preview');

    // a cancelled preview cannot be applied either
    db.ok(['admin', 'import', 'cancel', String(second), '--school', SLUG]);
    const r3 = db.run(['admin', 'import', 'apply', String(second), '--school', SLUG]);
    assert.equal(r3.status, 1);
    assert.match(r3.stderr, /This import has already been decided \(applied, cancelled, replaced by a newer upload or expired\); nothing was changed\./);
    removeDir(db.dir);
  });
});
