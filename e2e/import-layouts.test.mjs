// Each pupil administration's export, as the fixture generators write it
// (tests/fixtures/gen.mjs), is recognised by `biebsync check` and
// `biebsync import --json` with the right format and layout, and every
// student is read exactly: number, roepnaam, tussenvoegsel, achternaam,
// birth date, group and jaargroep.  Then the same school in every layout
// matches the roster made from one of them.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import {
  dotcomXls, edexml, esisCsv, handmadeXlsx, makeSchool, parnassysXlsx, schoolwiseCsv,
} from '../tests/fixtures/gen.mjs';
import { Db, biebsync, byNumber, plain, removeDir, tempDir } from '../tests/import/lib.mjs';

const SIZE = 64;

describe('import: every layout is recognised and read completely', () => {
  let dir;
  let db;
  const files = {}; // name -> { path, layout, format, students }

  before(() => {
    dir = tempDir();
    db = new Db(dir);
    db.addSchool('regenboog');
    const school = makeSchool({ seed: 2024, size: SIZE, cp1252: true });
    const at = (f) => join(dir, f);
    files.parnassys = { path: at('Leerlingen ParnasSys.xlsx'), ...parnassysXlsx(at('Leerlingen ParnasSys.xlsx'), school) };
    files.esis = { path: at('esis-export.csv'), ...esisCsv(at('esis-export.csv'), school) };
    files.esisNoZeros = { path: at('esis-export-opgeslagen.csv'), ...esisCsv(at('esis-export-opgeslagen.csv'), school, { dropZeros: true }) };
    files.dotcom = { path: at('dotcom.xls'), ...dotcomXls(at('dotcom.xls'), school) };
    files.edexml = { path: at('leerlingen.xml'), ...edexml(at('leerlingen.xml'), school) };
    files.schoolwise = { path: at('schoolwise.csv'), ...schoolwiseCsv(at('schoolwise.csv'), school) };
    files.handmade = { path: at('lijst groep 1-8.xlsx'), ...handmadeXlsx(at('lijst groep 1-8.xlsx'), school) };
  });

  after(() => removeDir(dir));

  // Warnings a correct file may get: groups with "/" are renamed for the
  // library system.
  const allowedWarnings = new Set(['group_changes']);

  for (const name of ['parnassys', 'esis', 'esisNoZeros', 'dotcom', 'edexml', 'schoolwise', 'handmade']) {
    test(`${name}: check and import --json read every student`, () => {
      const f = files[name];
      const chk = biebsync(['check', f.path], { cwd: dir });
      assert.equal(chk.status, 0, chk.stdout + chk.stderr);
      assert.match(chk.stdout, new RegExp(`^format: ${f.format}$`, 'm'));
      assert.equal(/^Layout:\s+(.*?)(, sheet .*)?, header in row \d+$/m.exec(chk.stdout)?.[1], f.layout, chk.stdout);

      const r = db.importJson('regenboog', f.path);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const j = r.json;
      assert.equal(j.format, f.format);
      assert.equal(j.layout, f.layout);
      assert.equal(j.errors, 0, JSON.stringify(j.issues.filter((i) => i.severity === 'error'), null, 1));
      assert.equal(j.blocked, false);
      assert.equal(j.applied, null, 'a preview applies nothing');
      assert.deepEqual(j.counts, {
        new: f.students.length, left: 0, moved: 0, corrected: 0, reenrolled: 0, renumbered: 0, unchanged: 0, jaargroep: 0, group_name: 0,
      });
      const got = j.changes.map((c) => plain(c.after)).sort(byNumber);
      assert.deepEqual(got, [...f.students].sort(byNumber));

      for (const i of j.issues.filter((x) => x.severity === 'warning')) {
        if (name === 'esisNoZeros' && i.code === 'number_short') continue;
        assert.ok(allowedWarnings.has(i.code), `unexpected warning ${i.code}: ${i.message}`);
      }
      // the four kinds of data are stored, nothing else
      const stored = j.columns.filter((c) => c.stored).map((c) => c.field).sort();
      const names = f.layout === 'Dotcom (SchoolOAS)' ? ['name'] : ['first name', 'last name'];
      if (['ParnasSys', 'ESIS', 'EDEXML', 'schoolWise import columns'].includes(f.layout)) names.push('name prefix');
      const jaargroep = ['ParnasSys', 'ESIS', 'EDEXML', 'schoolWise import columns'].includes(f.layout) ? ['year group'] : [];
      assert.deepEqual(stored, ['date of birth', 'group', 'student number', ...names, ...jaargroep].sort());
    });
  }

  test('ParnasSys: the BSN column is recognised as such and dropped', () => {
    const j = db.importJson('regenboog', files.parnassys.path).json;
    const bsn = j.columns.find((c) => c.header === 'BSN');
    assert.equal(bsn.stored, false);
    assert.ok(j.issues.some((i) => i.code === 'bsn_column_dropped' && i.col === bsn.col));
    assert.equal(j.header_row, 5, 'the header stands below the export titles');
  });

  test('ESIS without leading zeros: the short numbers are pointed out', () => {
    const school = makeSchool({ seed: 77, size: 64, firstNumber: 985, cp1252: true });
    const path = join(dir, 'esis-kort.csv');
    const f = esisCsv(path, school, { dropZeros: true });
    const j = db.importJson('regenboog', path).json;
    assert.equal(j.counts.new, f.students.length);
    const shorter = f.students.filter((s) => s.number.length < 4).map((s) => s.number).sort();
    assert.ok(shorter.length > 0);
    // row 1 is the header; student i stands in row i + 2
    const warned = j.issues.filter((i) => i.code === 'number_short').map((i) => f.students[i.row - 2].number);
    assert.equal(warned.length, shorter.length, JSON.stringify(j.issues.slice(0, 5)));
    assert.deepEqual(warned.sort(), shorter);
  });

  test('the same school in every layout matches the roster made from ParnasSys', () => {
    const applied = db.apply('regenboog', files.parnassys.path);
    assert.equal(applied.counts.new, SIZE);
    for (const name of ['esis', 'esisNoZeros', 'dotcom', 'edexml', 'schoolwise']) {
      const j = db.importJson('regenboog', files[name].path).json;
      assert.deepEqual(
        j.counts,
        { new: 0, left: 0, moved: 0, corrected: 0, reenrolled: 0, renumbered: 0, unchanged: SIZE, jaargroep: 0, group_name: 0 },
        `${name}: ${JSON.stringify(j.changes.slice(0, 3))}`,
      );
      assert.deepEqual(j.guard, { unenrol: false, match: false, active: SIZE, matched: SIZE });
    }
    // The hand-made list spells the groups its own way ("groep 5a",
    // "1/2b"): same groups, so nobody moves and nobody is listed; the new
    // spelling is taken, as one line per group.
    const j = db.importJson('regenboog', files.handmade.path).json;
    assert.equal(j.counts.new + j.counts.left + j.counts.moved + j.counts.renumbered + j.counts.reenrolled, 0,
      JSON.stringify(j.counts));
    assert.equal(j.counts.corrected + j.counts.jaargroep + j.counts.group_name + j.counts.unchanged, SIZE);
    assert.ok(j.counts.group_name > 0, JSON.stringify(j.counts));
    assert.ok(j.groups.some((g) => g.before !== g.after && g.students_before > 0), JSON.stringify(j.groups));
  });
});
