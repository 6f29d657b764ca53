// The safety guards of an import (issue 4, "Guards"): a file with one group
// only, another school's file and an empty file are refused with a clear
// message, exit status 1 and nothing changed (not the roster, and no import
// recorded); with --confirm-guard the guarded files apply, an empty one
// never does.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeSchool, parnassysXlsx, writeXlsx } from '../tests/fixtures/gen.mjs';
import { Db, biebsync, byNumber, fromExport, plain, removeDir, tempDir } from '../tests/import/lib.mjs';

const SLUG = 'regenboog';

describe('import: guards', () => {
  let dir;
  let base; // the school with its roster of 400, never changed
  let school;
  let before400;
  const identities = new Set();

  /** A fresh copy of the school's database. */
  const fresh = () => base.copyTo(tempDir());

  before(() => {
    dir = tempDir();
    base = new Db(dir);
    base.addSchool(SLUG);
    school = makeSchool({ seed: 31, size: 400, identities });
    parnassysXlsx(join(dir, 'school.xlsx'), school);
    base.apply(SLUG, join(dir, 'school.xlsx'));
    before400 = base.students();
  });

  after(() => removeDir(dir));

  const sorted = (list) => list.map(plain).sort(byNumber);

  /** The refusal: exit 1, nothing applied, nothing recorded, roster as it was. */
  function assertRefused(db, r, why) {
    assert.equal(r.status, 1, `${why}: exit status\n${r.stdout}\n${r.stderr}`);
    assert.deepEqual(db.students(), before400, `${why}: the roster changed`);
    assert.equal(db.imports(SLUG).length, 1, `${why}: an import was recorded`);
  }

  test('a file with one group only: both guards, refused, then applied with --confirm-guard', () => {
    const db = fresh();
    const group = school.filter((s) => s.group === 'Groep 5a');
    assert.equal(group.length, 25);
    const file = join(db.dir, 'groep5a.xlsx');
    parnassysXlsx(file, group);

    const j = db.importJson(SLUG, file, ['--apply']);
    assertRefused(db, j, 'one group');
    assert.ok(j.json, `--json prints only JSON on stdout:\n${j.stdout}`);
    assert.deepEqual(j.json.guard, { unenrol: true, match: true, active: 400, matched: 25 });
    assert.equal(j.json.applied, null);
    assert.deepEqual(j.json.counts, { new: 0, left: 375, moved: 0, corrected: 0, reenrolled: 0, renumbered: 0, unchanged: 25, jaargroep: 0, group_name: 0 });
    assert.match(j.stderr, /--confirm-guard/);

    // the text names the numbers
    const t = db.run(['import', '--school', SLUG, file, '--apply']);
    assertRefused(db, t, 'one group (text)');
    assert.match(t.stdout, /this import unenrols 375 of the 400 students \(93 %\)/);
    assert.match(t.stdout, /only 25 of the 400 students are in this file/);
    assert.match(t.stdout, /Not applied\. .*--confirm-guard/);

    const ok = db.importJson(SLUG, file, ['--apply', '--confirm-guard']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.ok(ok.json.applied > 0);
    assert.deepEqual(db.export(SLUG).map(fromExport).sort(byNumber), sorted(group));
    removeDir(db.dir);
  });

  test('a staged preview that trips a guard needs --confirm-guard on admin import apply too', () => {
    const db = fresh();
    const file = join(db.dir, 'groep3b.xlsx');
    parnassysXlsx(file, school.filter((s) => s.group === 'Groep 3b'));
    const id = db.stage(SLUG, file);
    const r = db.run(['admin', 'import', 'apply', String(id), '--school', SLUG]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Confirm with --confirm-guard/);
    assert.deepEqual(db.students(), before400);
    assert.equal(db.imports(SLUG)[0].state, 'preview');
    db.ok(['admin', 'import', 'apply', String(id), '--school', SLUG, '--confirm-guard']);
    assert.equal(db.imports(SLUG)[0].state, 'applied');
    assert.equal(db.export(SLUG).length, 25);
    removeDir(db.dir);
  });

  test("another school's file (its own numbers): refused, applied with --confirm-guard", () => {
    const db = fresh();
    const other = makeSchool({ seed: 32, size: 200, firstNumber: 60001, identities });
    const file = join(db.dir, 'andere-school.xlsx');
    parnassysXlsx(file, other, { school: 'OBS De Klimop' });
    const j = db.importJson(SLUG, file, ['--apply']);
    assertRefused(db, j, 'other school');
    assert.deepEqual(j.json.guard, { unenrol: true, match: true, active: 400, matched: 0 });
    assert.equal(j.json.counts.new, 200);
    assert.equal(j.json.counts.left, 400);

    const ok = db.importJson(SLUG, file, ['--apply', '--confirm-guard']);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.deepEqual(db.export(SLUG).map(fromExport).sort(byNumber), sorted(other));
    removeDir(db.dir);
  });

  test("another school's file numbered the same way: matching numbers are not matching children", () => {
    // Two schools whose administrations both number from 10001: every
    // number matches, no child does.  Applied without a question this
    // would overwrite 400 children's names with other children's.
    const db = fresh();
    const other = makeSchool({ seed: 33, size: 400, firstNumber: 10001, identities });
    const file = join(db.dir, 'andere-school-zelfde-nummers.xlsx');
    parnassysXlsx(file, other, { school: 'OBS De Klimop' });
    const j = db.importJson(SLUG, file, ['--apply']);
    assertRefused(db, j, 'other school, same numbers');
    assert.equal(j.json.guard.match, true, JSON.stringify(j.json.guard));
    assert.ok(j.json.guard.matched < 100, `${j.json.guard.matched} of 400 look like the same children`);
    assert.equal(j.json.counts.new, 0);
    removeDir(db.dir);
  });

  test('an empty file is refused, also with --confirm-guard', () => {
    const db = fresh();
    const empty = join(db.dir, 'leeg.csv');
    writeFileSync(empty, '');
    for (const flags of [['--apply'], ['--apply', '--confirm-guard']]) {
      const r = db.run(['import', '--school', SLUG, empty, ...flags]);
      assertRefused(db, r, `empty file ${flags}`);
      assert.match(r.stdout, /^The file leeg\.csv is empty\. Upload /m, 'the message names the file');
    }
    // in Dutch, and from `check` too, with the name as it was given
    const nl = db.run(['import', '--school', SLUG, empty, '--apply'], { env: { BIEBSYNC_LANG: 'nl' } });
    assertRefused(db, nl, 'empty file in Dutch');
    assert.match(nl.stdout, /^Het bestand leeg\.csv is leeg\. Upload /m);
    const chk = biebsync(['check', empty], { env: { BIEBSYNC_LANG: 'nl' } });
    assert.equal(chk.status, 1);
    assert.match(chk.stdout, /^Het bestand leeg\.csv is leeg\./m);

    // a file of NUL bytes is not empty: it is binary
    const zeros = join(db.dir, 'nullen.csv');
    writeFileSync(zeros, Buffer.alloc(4096));
    const z = db.run(['import', '--school', SLUG, zeros, '--apply']);
    assertRefused(db, z, 'NUL bytes');
    assert.match(z.stdout, /binary file/);
    assert.doesNotMatch(z.stdout, /empty/);

    // a header and no students: the report says so
    const header = join(db.dir, 'alleen-kop.csv');
    writeFileSync(header, 'Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep\r\n');
    const xlsx = join(db.dir, 'alleen-kop.xlsx');
    writeXlsx(xlsx, [{ name: 'Leerlingen', rows: [[{ bold: 'Leerlingen per groep' }], [],
      ['Leerlingnummer', 'Achternaam', 'Voorvoegsel', 'Roepnaam', 'Geboortedatum', 'Groep']] }]);
    for (const file of [header, xlsx]) {
      for (const flags of [['--apply'], ['--apply', '--confirm-guard']]) {
        const j = db.importJson(SLUG, file, flags);
        assertRefused(db, j, `${file} ${flags}`);
        assert.ok(j.json, j.stdout);
        assert.equal(j.json.blocked, true);
        assert.deepEqual(j.json.issues.map((i) => i.code), ['no_students']);
        assert.match(j.json.issues[0].message, /no student rows below the header/);
        assert.match(j.stderr, /Not applied\. This file has errors that must be fixed first; nothing was changed/);
      }
      const t = db.run(['import', '--school', SLUG, file, '--apply']);
      assertRefused(db, t, file);
      assert.match(t.stdout, /ERROR row \d+: There are no student rows below the header\./);
    }
    removeDir(db.dir);
  });

  test('unenrolling many, but matching well (a school that shrank): the unenrol guard alone', () => {
    const db = fresh();
    const kept = school.filter((s) => s.jaargroep <= 5); // 250 of 400 stay: 37.5 % leave
    const file = join(db.dir, 'krimp.xlsx');
    parnassysXlsx(file, kept);
    const j = db.importJson(SLUG, file, ['--apply']);
    assertRefused(db, j, 'shrinking school');
    assert.deepEqual(j.json.guard, { unenrol: true, match: false, active: 400, matched: 250 });
    removeDir(db.dir);
  });
});
