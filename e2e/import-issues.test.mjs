// Errors and warnings name the pupil (issue 10, point 4): on the preview's
// "Fouten en waarschuwingen" a pupil's line leads with the row and the
// pupil ("rij 7 – Finn Meijer (6003): ..."), says what is wrong with the
// value, and says how to fix it in the school's administration system when
// the file's layout names it (ParnasSys, ESIS), in the spreadsheet
// otherwise; a duplicate number names both pupils.  In Dutch and in
// English, on a real server after a real upload; and `biebsync import
// --json` gives each issue's pupil.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { activeUser, assertNoSanitizerReport, startServer, textOf } from './lib/server.mjs';
import { parnassysXlsx, students, studentsCsv, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 30000 };
const A = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
// one school per upload: a school has one open preview
const B = { name: 'CBS De Wegwijzer', brin: '34CD', slug: 'wegwijzer' };
const C = { name: 'Basisschool Het Anker', brin: '56EF', slug: 'anker' };

let srv;
let dir;
const docent = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-import-issues-'));
  srv = await startServer({ schools: [A, B, C] });
  for (const s of [A, B, C]) docent[s.slug] = await activeUser(srv, { school: s.slug });
});

after(() => {
  srv?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Six pupils; the third has an impossible birth date, the fourth the second's number. */
function faultyList() {
  const list = students(6, { start: 6001 });
  list[1] = { ...list[1], roepnaam: 'Daan', tussenvoegsel: 'van den', achternaam: 'Berg' };
  list[2] = { ...list[2], roepnaam: 'Finn', tussenvoegsel: '', achternaam: 'Meijer', birth: '2015-02-31' };
  list[3] = { ...list[3], roepnaam: 'Sara', tussenvoegsel: 'de', achternaam: 'Vries', number: list[1].number };
  return list;
}

/** The preview's issue lines (the text of each li in ul.issues). */
function issueLines(body) {
  const ul = /<ul class="issues">([\s\S]*?)<\/ul>/.exec(body);
  assert.ok(ul, 'the page has a list of issues');
  return [...ul[1].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => textOf(m[1]));
}

/** The preview of an upload by school's docent, in Dutch, then in English (the language switch). */
async function previewInBothLanguages(school, name, data) {
  const { client } = docent[school.slug];
  const id = await uploadPreview(client, name, data);
  await client.get('/taal/nl');
  const nl = await client.get(`/docent/import/${id}`);
  assert.equal(nl.status, 200);
  await client.get('/taal/en');
  const en = await client.get(`/docent/import/${id}`);
  assert.equal(en.status, 200);
  await client.get('/taal/nl');
  return { id, nl: issueLines(nl.body), en: issueLines(en.body) };
}

const has = (lines, want, what) =>
  assert.ok(lines.some((l) => l.includes(want)), `${what}: no line with\n  ${want}\nin\n  ${lines.join('\n  ')}`);

describe('a ParnasSys export with a wrong birth date and a duplicate number', () => {
  let page;

  before(async () => {
    // title rows above the header (row 4): the pupils start on row 5
    page = await previewInBothLanguages(A, 'parnassys.xlsx', parnassysXlsx(faultyList()));
  });

  test('the date: the row, the pupil, the value and where to fix it in ParnasSys', T, () => {
    has(page.nl, 'Fout rij 7 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. '
      + 'Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.', 'Dutch');
    has(page.en, 'Error row 7 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. '
      + 'Correct the date of birth of this pupil in ParnasSys and export again.', 'English');
  });

  test('the duplicate names both pupils', T, () => {
    has(page.nl, 'rij 8 – Sara de Vries (6002): dit leerlingnummer staat meer dan eens in het bestand '
      + '(zie rij 6: Daan van den Berg). Controleer het leerlingnummer van deze leerling in ParnasSys '
      + 'en maak de export opnieuw.', 'Dutch');
    has(page.en, 'row 8 – Sara de Vries (6002): this student number occurs more than once in the file '
      + '(see row 6: Daan van den Berg). Check the student number of this pupil in ParnasSys and export again.',
    'English');
  });

  test('no Excel column on the page, and no advice for Excel', T, () => {
    for (const l of [...page.nl, ...page.en].filter((x) => /Finn|Sara/.test(x))) {
      assert.doesNotMatch(l, /kolom [A-Z]|column [A-Z]/, l);
      assert.doesNotMatch(l, /Excel|dag-maand-jaar|day-month-year/, l);
    }
  });

  test('the file\'s own columns are no pupil\'s: no name before them', T, () => {
    has(page.nl, 'kolom H: Deze kolom bevat burgerservicenummers (BSN)', 'the BSN column');
  });

  test('the .xlsx report: row, column and value in their columns, the pupil leads the message', T, async () => {
    const res = await docent[A.slug].client.get(`/docent/import/${page.id}/rapport.xlsx`);
    assert.equal(res.status, 200);
    const text = xlsxStrings(res.raw);
    assert.ok(text.includes('Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. '
      + 'Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.'), text);
    assert.ok(text.includes('Sara de Vries (6002): dit leerlingnummer staat meer dan eens in het bestand '
      + '(zie rij 6: Daan van den Berg).'), text);
    assert.ok(!text.includes('rij 7'), 'the row has a column of its own');
  });
});

/** The text of an .xlsx's shared strings and sheets (a small zip reader). */
function xlsxStrings(zip) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file');
  let p = zip.readUInt32LE(eocd + 16);
  const n = zip.readUInt16LE(eocd + 10);
  let out = '';
  for (let i = 0; i < n; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString();
    if (/^xl\/(sharedStrings|worksheets\/.*)\.xml$/.test(name)) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      out += (method === 8 ? inflateRawSync(data) : data).toString('utf8')
        .replace(/<[^>]*>/g, '\n').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    }
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

describe('other layouts', () => {
  test('ESIS: the fix is done in ESIS', T, async () => {
    const csv = 'Stamnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Basisgroep\r\n'
      + '7001;Eva;;Jansen;14-03-2016;4A\r\n7002;Finn;;Meijer;31-02-2015;4A\r\n7003;Noor;;Dekker;02-05-2016;4A\r\n';
    const page = await previewInBothLanguages(B, 'esis.csv', Buffer.from(csv, 'utf8'));
    has(page.nl, 'rij 3 – Finn Meijer (7002): geboortedatum 31-02-2015 bestaat niet. '
      + 'Pas de geboortedatum van deze leerling aan in ESIS en maak de export opnieuw.', 'Dutch');
    has(page.en, 'row 3 – Finn Meijer (7002): date of birth 31-02-2015 does not exist. '
      + 'Correct the date of birth of this pupil in ESIS and export again.', 'English');
  });

  test('a spreadsheet of no known system: the fix is done in the sheet', T, async () => {
    const page = await previewInBothLanguages(C, 'lijst.csv', studentsCsv(faultyList()));
    // a plain CSV has its header on row 1
    has(page.nl, 'rij 4 – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. '
      + 'Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.', 'Dutch');
    has(page.en, 'row 4 – Finn Meijer (6003): date of birth 31-02-2015 does not exist. '
      + 'Write the date as day-month-year, for example 14-03-2015.', 'English');
    assert.ok(!page.nl.some((l) => /ParnasSys|ESIS|Dotcom/.test(l)), page.nl.join('\n'));
  });
});

test('biebsync import --json gives each issue its pupil and the column', T, () => {
  const file = join(dir, 'parnassys.xlsx');
  writeFileSync(file, parnassysXlsx(faultyList()));
  const r = spawnSync(srv.proc.spawnfile, ['import', '--school', A.slug, file, '--json', '--config', srv.configPath,
    '--db', srv.dbUrl], { encoding: 'utf8', timeout: 20000, env: { ...process.env, BIEBSYNC_LANG: 'nl' } });
  assertNoSanitizerReport(r.stderr ?? '', 'biebsync import --json');
  const j = JSON.parse(r.stdout);
  const date = j.issues.find((i) => i.code === 'date_impossible');
  assert.deepEqual([date.row, date.name, date.number], [7, 'Finn Meijer', '6003']);
  assert.equal(date.message, 'rij 7, kolom E – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. '
    + 'Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.');
  const dup = j.issues.find((i) => i.code === 'number_duplicate');
  assert.deepEqual([dup.row, dup.name, dup.number], [8, 'Sara de Vries', '6002']);
  const bsn = j.issues.find((i) => i.code === 'bsn_column_dropped');
  assert.deepEqual([bsn.name, bsn.number], ['', '']);
});
