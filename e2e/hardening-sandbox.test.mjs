// Issue 12, point 9: every uploaded file is read in a sandboxed child
// process (src/import/sandboxed.c).  Against a real server over HTTP: a
// file that crashes freexl, and a file whose reading passes a small
// configured [imports] reader_memory, are refused with a Dutch message
// (the latter "beschadigd of te groot", with the reason logged in English),
// nothing is recorded, and the same server process answers /healthz
// afterwards; normal .xlsx, .xls, .ods, .csv and EDEXML uploads still give
// a preview with every student.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SANITIZED, activeUser, startServer, textOf } from './lib/server.mjs';
import { imports, students, studentsCsv, upload, uploadPreview } from './lib/upload.mjs';
import { dotcomXls, edexml, esisCsv, handmadeXlsx, makeSchool, parnassysXlsx } from '../tests/fixtures/gen.mjs';

const T = { timeout: 180000 };
const A = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const SIZE = 30;
// The sanitizer build reserves terabytes of address space, so the memory
// limit applies only to the normal build (src/base/sandbox.h).

let srv;
let dir;
let pupils; // students in each normal file
let docent;
const files = {}; // kind -> { name, data }

/** The .xlsx at path converted to .ods by LibreOffice. */
function toOds(path) {
  const r = spawnSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless',
    '--convert-to', 'ods', '--outdir', join(dir, 'ods'), path], { encoding: 'utf8', timeout: 120000 });
  const out = join(dir, 'ods', 'handmade.ods');
  assert.ok(r.status === 0 && existsSync(out), `soffice could not convert to .ods: ${r.stdout} ${r.stderr}`);
  return readFileSync(out);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-sandbox-'));
  const school = makeSchool({ seed: 912, size: SIZE, cp1252: true });
  pupils = school.length;
  const at = (f) => join(dir, f);
  parnassysXlsx(at('parnassys.xlsx'), school);
  esisCsv(at('esis.csv'), school);
  dotcomXls(at('dotcom.xls'), school);
  edexml(at('leerlingen.xml'), school);
  handmadeXlsx(at('handmade.xlsx'), school);
  for (const [kind, name] of [['xlsx', 'parnassys.xlsx'], ['csv', 'esis.csv'], ['xls', 'dotcom.xls'],
    ['edexml', 'leerlingen.xml']])
    files[kind] = { name, data: readFileSync(at(name)) };
  files.ods = { name: 'handmade.ods', data: toOds(at('handmade.xlsx')) };
});

after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The server answers /healthz, as the same process as before. */
async function assertUnharmed(pid) {
  srv.assertHealthy();
  assert.equal(srv.proc.pid, pid, 'the same server process');
  const h = await srv.client().get('/healthz');
  assert.equal(h.status, 200);
}

describe('the readers run in a sandboxed child', () => {
  before(async () => {
    srv = await startServer({ schools: [A], config: { imports: { reader_memory: '16m' } } });
    docent = await activeUser(srv, { school: A.slug });
  });

  test('a file that crashes freexl: a Dutch refusal, nothing recorded, the server unharmed', T, async () => {
    const pid = srv.proc.pid;
    const before_ = imports(srv, A.slug);
    for (const name of ['freexl-stack-underflow-1', 'freexl-stack-underflow-2', 'freexl-heap-overread-1', 'freexl-segv-1']) {
      const data = readFileSync(new URL(`../fuzz/regress/${name}`, import.meta.url));
      const res = await upload(docent.client, 'leerlingen.xls', data);
      assert.equal(res.status, 422, name);
      // freexl fails on these in a normal build; in the sanitizer build
      // its bad memory access ends the reader process
      assert.match(textOf(res.body), /Het bestand (leerlingen\.xls )?(is beschadigd|kon niet veilig worden gelezen: het is beschadigd of te groot)/, name);
      await assertUnharmed(pid);
    }
    assert.deepEqual(imports(srv, A.slug), before_, 'no import recorded');
  });

  test('reading past reader_memory: "beschadigd of te groot" in Dutch and English, the reason logged, the server unharmed', T, async (t) => {
    if (SANITIZED) {
      t.skip('the sanitizer build has no memory limit');
      return;
    }
    const pid = srv.proc.pid;
    const before_ = imports(srv, A.slug);
    const big = Buffer.from(studentsCsv(students(100000, { start: 100001 })));
    assert.ok(big.length < 10 << 20, 'within the upload limit');
    const res = await upload(docent.client, 'hele-school.csv', big);
    assert.equal(res.status, 422);
    assert.match(textOf(res.body), /kon niet veilig worden gelezen: het is beschadigd of te groot\. Open het in Excel, sla het op als \.xlsx/);
    const en = await upload(docent.client, 'hele-school.csv', big, { headers: { 'Accept-Language': 'en' } });
    assert.equal(en.status, 422);
    assert.match(textOf(en.body), /could not be read safely: it is damaged or too large\. Open it in Excel, save it as \.xlsx/);
    // an allocation of ours that fails is named; one that fails in a
    // library or in the stack's growth ends the child as a crash
    assert.match(srv.logs(), /reader process: (memory limit|crashed \(signal \d+\))/, srv.logs().slice(-3000));
    assert.doesNotMatch(srv.logs(), /100001/, 'no pupil data in the log');
    assert.deepEqual(imports(srv, A.slug), before_, 'no import recorded');
    await assertUnharmed(pid);
  });

  for (const kind of ['xlsx', 'xls', 'ods', 'csv', 'edexml']) {
    test(`a normal ${kind} upload still gives a preview of every student`, T, async () => {
      const pid = srv.proc.pid;
      const { name, data } = files[kind];
      const id = await uploadPreview(docent.client, name, data);
      const page = await docent.client.get(`/docent/import/${id}`);
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, new RegExp(`Als je bevestigt: ${pupils} nieuwe leerlingen worden ingeschreven`),
        `${kind}: ${text.slice(0, 600)}`);
      assert.doesNotMatch(text, /beschadigd/);
      await assertUnharmed(pid);
    });
  }
});
