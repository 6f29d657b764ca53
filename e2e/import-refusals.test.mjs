// A blocked or a stale preview is never applied, whichever way it is
// confirmed (issue 9): the upload page's Bevestigen, `biebsync import
// --apply` and `biebsync admin import apply`.  All three go through the
// import layer's one rule (src/import/import.c, import_confirm); this test
// holds each path to it against a real server and its database, and checks
// through the command line that nothing changed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { activeUser, assertNoSanitizerReport, startServer, textOf } from './lib/server.mjs';
import { cliApply, imports, roster, students, studentsCsv, uploadPreview } from './lib/upload.mjs';

const T = { timeout: 60000 };
const A = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };

let srv;
let dir;
let docent;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-refusals-'));
  srv = await startServer({ schools: [A] });
  docent = await activeUser(srv, { school: A.slug });
});

after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `biebsync import --school A FILE ARGS` against the server's database. */
function cliImport(file, args, env = {}) {
  const r = spawnSync(srv.proc.spawnfile, ['import', '--school', A.slug, file, ...args, '--config', srv.configPath,
    '--db', srv.dbUrl], { encoding: 'utf8', timeout: 30000, env: { ...process.env, BIEBSYNC_LANG: 'nl', ...env } });
  assertNoSanitizerReport(r.stderr ?? '', 'biebsync import');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, running at the same time as other processes. */
function cliImportAsync(file, env) {
  return new Promise((resolve) => {
    const child = spawn(srv.proc.spawnfile, ['import', '--school', A.slug, file, '--apply', '--confirm-guard',
      '--config', srv.configPath, '--db', srv.dbUrl],
    { env: { ...process.env, BIEBSYNC_LANG: 'nl', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      assertNoSanitizerReport(stderr, 'biebsync import --apply');
      resolve({ code, stdout, stderr });
    });
  });
}

const stateOf = (id) => imports(srv, A.slug).find((i) => i.id === id)?.state;

async function confirmOnWeb(id) {
  const { csrf } = await docent.client.getForm(`/docent/import/${id}`);
  return docent.client.request(`/docent/import/${id}/bevestigen`, { form: { csrf, zeker: 'ja' } });
}

describe('refused by every path', () => {
  test('a blocked preview: web 422, import --apply and admin import apply exit 1, nothing changes', T, async () => {
    const start = students(25, { start: 1001 });
    const f0 = join(dir, 'start.csv');
    writeFileSync(f0, studentsCsv(start));
    assert.equal(cliApply(srv, A.slug, f0).code, 0);
    const before_ = roster(srv, A.slug);

    // two pupils with one number: the file cannot be applied
    const bad = students(26, { start: 1001 });
    bad[25].number = bad[24].number;
    const file = join(dir, 'dubbel.csv');
    writeFileSync(file, studentsCsv(bad));
    const id = await uploadPreview(docent.client, 'dubbel.csv', studentsCsv(bad));
    const page = await docent.client.get(`/docent/import/${id}`);
    assert.doesNotMatch(page.body, /action="[^"]*\/bevestigen"/, 'no confirm button on a blocked preview');

    const web = await confirmOnWeb(id);
    assert.equal(web.status, 422);
    assert.match(textOf(web.body), /fouten die eerst opgelost moeten worden; er is niets gewijzigd/);

    const admin = srv.admin('import', 'apply', String(id), '--school', A.slug, '--confirm-guard');
    assert.equal(admin.code, 1, admin.stdout + admin.stderr);
    assert.match(admin.stderr, /fouten die eerst opgelost moeten worden/);

    const cli = cliImport(file, ['--apply', '--confirm-guard']);
    assert.equal(cli.code, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /Niet toegepast\. Dit bestand heeft fouten/);

    assert.equal(stateOf(id), 'preview');
    assert.deepEqual(roster(srv, A.slug), before_);
    assert.ok(!imports(srv, A.slug).some((i) => i.state === 'applied' && i.id > id), 'import --apply applied nothing');
  });

  test('a stale preview: web 409, admin import apply and import --apply exit 1, nothing changes', T, async () => {
    const next = students(25, { start: 1001, groups: ['Groep 4', 'Groep 5', 'Groep 6/7', 'Groep 8', 'Groep 8'] });
    const file = join(dir, 'volgend-jaar.csv');
    writeFileSync(file, studentsCsv(next));
    const meanwhile = students(24, { start: 1001 });
    const f2 = join(dir, 'tussendoor.csv');
    writeFileSync(f2, studentsCsv(meanwhile));

    // a school has one open preview, so each preview is made stale in
    // turn: staged after an apply, then that apply is undone behind its back
    assert.equal(cliApply(srv, A.slug, f2).code, 0);
    const staged = cliImport(file, ['--stage']);
    assert.equal(staged.code, 0, staged.stdout + staged.stderr);
    const byCli = Number(/voorbeeld (\d+)/.exec(staged.stdout)[1]);
    assert.equal(srv.admin('import', 'undo', '--school', A.slug).code, 0);
    const changed = roster(srv, A.slug);
    const admin = srv.admin('import', 'apply', String(byCli), '--school', A.slug);
    assert.equal(admin.code, 1, admin.stdout + admin.stderr);
    assert.match(admin.stderr, /gewijzigd sinds dit voorbeeld; er is niets gewijzigd/);
    assert.equal(stateOf(byCli), 'preview');
    assert.deepEqual(roster(srv, A.slug), changed);

    assert.equal(cliApply(srv, A.slug, f2).code, 0);
    const onWeb = await uploadPreview(docent.client, 'volgend-jaar.csv', studentsCsv(next));
    assert.equal(stateOf(byCli), 'cancelled', 'the new upload replaced the open preview');
    assert.equal(srv.admin('import', 'undo', '--school', A.slug).code, 0);
    const web = await confirmOnWeb(onWeb);
    assert.equal(web.status, 409);
    assert.match(textOf(web.body), /gewijzigd sinds dit overzicht is gemaakt/);
    assert.equal(stateOf(onWeb), 'preview');
    assert.deepEqual(roster(srv, A.slug), changed);

    // import --apply stages and applies in one go: it is stale only when
    // another apply lands in between, so run two at once with each apply
    // stretched to about a second; exactly one of them applies
    const other = students(23, { start: 1001 });
    const f3 = join(dir, 'ander.csv');
    writeFileSync(f3, studentsCsv(other));
    const env = { BIEBSYNC_TEST_APPLY_DELAY_US: '80000' };
    const rs = await Promise.all([cliImportAsync(file, env), cliImportAsync(f3, env)]);
    const won = rs.filter((r) => r.code === 0);
    const lost = rs.filter((r) => r.code !== 0);
    assert.equal(won.length, 1, rs.map((r) => `${r.code}: ${r.stdout}${r.stderr}`).join('\n'));
    assert.equal(lost[0].code, 1);
    // stale, or its preview replaced by the winner's before it applied
    assert.match(lost[0].stdout, /Niet toegepast\. (De leerlingen van deze school zijn gewijzigd sinds dit voorbeeld|Over deze import is al beslist \(toegepast, geannuleerd, vervangen door een nieuwere upload of verlopen\)); er is niets gewijzigd/);
    const applied = won[0] === rs[0] ? next : other;
    assert.deepEqual(roster(srv, A.slug).map((s) => s.leerlingnummer).sort(), applied.map((s) => s.number).sort());
  });
});
