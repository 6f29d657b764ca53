// A school over two school years (DESIGN.md, "The import: what changes"):
//
//   year 1        the school's first ParnasSys export: about 400 students,
//                 all enrolled
//   in between    a mid-year export: one child left, one newcomer
//   year 2        everyone moves up a group (group 1 children stay in their
//                 1/2 class with jaargroep 2), group 8 has left, a new
//                 intake in groups 1/2, two names corrected (for children
//                 who stay in their group), three children renumbered (the
//                 school switched systems for them), the child who left in
//                 between is back, three children repeat the year unchanged
//
// Every change kind and count is asserted exactly, per student; then the
// two imports are undone in turn and the roster is, each time, exactly what
// it was (every column of every student row, and the export).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';

import { makeChild, makeRng, makeSchool, moveUp, parnassysXlsx } from '../tests/fixtures/gen.mjs';
import {
  Db, assertEveryListedChangeIsReal, byNumber, fromExport, kinds, plain, removeDir, tempDir,
} from '../tests/import/lib.mjs';

const SLUG = 'de-wilgen';

describe('import: two school years, then undo', () => {
  let dir;
  let db;
  const model = {};
  const dumps = {};

  before(() => {
    dir = tempDir();
    db = new Db(dir);
    db.addSchool(SLUG, 'Basisschool De Wilgen', '07QX');

    const rng = makeRng(4242);
    const identities = new Set();
    const year1 = makeSchool({ seed: 4242, size: 400, identities });
    assert.equal(year1.length, 400);

    // Pick the children the story is about, all different.
    const taken = new Set();
    const pick = (pred) => {
      const pool = year1.filter((s) => pred(s) && !taken.has(s.number));
      const s = rng.pick(pool);
      taken.add(s.number);
      return s;
    };
    const leaver = pick((s) => s.jaargroep === 4); // leaves in between, back in year 2
    const corrected = [pick((s) => s.jaargroep >= 3 && s.jaargroep <= 7), pick((s) => s.jaargroep >= 3 && s.jaargroep <= 7)];
    const repeaters = [1, 2, 3].map(() => pick((s) => s.jaargroep >= 3 && s.jaargroep <= 7));
    const renumbered = [1, 2, 3].map(() => pick((s) => s.jaargroep >= 3 && s.jaargroep <= 6));

    // The two names as year 1's file had them wrong.
    const fixed = new Map([
      [corrected[0].number, { roepnaam: 'Zoë' }],
      [corrected[1].number, { tussenvoegsel: '', achternaam: 'Janssen' }],
    ]);
    corrected[0].roepnaam = 'Zoe';
    corrected[1].tussenvoegsel = '';
    corrected[1].achternaam = 'Jansen';

    const newcomer = makeChild(rng, { j: 5, letter: 'b', number: 10801, identities });
    const between = [...year1.filter((s) => s !== leaver), newcomer];

    const renumber = new Map(renumbered.map((s, i) => [s.number, String(20001 + i)]));
    const stays = new Set([...corrected, ...repeaters].map((s) => s.number));
    const year2 = [];
    for (const s of [...between, leaver]) {
      if (stays.has(s.number)) {
        year2.push({ ...s, ...(fixed.get(s.number) ?? {}) });
        continue;
      }
      const up = moveUp(s);
      if (up === null) continue; // group 8 went to secondary school
      if (renumber.has(s.number)) up.number = renumber.get(s.number);
      year2.push(up);
    }
    const intake = Array.from({ length: 48 }, (_, i) =>
      makeChild(rng, { j: 1, letter: i % 2 ? 'b' : 'a', number: 10901 + i, identities }));
    year2.push(...intake);

    Object.assign(model, { year1: year1.map((s) => ({ ...s })), between, year2, leaver, corrected, repeaters, renumbered, renumber, newcomer, intake, fixed });
    parnassysXlsx(join(dir, 'year1.xlsx'), year1);
    parnassysXlsx(join(dir, 'between.xlsx'), between, { seed: 8 });
    parnassysXlsx(join(dir, 'year2.xlsx'), year2, { seed: 9 });
  });

  after(() => removeDir(dir));

  const zero = { new: 0, left: 0, moved: 0, corrected: 0, reenrolled: 0, renumbered: 0, unchanged: 0, jaargroep: 0, group_name: 0 };
  const exported = () => db.export(SLUG).map(fromExport).sort(byNumber);
  const sorted = (list) => list.map(plain).sort(byNumber);
  const numbers = (changes, side = 'after') => (changes ?? []).map((c) => c[side].number).sort();

  test('year 1 enrols the whole school', () => {
    const j = db.apply(SLUG, join(dir, 'year1.xlsx'));
    assert.equal(j.layout, 'ParnasSys');
    assert.deepEqual(j.counts, { ...zero, new: 400 });
    assert.deepEqual(exported(), sorted(model.year1));
    dumps.year1 = db.students();
    assert.equal(dumps.year1.length, 400);
  });

  test('the same file again changes nothing', () => {
    const j = db.importJson(SLUG, join(dir, 'year1.xlsx')).json;
    assert.deepEqual(j.counts, { ...zero, unchanged: 400 });
    assert.deepEqual(j.guard, { unenrol: false, match: false, active: 400, matched: 400 });
  });

  test('in between: one child leaves, one arrives', () => {
    const j = db.apply(SLUG, join(dir, 'between.xlsx'));
    assert.deepEqual(j.counts, { ...zero, new: 1, left: 1, unchanged: 399 });
    const k = kinds(j);
    assert.deepEqual(plain(k.left[0].before), plain(model.leaver));
    assert.deepEqual(plain(k.new[0].after), plain(model.newcomer));
    assert.deepEqual(exported(), sorted(model.between));
    dumps.between = db.students();
    const gone = dumps.between.find((s) => s.number === model.leaver.number);
    assert.equal(gone.active, 0, 'kept, marked as left');
    assert.ok(gone.left_at > 0);
  });

  test('year 2: every change kind, exactly', () => {
    const j = db.apply(SLUG, join(dir, 'year2.xlsx'));
    const { between, year2, leaver, corrected, repeaters, renumbered, renumber, intake } = model;
    const group8 = between.filter((s) => s.jaargroep === 8);
    assert.equal(group8.length, 50);
    const staying = between.filter(
      (s) => s.jaargroep < 8 && ![...corrected, ...repeaters, ...renumbered].some((x) => x.number === s.number),
    );
    // the 1/2 class children of jaargroep 1 stay in their class: the same
    // group with another jaargroep, not a new group
    const expectMoved = staying.filter((s) => moveUp(s).group !== s.group);
    const expectJaargroep = staying.filter((s) => moveUp(s).group === s.group);
    assert.ok(expectJaargroep.length > 0);
    assert.deepEqual(j.counts, {
      new: intake.length, // 48
      left: group8.length, // 50
      moved: expectMoved.length,
      jaargroep: expectJaargroep.length,
      corrected: 2,
      reenrolled: 1,
      renumbered: 3,
      unchanged: 3,
      group_name: 0,
    });
    assert.equal(j.counts.moved + j.counts.jaargroep, 342); // 400 - 50 - 3 - 2 - 3
    assert.deepEqual(j.guard, { unenrol: false, match: false, active: 400, matched: 350 });

    const k = kinds(j);
    const y2 = new Map(year2.map((s) => [s.number, s]));
    // every change's "after" is the year-2 row, its "before" the roster's
    for (const c of j.changes) {
      if (c.after) assert.deepEqual(plain(c.after), plain(y2.get(c.after.number)), JSON.stringify(c));
    }
    assert.deepEqual(numbers(k.new), intake.map((s) => s.number).sort());
    assert.deepEqual(numbers(k.left, 'before'), group8.map((s) => s.number).sort());
    assert.deepEqual(numbers(k.moved), expectMoved.map((s) => s.number).sort());
    assert.deepEqual(numbers(k.corrected), corrected.map((s) => s.number).sort());
    // unchanged students are counted, not listed: they are the year-2
    // rows that no change names
    const named = new Set(j.changes.map((c) => (c.after ?? c.before).number));
    assert.equal(k.unchanged, undefined);
    assert.deepEqual(year2.map((s) => s.number).filter((n) => !named.has(n)).sort(),
      repeaters.map((s) => s.number).sort());
    assert.deepEqual(numbers(k.reenrolled), [leaver.number]);
    assert.equal(k.reenrolled[0].after.group, moveUp(leaver).group);
    assert.deepEqual(
      k.renumbered.map((c) => [c.before.number, c.after.number]).sort(),
      renumbered.map((s) => [s.number, renumber.get(s.number)]).sort(),
    );
    for (const c of k.renumbered) {
      assert.equal(c.after.group, moveUp(c.before).group, 'renumbered and moved up');
    }
    const zoe = k.corrected.find((c) => c.before.number === corrected[0].number);
    assert.equal(zoe.before.roepnaam, 'Zoe');
    assert.equal(zoe.after.roepnaam, 'Zoë');
    assert.deepEqual(numbers(k.jaargroep), expectJaargroep.map((s) => s.number).sort());
    for (const c of k.jaargroep) {
      assert.equal(c.before.group, c.after.group);
      assert.deepEqual([c.before.jaargroep, c.after.jaargroep], [1, 2]);
      assert.deepEqual(c.fields, ['jaargroep']);
    }
    assertEveryListedChangeIsReal(j);

    assert.deepEqual(exported(), sorted(year2));
    dumps.year2 = db.students();
    const back = dumps.year2.find((s) => s.number === leaver.number);
    assert.equal(back.active, 1);
    assert.equal(back.left_at, 0);
    // the same child, the same row: history kept
    assert.equal(back.id, dumps.between.find((s) => s.number === leaver.number).id);
    for (const s of renumbered) {
      const before = dumps.between.find((x) => x.number === s.number);
      const now = dumps.year2.find((x) => x.id === before.id);
      assert.equal(now.number, renumber.get(s.number), 'same row, new number');
    }
  });

  test('undo year 2: the roster is exactly as after the in-between import', () => {
    const list = db.imports(SLUG);
    assert.deepEqual(list.map((i) => i.state), ['applied', 'applied', 'applied']);
    db.ok(['admin', 'import', 'undo', '--school', SLUG]);
    assert.deepEqual(db.students(), dumps.between);
    assert.deepEqual(exported(), sorted(model.between));
    assert.deepEqual(db.imports(SLUG).map((i) => i.state), ['undone', 'applied', 'applied']);
  });

  test('undo the in-between import: the roster is exactly year 1', () => {
    const r = db.run(['admin', 'import', 'undo', '--school', SLUG]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(db.students(), dumps.year1);
    assert.deepEqual(exported(), sorted(model.year1));
    assert.deepEqual(db.imports(SLUG).map((i) => i.state), ['undone', 'undone', 'applied']);
  });

  test('an undone import cannot be undone again, nor can one with a later import applied', () => {
    const list = db.imports(SLUG);
    const r = db.run(['admin', 'import', 'undo', String(list[0].id), '--school', SLUG]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Only the last applied import can be undone; nothing was changed/);
    assert.deepEqual(db.students(), dumps.year1);
    // apply the in-between file again: year 1 is no longer the last
    db.apply(SLUG, join(dir, 'between.xlsx'));
    const r2 = db.run(['admin', 'import', 'undo', String(list[2].id), '--school', SLUG]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /Only the last applied import can be undone; nothing was changed/);
  });
});
