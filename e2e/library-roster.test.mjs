// A school's roster and the AVG requests of issue 11, as library staff
// meet them: the roster page (groups, search, print view), its four
// downloads (the OneRoster zip unpacked and read here, in JavaScript, as a
// consumer would), one pupil's data (page and JSON), erasure through the
// browser, and afterwards a byte-level search of the database file and its
// -wal for every value of that pupil.  Another library's user gets the
// 404 of a missing id on every one of these URLs.  Every new page is
// screenshotted (e2e/artifacts/roster-*.png, pupil-*.png) and checked with
// axe.  Library users log in only through activeUser() and logIn().

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';

import { activeUser, BIN_SOURCE, csrfOf, startServer, textOf } from './lib/server.mjs';
import { launch, logIn, look, openPage, shot, submit, tableRows } from './lib/browser.mjs';
import { cliApply, movedUp, students, studentsCsv, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 180000 };

// The pupil a parent asks about: values found nowhere else in the fixture.
const year = new Date().getFullYear() - 8;
const XANDER = {
  number: '86420975',
  roepnaam: 'Xandrijntje',
  tussenvoegsel: 'van der',
  achternaam: 'Quispelhoorn',
  birth: `${year}-11-23`,
  group: 'Groep 5',
};
// the birth date the school typed wrong in its next file: a two-year-old
const WRONG_BIRTH = `${new Date().getFullYear() - 2}-11-23`;
// a pupil whose surname a spreadsheet would take for a formula
const FORMULA = { ...students(1, { start: 3001 })[0], achternaam: '=Som', group: 'Groep 4' };

let srv;
let dir;
let browser;
let west; // the first library's user (HTTP)
let north; // the second library's user (HTTP)
let teacher; // a teacher of the first library's school
const ids = {};

function sql(query) {
  const r = spawnSync('sqlite3', [srv.dbPath, query], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

const pupilId = (number, slug = 'anker') => Number(sql(`SELECT t.id FROM students t JOIN schools s ON s.id = t.school_id
  WHERE s.slug = '${slug}' AND t.number = '${number}'`));

/** The rows of the roster's group tables: [{ group, rows: [[name, number, birth, jaargroep]] }]. */
function groupsOf(body) {
  return [...body.matchAll(/<section class="group"><h2>([^<]*)<span[^>]*>\((\d+)\)<\/span><\/h2>([\s\S]*?)<\/section>/g)]
    .map((m) => ({
      group: m[1].trim(),
      count: Number(m[2]),
      rows: [...m[3].matchAll(/<tr><td[\s\S]*?<\/tr>/g)].map((tr) => [...tr[0].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)]
        .map((td) => textOf(td[1]))),
    }));
}

const list = students(10, { start: 1001 });

/** The files of a zip (a Buffer), name -> UTF-8 text: the end record, the
 * central directory, each local header, stored or deflated data. */
function unzip(zip) {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip has an end of central directory record');
  const files = new Map();
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const csize = zip.readUInt32LE(p + 20);
    const usize = zip.readUInt32LE(p + 24);
    const nlen = zip.readUInt16LE(p + 28);
    const name = zip.toString('utf8', p + 46, p + 46 + nlen);
    const lho = zip.readUInt32LE(p + 42);
    assert.equal(zip.readUInt32LE(lho), 0x04034b50);
    const start = lho + 30 + zip.readUInt16LE(lho + 26) + zip.readUInt16LE(lho + 28);
    const raw = zip.subarray(start, start + csize);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated`);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    assert.equal(data.length, usize, `${name}: its size`);
    files.set(name, data.toString('utf8'));
    p += 46 + nlen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return files;
}

/** RFC 4180: rows of cells, quoted cells with "" for a quote, CRLF. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else cell += c;
  }
  assert.ok(!quoted && row.length === 0 && cell === '', 'every record ends in CRLF');
  return rows;
}

/** A OneRoster file as objects keyed by its header. */
function records(files, name) {
  const [head, ...rows] = parseCsv(files.get(name));
  for (const r of rows) assert.equal(r.length, head.length, `${name}: as many cells as columns`);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-roster-'));
  srv = await startServer({ schools: [{ name: 'OBS Het Anker', brin: '51AB', slug: 'anker' }] });
  assert.equal(srv.admin('library', 'add', '--name', 'Bibliotheek Noord', '--slug', 'noord').code, 0);
  srv.addSchool({ name: 'De Vuurtoren', brin: '52AB', slug: 'vuurtoren', library: 'noord' });
  const file = join(dir, 'anker.csv');
  writeFileSync(file, studentsCsv([...list, XANDER, FORMULA]));
  const applied = cliApply(srv, 'anker', file);
  assert.equal(applied.code, 0, `the first roster: ${applied.stderr}`);
  const other = join(dir, 'vuurtoren.csv');
  writeFileSync(other, studentsCsv(students(4, { start: 1001 })));
  assert.equal(cliApply(srv, 'vuurtoren', other).code, 0);
  // the teacher uploads next year's list, not confirmed yet: it names Xander
  teacher = await activeUser(srv, { school: 'anker', username: 'juf-anker' });
  // (with a birth date typed wrong: a warning that names Xander)
  ids.preview = await uploadPreview(teacher.client, 'volgend-jaar.csv',
    studentsCsv([...list, { ...XANDER, birth: WRONG_BIRTH }, FORMULA].map(movedUp)));
  west = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-west' });
  north = await activeUser(srv, { role: 'bibliotheek', library: 'noord', username: 'bieb-noord' });
  ids.anker = Number(sql("SELECT id FROM schools WHERE slug = 'anker'"));
  ids.vuurtoren = Number(sql("SELECT id FROM schools WHERE slug = 'vuurtoren'"));
  ids.xander = pupilId(XANDER.number);
  ids.applied = Number(sql(`SELECT min(id) FROM imports WHERE school_id = ${ids.anker}`));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  srv?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the roster', () => {
  test('lists the pupils group by group, by surname, each linking to the pupil', T, async () => {
    const res = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen`);
    assert.equal(res.status, 200);
    assert.match(res.headers['cache-control'], /no-store/);
    const text = textOf(res.body);
    assert.match(text, /Leerlingen van OBS Het Anker/);
    assert.match(text, /12 leerlingen in 6 groepen\./);
    const groups = groupsOf(res.body);
    assert.deepEqual(groups.map((g) => g.group), ['Groep 3a', 'Groep 4', 'Groep 5', 'Groep 5/6', 'Groep 7', 'Groep 8']);
    for (const g of groups) {
      assert.equal(g.rows.length, g.count);
      const surnames = g.rows.map((r) => r[0].split(' ').pop());
      assert.deepEqual(surnames, [...surnames].sort((a, b) => a.localeCompare(b, 'nl')), `${g.group} sorted by surname`);
    }
    const five = groups.find((g) => g.group === 'Groep 5');
    assert.deepEqual(five.rows.find((r) => r[1] === XANDER.number),
      ['Xandrijntje van der Quispelhoorn', XANDER.number, `23-11-${year}`, '5']);
    assert.match(res.body, new RegExp(`<a href="/bibliotheek/leerling/${ids.xander}">Xandrijntje van der Quispelhoorn</a>`));
    assert.match(res.body, new RegExp(`href="/bibliotheek/school/${ids.anker}"`), 'a way back to the school');
  });

  test('searches by name (case and accents ignored) or by leerlingnummer', T, async () => {
    const get = async (q) => {
      const res = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen?zoek=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      return res;
    };
    const byName = await get('quispel');
    assert.deepEqual(groupsOf(byName.body).flatMap((g) => g.rows.map((r) => r[1])), [XANDER.number]);
    assert.match(textOf(byName.body), /1 leerling gevonden voor ‘quispel’\. Alle leerlingen tonen/);
    const byNumber = await get('8642');
    assert.deepEqual(groupsOf(byNumber.body).flatMap((g) => g.rows.map((r) => r[1])), [XANDER.number]);
    const accents = await get('ZOE');
    const zoes = groupsOf(accents.body).flatMap((g) => g.rows.map((r) => r[0]));
    assert.ok(zoes.length >= 1 && zoes.every((n) => n.startsWith('Zoë')), JSON.stringify(zoes));
    const none = await get('<b>niemand</b>');
    assert.match(textOf(none.body), /Geen leerling gevonden voor ‘<b>niemand<\/b>’\./);
    assert.doesNotMatch(none.body, /<b>niemand/, 'the search is escaped');
  });

  test('the three downloads: attachments with the roster, formulas neutralised, each audited', T, async () => {
    const csv = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="leerlingen-anker.csv"');
    const lines = csv.body.trim().split('\r\n');
    assert.equal(lines[0], 'leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;groep;jaargroep');
    assert.equal(lines.length, 13);
    assert.ok(lines.includes(`${XANDER.number};Xandrijntje;van der;Quispelhoorn;${XANDER.birth};Groep 5;5`), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes(";'=Som;")), 'a cell starting with = gets an apostrophe');
    assert.ok(!lines.some((l) => /;=Som/.test(l)));
    const json = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen.json`);
    assert.equal(json.headers['content-disposition'], 'attachment; filename="leerlingen-anker.json"');
    const pupils = JSON.parse(json.body);
    assert.equal(pupils.length, 12);
    assert.deepEqual(pupils.find((x) => x.leerlingnummer === XANDER.number), {
      leerlingnummer: XANDER.number, roepnaam: 'Xandrijntje', tussenvoegsel: 'van der', achternaam: 'Quispelhoorn',
      geboortedatum: XANDER.birth, groep: 'Groep 5', jaargroep: 5,
    });
    const sw = await west.client.get(`/bibliotheek/school/${ids.anker}/schoolwise.csv`);
    assert.equal(sw.headers['content-disposition'], 'attachment; filename="schoolwise-anker.csv"');
    const rows = sw.body.trim().split('\r\n').map((l) => l.split(';'));
    assert.deepEqual(rows[0], ['LEERLINGNUMMER', 'ROEPNAAM', 'VOORVOEGSEL', 'NAAM', 'GEBOORTEDATUM', 'GROEP', 'GROEPSNAAM', 'JAARGROEP']);
    assert.equal(rows.length, 13);
    assert.ok(rows.slice(1).every((r) => r[5].length <= 10 && !/["'+&<>/|\\]/.test(r[5])), 'schoolWise group codes');
    assert.deepEqual(rows.find((r) => r[0] === XANDER.number).slice(4, 8), [XANDER.birth, '5', 'Groep 5', '5']);
    // the same bytes as the command line's export
    const cli = srv.admin('roster', 'export', '--school', 'anker', '--format', 'schoolwise');
    assert.equal(sw.body, cli.stdout);
    const log = textOf((await west.client.get('/bibliotheek/logboek?soort=roster_exported')).body);
    for (const name of ['leerlingen.csv', 'leerlingen.json', 'schoolwise.csv'])
      assert.match(log, new RegExp(`roster ${name.replace('.', '\\.')}: 12 pupils`), `${name} audited`);
    assert.match(textOf((await west.client.get('/bibliotheek/logboek?soort=roster_viewed')).body), /Leerlingenlijst bekeken/);
  });

  test('the OneRoster zip: the OneRoster 1.1 files, each pupil a user in its group\'s class, audited', T, async () => {
    const page = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen`);
    assert.match(page.body, new RegExp(`<a href="/bibliotheek/school/${ids.anker}/oneroster\\.zip" download>OneRoster \\(zip\\)</a>`));
    const res = await west.client.get(`/bibliotheek/school/${ids.anker}/oneroster.zip`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="oneroster-anker.zip"');
    assert.match(res.headers['cache-control'], /no-store/);
    const files = unzip(res.raw);
    assert.deepEqual([...files.keys()].sort(), ['academicSessions.csv', 'classes.csv', 'courses.csv', 'demographics.csv',
      'enrollments.csv', 'manifest.csv', 'orgs.csv', 'users.csv']);
    const manifest = Object.fromEntries(parseCsv(files.get('manifest.csv')).slice(1));
    assert.equal(manifest['manifest.version'], '1.0');
    assert.equal(manifest['oneroster.version'], '1.1');
    for (const f of files.keys()) if (f !== 'manifest.csv') assert.equal(manifest[`file.${f.slice(0, -4)}`], 'bulk', f);
    for (const f of ['categories', 'classResources', 'courseResources', 'lineItems', 'resources', 'results'])
      assert.equal(manifest[`file.${f}`], 'absent', f);

    assert.deepEqual(parseCsv(files.get('users.csv'))[0], ['sourcedId', 'status', 'dateLastModified', 'enabledUser',
      'orgSourcedIds', 'role', 'username', 'userIds', 'givenName', 'familyName', 'middleName', 'identifier', 'email',
      'sms', 'phone', 'agentSourcedIds', 'grades', 'password']);
    const users = records(files, 'users.csv');
    assert.equal(users.length, 12);
    const orgs = records(files, 'orgs.csv');
    const school = orgs.find((o) => o.type === 'school');
    assert.deepEqual([school.name, school.identifier], ['OBS Het Anker', '51AB']);
    assert.equal(orgs.find((o) => o.sourcedId === school.parentSourcedId)?.type, 'district');
    const x = users.find((u) => u.identifier === XANDER.number);
    assert.deepEqual([x.role, x.enabledUser, x.givenName, x.familyName, x.grades, x.orgSourcedIds, x.status],
      ['student', 'true', 'Xandrijntje', 'van der Quispelhoorn', '03', school.sourcedId, '']);
    assert.equal(users.find((u) => u.identifier === FORMULA.number).familyName, "'=Som", 'no formula');
    for (const u of users) assert.ok(!u.sourcedId.includes(u.identifier) && /^[a-z0-9-]+$/.test(u.sourcedId), u.sourcedId);
    assert.equal(records(files, 'demographics.csv').find((d) => d.sourcedId === x.sourcedId).birthDate, XANDER.birth);
    const classes = records(files, 'classes.csv');
    assert.deepEqual(classes.map((c) => c.title).sort(), ['Groep 3a', 'Groep 4', 'Groep 5', 'Groep 5/6', 'Groep 7', 'Groep 8']);
    const enrollments = records(files, 'enrollments.csv');
    assert.equal(enrollments.length, 12);
    const mine = enrollments.filter((e) => e.userSourcedId === x.sourcedId);
    assert.equal(mine.length, 1);
    const klass = classes.find((c) => c.sourcedId === mine[0].classSourcedId);
    assert.deepEqual([klass.title, klass.classType], ['Groep 5', 'homeroom']);
    const sessions = records(files, 'academicSessions.csv');
    assert.deepEqual(sessions.map((a) => [a.type, a.sourcedId]), [['schoolYear', klass.termSourcedIds]]);
    // the command line writes the same files
    const cli = spawnSync(BIN_SOURCE, ['admin', 'roster', 'export', '--school', 'anker', '--format', 'oneroster',
      '--config', srv.configPath, '--db', srv.dbUrl], { timeout: 20000 });
    assert.equal(cli.status, 0, cli.stderr.toString());
    assert.deepEqual(unzip(cli.stdout), files);
    const log = textOf((await west.client.get('/bibliotheek/logboek?soort=roster_exported')).body);
    assert.match(log, /roster oneroster\.zip: 12 pupils/);
  });
});

describe('in English', () => {
  test('the roster, the pupil and the erasure page speak English', T, async () => {
    const en = srv.client();
    en.jar = new Map(west.client.jar);
    en.setCookie('lang', 'en');
    const roster = textOf((await en.get(`/bibliotheek/school/${ids.anker}/leerlingen?zoek=quispel`)).body);
    assert.match(roster, /Students of OBS Het Anker 12 students in 6 groups\./);
    assert.match(roster, /Student list for schoolWise \(CSV\)/);
    assert.match(roster, /OneRoster \(zip\)/);
    assert.match(roster, /1 student found for ‘quispel’\./);
    const pupil = textOf((await en.get(`/bibliotheek/leerling/${ids.xander}`)).body);
    assert.match(pupil, /Data of Xandrijntje van der Quispelhoorn/);
    assert.match(pupil, /Uploads that name this student/);
    const erase = textOf((await en.get(`/bibliotheek/leerling/${ids.xander}/wissen`)).body);
    assert.match(erase, /Erase Xandrijntje van der Quispelhoorn/);
    assert.match(erase, /Erasing cannot be undone/);
  });
});

describe('one pupil: access', () => {
  test('the page shows every value and every upload that names the pupil', T, async () => {
    const res = await west.client.get(`/bibliotheek/leerling/${ids.xander}`);
    assert.equal(res.status, 200);
    assert.match(res.headers['cache-control'], /no-store/);
    const text = textOf(res.body);
    for (const v of [XANDER.number, 'Xandrijntje', 'van der', 'Quispelhoorn', `23-11-${year}`, 'Groep 5', 'OBS Het Anker'])
      assert.ok(text.includes(v), `the page shows ${v}`);
    assert.match(text, /ingeschreven sinds/);
    const history = [...res.body.matchAll(/<tr><td data-label="Wanneer">[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));
    assert.equal(history.length, 2, history.join('\n'));
    assert.match(history[0], /anker\.csv doorgevoerd nieuw/);
    assert.match(history[1], /volgend-jaar\.csv .*nieuwe groep .*Groep 5 → Groep 6/);
    assert.match(text, /Meldingen over deze leerling in rapporten van uploads/);
    assert.match(res.body, new RegExp(`href="/docent/import/${ids.preview}"`));
    assert.match(res.body, new RegExp(`href="/bibliotheek/leerling/${ids.xander}/gegevens.json"`));
    assert.match(res.body, new RegExp(`href="/bibliotheek/leerling/${ids.xander}/wissen"`));
  });

  test('gegevens.json holds the pupil, its enrolment and its journal rows with their uploads', T, async () => {
    const res = await west.client.get(`/bibliotheek/leerling/${ids.xander}/gegevens.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.headers['content-disposition'], `attachment; filename="leerling-${ids.xander}.json"`);
    const doc = JSON.parse(res.body);
    assert.deepEqual(doc.school, { naam: 'OBS Het Anker', brin: '51AB' });
    assert.equal(doc.leerling.achternaam, 'Quispelhoorn');
    assert.equal(doc.leerling.geboortedatum, XANDER.birth);
    assert.equal(doc.leerling.ingeschreven, true);
    assert.deepEqual(doc.wijzigingen.map((w) => [w.upload, w.soort, w.status, w.voor?.groep ?? null, w.na?.groep ?? null]), [
      [ids.applied, 'new', 'applied', null, 'Groep 5'],
      [ids.preview, 'moved', 'preview', 'Groep 5', 'Groep 6'],
    ]);
    assert.equal(doc.wijzigingen[1].bestand, 'volgend-jaar.csv');
    assert.equal(doc.wijzigingen[1].na.geboortedatum, WRONG_BIRTH);
    assert.equal(doc.meldingen.length, 1, JSON.stringify(doc.meldingen));
    assert.equal(doc.meldingen[0].upload, ids.preview);
    assert.match(doc.meldingen[0].melding, /Xandrijntje van der Quispelhoorn/);
    assert.equal(doc.wijzigingen[1].geupload_door, 'juf-anker');
  });

  test('looking and downloading are in the log, with the pupil\'s id and not its name', T, async () => {
    const body = (await west.client.get('/bibliotheek/logboek?soort=pupil_access')).body;
    const text = textOf(body);
    assert.match(text, new RegExp(`pupil ${ids.xander}: looked at`));
    assert.match(text, new RegExp(`pupil ${ids.xander}: gegevens\\.json downloaded`));
    assert.doesNotMatch(text, /Quispelhoorn|Xandrijntje/);
  });

  test('the command line shows the same document', T, async () => {
    const r = srv.admin('pupil', 'show', '--school', 'anker', '--number', XANDER.number);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.leerling.roepnaam, 'Xandrijntje');
    assert.equal(doc.wijzigingen.length, 2);
    const none = srv.admin('pupil', 'show', '--school', 'anker', '--number', '999999');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /geen leerling met leerlingnummer '999999'/);
    assert.equal(srv.admin('pupil', 'show', '--school', 'anker').code, 2, 'no --number: a usage error');
  });
});

describe('another library', () => {
  test('gets the 404 of a missing id on every roster and pupil URL, and erases nothing', T, async () => {
    const urls = [
      `/bibliotheek/school/${ids.anker}/leerlingen`,
      `/bibliotheek/school/${ids.anker}/leerlingen?zoek=quispel`,
      `/bibliotheek/school/${ids.anker}/leerlingen.csv`,
      `/bibliotheek/school/${ids.anker}/leerlingen.json`,
      `/bibliotheek/school/${ids.anker}/schoolwise.csv`,
      `/bibliotheek/school/${ids.anker}/oneroster.zip`,
      `/bibliotheek/leerling/${ids.xander}`,
      `/bibliotheek/leerling/${ids.xander}/gegevens.json`,
      `/bibliotheek/leerling/${ids.xander}/wissen`,
    ];
    for (const url of urls) {
      const res = await north.client.get(url);
      assert.equal(res.status, 404, url);
      const missing = await north.client.get(url.replace(/\/\d+/, '/999999'));
      assert.equal(missing.status, 404);
      assert.equal(res.body.replace(/\d+/g, ''), missing.body.replace(/\d+/g, ''), `${url}: the page of a missing id`);
      assert.doesNotMatch(res.body, /Quispelhoorn|Het Anker/);
    }
    const { csrf } = await north.client.getForm('/');
    const post = await north.client.request(`/bibliotheek/leerling/${ids.xander}/wissen`, { form: { csrf, bevestig: 'ja' } });
    assert.equal(post.status, 404);
    assert.equal(pupilId(XANDER.number), ids.xander, 'the pupil is still there');
    // and its own school's roster is its own
    const own = await north.client.get(`/bibliotheek/school/${ids.vuurtoren}/leerlingen`);
    assert.equal(own.status, 200);
    assert.match(textOf(own.body), /4 leerlingen/);
  });

  test('a teacher gets 403 on the library\'s pages', T, async () => {
    assert.equal((await teacher.client.get(`/bibliotheek/school/${ids.anker}/leerlingen`)).status, 403);
    assert.equal((await teacher.client.get(`/bibliotheek/leerling/${ids.xander}`)).status, 403);
  });
});

describe('in the browser', () => {
  test('roster, search, print view, pupil, erasure: screenshots and axe; the erased pupil reads "gewiste leerling"', T, async () => {
    const { page, context, expect } = await openPage(browser);
    try {
      await logIn(page, srv.url, srv.addUser({ role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-browser' }));
      await page.goto(`${srv.url}/bibliotheek/school/${ids.anker}/leerlingen`);
      await look(page, 'roster', { phone: true });
      // search through the form
      await page.fill('#zoek', 'Quispelhoorn');
      await submit(page, 'form[role=search] button');
      assert.match(page.url(), /zoek=Quispelhoorn/);
      assert.deepEqual((await tableRows(page, 'table.roster tbody tr')).map((r) => r[1]), [XANDER.number]);
      await look(page, 'roster-search');
      // the print view: no site header, menu, search or downloads
      await page.goto(`${srv.url}/bibliotheek/school/${ids.anker}/leerlingen`);
      await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
      await page.click('button[data-print]');
      assert.equal(await page.evaluate(() => window.printed), 1, 'Afdrukken prints the page');
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['header.site', '.menubar', 'footer.site', 'form[role=search]', '.downloads'])
        assert.equal(await page.$eval(hidden, (el) => getComputedStyle(el).display), 'none', `${hidden} in print`);
      assert.equal(await page.$$eval('table.roster tbody tr', (trs) => trs.length), 12);
      await shot(page, 'roster-print');
      await page.emulateMedia({ media: 'screen' });
      // the pupil
      await page.click(`a[href="/bibliotheek/leerling/${ids.xander}"]`);
      await page.waitForLoadState('load');
      await look(page, 'pupil', { phone: true });
      await page.click(`a[href="/bibliotheek/leerling/${ids.xander}/wissen"]`);
      await page.waitForLoadState('load');
      const says = await page.textContent('main');
      assert.match(says, /2 regels van 2 uploads/);
      assert.match(says, /\(1\), worden geannuleerd/);
      assert.match(says, /niet ongedaan/);
      await look(page, 'pupil-erase', { phone: true });
      // not ticked: nothing erased, the page says why
      expect(422, `/bibliotheek/leerling/${ids.xander}/wissen`);
      await submit(page, 'form[action$="/wissen"] button[type=submit]');
      assert.match(await page.textContent('.error-summary'), /Vink aan/);
      assert.equal(pupilId(XANDER.number), ids.xander);
      await look(page, 'pupil-erase-error');
      await page.check('#bevestig');
      await submit(page, 'form[action$="/wissen"] button[type=submit]');
      assert.equal(new URL(page.url()).pathname, `/bibliotheek/school/${ids.anker}/leerlingen`);
      assert.match(await page.textContent('.notice'), /De leerling is gewist/);
      await look(page, 'roster-erased');
      assert.doesNotMatch(await page.textContent('main'), /Quispelhoorn/);
      assert.equal(await page.$$eval('table.roster tbody tr', (trs) => trs.length), 11);
      // the uploads that named the pupil: a line "gewiste leerling" in its place
      await page.goto(`${srv.url}/docent/import/${ids.applied}`);
      await page.click('details.changes summary');
      const rows = await tableRows(page, 'details.changes tr.erased');
      assert.deepEqual(rows, [['', 'gewiste leerling', '', '']]);
      await look(page, 'roster-erased-upload');
    } finally {
      await context.close();
    }
  });

  test('after erasure: nothing of the pupil in any table, the preview cancelled, the log without its name', T, async () => {
    assert.equal(pupilId(XANDER.number), 0);
    assert.equal(sql(`SELECT count(*) FROM import_changes WHERE new_roepnaam = 'Xandrijntje' OR old_roepnaam = 'Xandrijntje'
      OR new_number = '${XANDER.number}' OR old_number = '${XANDER.number}' OR student_id = ${ids.xander}`), '0');
    assert.equal(sql(`SELECT state FROM imports WHERE id = ${ids.preview}`), 'cancelled');
    const body = textOf((await west.client.get('/bibliotheek/logboek?soort=pupil_erased')).body);
    assert.match(body, new RegExp(`pupil ${ids.xander}: journal rows=2 report lines=1 previews cancelled=1`));
    assert.doesNotMatch(body, /Quispelhoorn|Xandrijntje/);
    assert.equal((await west.client.get(`/bibliotheek/leerling/${ids.xander}`)).status, 404);
  });

  test('a checkpoint later, the database file and its -wal hold no byte of the pupil', T, async () => {
    assert.equal(sql('PRAGMA wal_checkpoint(TRUNCATE)').split('|')[0], '0', 'the checkpoint ran');
    const files = [srv.dbPath, `${srv.dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    const [y, m, d] = XANDER.birth.split('-');
    const ymd = Buffer.alloc(4);
    ymd.writeUInt32BE(Number(`${y}${m}${d}`));
    const [wy, wm, wd] = WRONG_BIRTH.split('-');
    const values = [XANDER.number, XANDER.roepnaam, XANDER.achternaam, 'Xandrijntje van der Quispelhoorn',
      XANDER.birth, `${d}-${m}-${y}`, `${Number(d)}-${Number(m)}-${y}`, WRONG_BIRTH, `${wd}-${wm}-${wy}`];
    for (const v of values)
      for (const f of files) assert.equal(f.indexOf(Buffer.from(v)), -1, `"${v}" is still in the database files`);
    for (const f of files) assert.equal(f.indexOf(ymd), -1, 'the birth date as SQLite stores it');
    // the search itself works: another pupil is found
    assert.ok(files[0].indexOf(Buffer.from(list[0].achternaam)) >= 0);
  });

  test('the command line erases a pupil too', T, async () => {
    const victim = list[2];
    const r = srv.admin('pupil', 'erase', '--school', 'anker', '--number', victim.number);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Leerling \d+ van anker gewist: 1 regels in uploads geanonimiseerd/);
    assert.equal(pupilId(victim.number), 0);
    assert.equal(srv.admin('pupil', 'erase', '--school', 'anker', '--number', victim.number).code, 1);
    const show = srv.admin('import', 'show', String(ids.applied), '--school', 'anker');
    assert.equal(show.code, 0, show.stderr);
    assert.equal(show.stdout.split('\n').filter((l) => l.trim() === '(gewiste leerling)').length, 2, show.stdout);
    assert.doesNotMatch(show.stdout, new RegExp(`${victim.achternaam}.*${victim.number}|${victim.number}`));
    const roster = await west.client.get(`/bibliotheek/school/${ids.anker}/leerlingen`);
    assert.match(textOf(roster.body), /10 leerlingen/);
    assert.ok(csrfOf(roster.body));
  });
});

test('the server stops cleanly (no sanitizer report, exit 0)', T, async () => {
  srv.assertHealthy();
  await srv.stop();
});
