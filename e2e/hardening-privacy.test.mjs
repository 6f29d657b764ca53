// What the database keeps of a school's pupils after the purge (issue 12,
// point 4): uploads through HTTP that are cancelled, undone or left to
// expire keep nothing of their pupils past the preview time-out, applied
// ones nothing past the retention, and no upload keeps its file name.  The
// proof is the database file and its -wal read as raw bytes after the
// purge (the command line's, and the server's own timer) and searched for
// every value of the fixture: numbers, names, birth dates as SQLite stores
// them (the integer jjjjmmdd, 4 bytes big-endian) and as the file wrote
// them, the BSNs (never stored at all) and the file names.  The pages of a
// purged upload still open, with their counts, and a purged applied
// upload cannot be undone.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import { activeUser, csrfOf, sleep, startServer, textOf } from './lib/server.mjs';
import { parnassysXlsx, roster, upload, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 90000 };
const Z = { name: 'OBS De Zonnebloem', brin: '56EF', slug: 'zonnebloem' };

// 25 pupils whose every value is unique in the database and no part of
// another (so that finding one means that pupil): unusual Frisian first
// names, surnames, numbers from 730101, birth dates all different.
const FIRST = ['Quirijn', 'Ysolde', 'Wolter', 'Berendina', 'Tjitske', 'Hidde', 'Eelkje', 'Sjoerdje',
  'Folkert', 'Wietske', 'Gerlof', 'Jildou', 'Meindert', 'Aukje', 'Rindert', 'Tetje', 'Ulbe',
  'Froukje', 'Oane', 'Sytske', 'Durk', 'Hiltje', 'Jelmer', 'Minke', 'Feike'];
const LAST = ['Zandvoort-Ubbink', 'Oosterkamp', 'Kruisinga', 'Wiersema', 'Algra', 'Brouwersma',
  'Terpstra', 'Faber-Visscher', 'Haagsma', 'Jongsma', 'Kloosterboer', 'Lautenbach', 'Nijenhuis',
  'Osinga', 'Pijlman', 'Rienstra', 'Scheltema', 'Tuinstra', 'Veenstra', 'Westerhof', 'Yntema',
  'Zwaagstra', 'Bergsma', 'Cnossen', 'Dotinga'];
const GROUPS = ['Groep 3a', 'Groep 4', 'Groep 5', 'Groep 7', 'Groep 8'];

function pupils() {
  const year = new Date().getFullYear();
  return FIRST.map((roepnaam, i) => ({
    number: String(730101 + i),
    roepnaam,
    tussenvoegsel: '',
    achternaam: LAST[i],
    birth: `${year - 6 - (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')}`,
    group: GROUPS[i % GROUPS.length],
  }));
}

const bsn = (i) => String(100000000 + i * 7919); // parnassysXlsx's BSN column

/** Every value of these pupils as it could sit in the database: [what, bytes]. */
function valuesOf(list) {
  const out = [];
  list.forEach((s) => {
    const i = Number(s.number) - 730101;
    const [y, m, d] = s.birth.split('-');
    const stored = Buffer.alloc(4);
    stored.writeUInt32BE(Number(`${y}${m}${d}`));
    out.push([`number ${s.number}`, Buffer.from(s.number)]);
    out.push([`roepnaam ${s.roepnaam}`, Buffer.from(s.roepnaam)]);
    out.push([`achternaam ${s.achternaam}`, Buffer.from(s.achternaam)]);
    out.push([`birth ${s.birth} as stored`, stored]);
    out.push([`birth ${s.birth} as written`, Buffer.from(`${d}-${m}-${y}`)]);
    out.push([`BSN of ${s.number}`, Buffer.from(bsn(i))]);
  });
  return out;
}

/** The database file and its -wal, as bytes. */
function databaseBytes(srv) {
  return [srv.dbPath, `${srv.dbPath}-wal`].filter(existsSync).map((p) => readFileSync(p));
}

/** Which of values ([what, bytes]) the database files hold. */
function found(srv, values) {
  const files = databaseBytes(srv);
  return values.filter(([, bytes]) => files.some((f) => f.includes(bytes))).map(([what]) => what);
}

const confirm = (client, id) =>
  client.postForm(`/docent/import/${id}/bevestigen`, {}, { formPage: `/docent/import/${id}` });

async function undo(client, id) {
  const page = await client.get(`/docent/import/${id}/ongedaan-maken`);
  assert.equal(page.status, 200, 'the undo page');
  return client.postForm(`/docent/import/${id}/ongedaan-maken`, {}, { csrf: csrfOf(page.body) });
}

const servers = [];
after(() => servers.forEach((s) => s.kill())); // only after a failure

describe('the purge of uploads that were not kept', () => {
  test('a cancelled, an undone and an expired upload leave no byte of their pupils or file names', T, async () => {
    const srv = await startServer({ config: { imports: { preview_ttl: '3s' } }, schools: [Z] });
    servers.push(srv);
    const docent = await activeUser(srv, { school: Z.slug });
    const list = pupils();
    const file = parnassysXlsx(list, { school: Z.name });
    const names = ['leerlingen-zonnebloem-geannuleerd.xlsx', 'leerlingen-zonnebloem-ongedaan.xlsx',
      'leerlingen-zonnebloem-verlopen.xlsx'];

    const cancelled = await uploadPreview(docent.client, names[0], file);
    const res = await docent.client.postForm(`/docent/import/${cancelled}/annuleren`, {},
      { formPage: `/docent/import/${cancelled}` });
    assert.equal(res.status, 303, 'cancel');
    const undone = await uploadPreview(docent.client, names[1], file);
    assert.equal((await confirm(docent.client, undone)).status, 303, 'confirm');
    assert.equal(roster(srv, Z.slug).length, 25);
    assert.equal((await undo(docent.client, undone)).status, 303, 'undo');
    assert.equal(roster(srv, Z.slug).length, 0);
    const expiring = await uploadPreview(docent.client, names[2], file);

    const values = [...valuesOf(list), ...names.map((n) => [`file name ${n}`, Buffer.from(n)])];
    // the search finds what is there: the open preview holds every value
    // that is stored (not the BSNs, nor the dates as the file wrote them)
    const stored = values.filter(([what]) => !/^BSN|as written$/.test(what));
    assert.deepEqual(found(srv, stored), stored.map(([what]) => what),
      'before the purge every stored value is in the database');

    await sleep(4000); // past the preview time-out of 3 s for all three
    const purge = srv.admin('purge');
    assert.equal(purge.code, 0, purge.stderr);
    assert.match(purge.stdout, /1 verlopen voorbeelden verwijderd, leerlinggegevens van 3 uploads gewist/);
    assert.deepEqual(found(srv, values), [], 'values left in the database files after the purge');

    // the purge is in the log, with counts only
    const audit = srv.admin('audit');
    assert.match(audit.stdout, /purge .*previews expired=1 imports purged=3 students anonymised=0/);

    // the pages still open, with the counts and the kinds of the lines
    for (const id of [cancelled, undone, expiring]) {
      const page = await docent.client.get(`/docent/import/${id}`);
      assert.equal(page.status, 200, `page of upload ${id}`);
      const text = textOf(page.body);
      assert.match(text, /zijn na de bewaartermijn gewist/, `upload ${id}: says its data is gone`);
      assert.match(text, /Bestand \(gewist\)/, `upload ${id}: no file name`);
      assert.match(page.body, /data-kind="new" data-count="25"/, `upload ${id}: the count stays`);
      for (const s of list) assert.ok(!text.includes(s.achternaam), `upload ${id} shows ${s.achternaam}`);
    }
    const undonePage = textOf((await docent.client.get(`/docent/import/${undone}`)).body);
    assert.match(undonePage, /gewiste leerling/, 'the undone upload\'s lines read as erased');
    const history = textOf((await docent.client.get('/docent/imports')).body);
    for (const n of names) assert.ok(!history.includes(n), `the list of uploads shows ${n}`);
    const cliList = srv.admin('import', 'list', '--school', Z.slug).stdout;
    for (const n of names) assert.ok(!cliList.includes(n), `admin import list shows ${n}`);
    assert.equal(cliList.match(/\(gewist\)/g)?.length, 3, 'admin import list: three erased file names');
    await srv.stop();
  });
});

describe('the purge of applied uploads, by the server\'s own timer', () => {
  test('after the retention the leavers and the file names are gone, and the upload cannot be undone', T, async () => {
    const srv = await startServer({
      config: { imports: { retention: '2s', purge_interval: '1s' } }, schools: [Z],
    });
    servers.push(srv);
    const docent = await activeUser(srv, { school: Z.slug });
    const list = pupils();
    const stay = list.slice(0, 20);
    const leave = list.slice(20);
    const names = ['zonnebloem-schooljaar-1.xlsx', 'zonnebloem-schooljaar-2.xlsx'];

    const first = await uploadPreview(docent.client, names[0], parnassysXlsx(list, { school: Z.name }));
    assert.equal((await confirm(docent.client, first)).status, 303, 'confirm the first year');
    const second = await uploadPreview(docent.client, names[1], parnassysXlsx(stay, { school: Z.name }));
    assert.equal((await confirm(docent.client, second)).status, 303, 'confirm the second year');

    // wait for the server's purge to reach the second upload
    let page;
    for (let i = 0; i < 60; i++) {
      page = await docent.client.get(`/docent/import/${second}`);
      if (textOf(page.body).includes('zijn na de bewaartermijn gewist')) break;
      await sleep(500);
    }
    assert.match(textOf(page.body), /zijn na de bewaartermijn gewist/, 'the server purged the upload');
    assert.match(srv.logs(), /purge: \d+ previews expired, [1-9]\d* imports purged/);

    // the page keeps the counts; the leavers' lines read as erased
    assert.equal(page.status, 200);
    assert.match(page.body, /data-kind="left" data-count="5"/);
    assert.match(textOf(page.body), /gewiste leerling/);
    assert.match(textOf(page.body), /Bestand \(gewist\)/);
    assert.doesNotMatch(page.body, /ongedaan-maken/, 'no undo button');

    // undo is refused, in Dutch, and changes nothing
    const before = roster(srv, Z.slug);
    assert.equal(before.length, 20);
    const ask = await docent.client.get(`/docent/import/${second}/ongedaan-maken`);
    assert.equal(ask.status, 409);
    assert.match(textOf(ask.body), /kan niet meer ongedaan worden gemaakt: de bewaartermijn is voorbij/);
    const csrf = (await docent.client.getForm('/mijn-gegevens')).csrf;
    const res = await docent.client.postForm(`/docent/import/${second}/ongedaan-maken`, {}, { csrf });
    assert.equal(res.status, 409);
    assert.match(textOf(res.body), /kan niet meer ongedaan worden gemaakt: de bewaartermijn is voorbij/);
    assert.deepEqual(roster(srv, Z.slug), before);
    const cli = srv.admin('import', 'undo', '--school', Z.slug);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /kan niet meer ongedaan worden gemaakt/);

    // the database files: nothing of the leavers, no file name; the
    // pupils who stayed are on the roster (and the search finds them)
    const gone = [...valuesOf(leave), ...names.map((n) => [`file name ${n}`, Buffer.from(n)])];
    assert.deepEqual(found(srv, gone), [], 'values left in the database files after the purge');
    assert.ok(found(srv, valuesOf(stay)).includes(`achternaam ${stay[0].achternaam}`));
    await srv.stop();
  });
});
