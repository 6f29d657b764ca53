// Three school years of one school, each exported by another system
// (issue 9, "Done when"):
//
//   year 1  a ParnasSys-like .xlsx: title rows above the header, Roepnaam /
//           Voorvoegsel / Achternaam, Groep + Jaargroep, a BSN column and
//           address columns (never stored)
//   year 2  an ESIS-like CSV in Windows-1252 whose student numbers lost
//           their leading zeros; everyone moved up, group 8 left, one child
//           moved away, an intake in the 1/2 classes (whose jaargroep 1
//           children stay in their class as jaargroep 2)
//   year 3  a list with one name column ("Achternaam, Roepnaam
//           tussenvoegsel") and groups written "groep 5a", without a
//           jaargroep column; the child who moved away is back
//
// Every count per kind is exact, and no listed pupil's shown values are
// all unchanged: each listed change names at least one field, and every
// named field really differs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import { cp1252, esisCsv, makeChild, makeRng, makeSchool, moveUp, writeXlsx } from '../tests/fixtures/gen.mjs';
import {
  Db, assertEveryListedChangeIsReal, byNumber, fromExport, kinds, plain, removeDir, tempDir,
} from '../tests/import/lib.mjs';

const SLUG = 'de-linde';

const dmy = (iso) => iso.split('-').reverse().map(Number).join('-');

describe('import: three years, three systems', () => {
  let dir;
  let db;
  const m = {};

  before(() => {
    dir = tempDir();
    db = new Db(dir);
    db.addSchool(SLUG, 'Basisschool De Linde', '31LX');
    const rng = makeRng(909);
    const identities = new Set();
    m.year1 = makeSchool({ seed: 909, size: 160, cp1252: true, identities });
    m.away = m.year1.find((s) => s.jaargroep === 5);
    // children whose names Windows-1252 can write (the ESIS file is in it)
    const child = (i, number) => {
      for (;;) {
        const c = makeChild(rng, { j: 1, letter: i % 2 ? 'b' : 'a', number, identities });
        try {
          cp1252(`${c.roepnaam}${c.tussenvoegsel}${c.achternaam}`);
          return c;
        } catch {
          /* another one */
        }
      }
    };
    m.intake2 = Array.from({ length: 12 }, (_, i) => child(i, 30001 + i));
    m.year2 = [...m.year1.filter((s) => s !== m.away).map(moveUp).filter(Boolean), ...m.intake2];
    m.intake3 = Array.from({ length: 10 }, (_, i) => child(i, 40001 + i));
    const back = moveUp(moveUp(m.away));
    m.year3 = [...m.year2.map(moveUp).filter(Boolean), ...m.intake3, back];

    // year 1: ParnasSys with title rows, BSN and address columns
    const rows = [[{ bold: 'Leerlingen per groep' }], ['School: Basisschool De Linde'], [],
      ['Leerlingnummer', 'Achternaam', 'Voorvoegsel', 'Roepnaam', 'Geboortedatum', 'Groep', 'Jaargroep', 'BSN',
        'Adres', 'Postcode', 'Woonplaats']];
    m.year1.forEach((s, i) => rows.push([Number(s.number), s.achternaam, s.tussenvoegsel, s.roepnaam, { date: s.birth },
      s.group, s.jaargroep, 100000000 + i * 11, `Lindelaan ${i + 1}`, '1234 AB', 'Zwolle']));
    writeXlsx(join(dir, 'jaar1.xlsx'), [{ name: 'Leerlingen', rows }]);

    // year 2: ESIS, Windows-1252, numbers without leading zeros
    esisCsv(join(dir, 'jaar2.csv'), m.year2, { dropZeros: true });

    // year 3: one name column, "groep 5a" spelling, no jaargroep column
    const rows3 = [['Leerlingnr', 'Naam', 'Geboortedatum', 'Groep']];
    for (const s of m.year3) {
      rows3.push([Number(s.number), `${s.achternaam}, ${s.roepnaam}${s.tussenvoegsel ? ` ${s.tussenvoegsel}` : ''}`,
        dmy(s.birth), s.group.toLowerCase()]);
    }
    writeXlsx(join(dir, 'jaar3.xlsx'), [{ name: 'Blad1', rows: rows3 }]);
  });

  after(() => removeDir(dir));

  const zero = { new: 0, left: 0, moved: 0, corrected: 0, reenrolled: 0, renumbered: 0, unchanged: 0, jaargroep: 0, group_name: 0 };
  const exported = () => db.export(SLUG).map(fromExport).sort(byNumber);
  const numbers = (changes, side = 'after') => (changes ?? []).map((c) => c[side].number).sort();

  test('year 1 (ParnasSys .xlsx): everyone enrolled; BSN and address are not stored', () => {
    const j = db.apply(SLUG, join(dir, 'jaar1.xlsx'));
    assert.equal(j.layout, 'ParnasSys');
    assert.equal(j.header_row, 4);
    assert.deepEqual(j.counts, { ...zero, new: m.year1.length });
    const stored = Object.fromEntries(j.columns.map((c) => [c.header, c.stored]));
    for (const h of ['BSN', 'Adres', 'Postcode', 'Woonplaats']) assert.equal(stored[h], false, h);
    assert.deepEqual(exported(), m.year1.map(plain).sort(byNumber));
  });

  test('year 2 (ESIS, Windows-1252, no leading zeros): exact counts, nothing listed that does not change', () => {
    const j = db.apply(SLUG, join(dir, 'jaar2.csv'));
    assert.equal(j.layout, 'ESIS');
    const staying = m.year1.filter((s) => s !== m.away && s.jaargroep < 8);
    const sameClass = staying.filter((s) => moveUp(s).group === s.group); // 1/2 class, jaargroep 1 -> 2
    assert.ok(sameClass.length > 0);
    assert.deepEqual(j.counts, {
      ...zero,
      new: m.intake2.length,
      left: m.year1.filter((s) => s.jaargroep === 8).length + 1,
      moved: staying.length - sameClass.length,
      jaargroep: sameClass.length,
    });
    const k = kinds(j);
    assert.deepEqual(numbers(k.jaargroep), sameClass.map((s) => s.number).sort());
    for (const c of k.jaargroep) assert.deepEqual(c.fields, ['jaargroep']);
    assert.ok(numbers(k.left, 'before').includes(m.away.number));
    assertEveryListedChangeIsReal(j);
    assert.deepEqual(exported(), m.year2.map(plain).sort(byNumber));
  });

  test('year 3 (one name column, "groep 5a"): exact counts, the returning child, one line per renamed group', () => {
    const j = db.apply(SLUG, join(dir, 'jaar3.xlsx'));
    const staying = m.year2.filter((s) => s.jaargroep < 8);
    // without a jaargroep column a 1/2 class child keeps its jaargroep:
    // only the class's spelling changes, which is no change of the child
    const sameClass = staying.filter((s) => moveUp(s).group === s.group);
    assert.ok(sameClass.length > 0);
    assert.deepEqual(j.counts, {
      ...zero,
      new: m.intake3.length,
      left: m.year2.filter((s) => s.jaargroep === 8).length,
      moved: staying.length - sameClass.length,
      reenrolled: 1,
      group_name: sameClass.length,
    });
    const k = kinds(j);
    assert.deepEqual(numbers(k.reenrolled), [m.away.number]);
    assert.equal(k.group_name, undefined, 'a new spelling is not listed per pupil');
    assertEveryListedChangeIsReal(j);
    // the 1/2 classes: one line each, "Groep 1/2a -> groep 1/2a"
    const renamed = j.groups.filter((g) => g.students_before > 0 && g.students_after > 0 && g.before !== g.after);
    for (const g of renamed) assert.equal(g.before.toLowerCase(), g.after);
    assert.ok(renamed.some((g) => g.after === 'groep 1/2a' && g.code === '1-2A'), JSON.stringify(j.groups));
    assert.equal(exported().length, m.year3.length);
  });
});
