// The attack run of issue 12 ("Also"), driven by scripts/security.sh
// (`make security`): sqlmap against every form, slowhttptest, the TLS scan,
// the memory and thread floods, hardening-check and the systemd unit's
// exposure, each against a fresh `biebsync serve` on loopback (the servers,
// accounts and sessions come from e2e/lib/server.mjs, as in the tests).
// The figures go to SECURITY.md between the markers below, replacing what
// an earlier run wrote there.
//
//   node scripts/security/run.mjs [BINARY]      (BIEBSYNC_BIN is set from it)
//   SECURITY_MD=FILE   write the section to FILE instead of SECURITY.md
//   SECURITY_JSON=FILE also keep the raw figures as JSON
//   SECURITY_ONLY="sqlmap slowhttptest memory threads static testssl"
//                      run only these parts (for trying one out)
//   SECURITY_FORMS=0,2 only these of the sqlmap forms (by index)
// (No SQLMAP_* variables: sqlmap reads those as its own options.)
//
// Traffic goes only to 127.0.0.1 (attackers) and 127.0.0.2 (the /healthz
// probe).  Every loop has a bound and every child process a time limit.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
process.env.BIEBSYNC_BIN = resolve(process.argv[2] ?? join(root, 'build/biebsync'));
// (imported after BIEBSYNC_BIN is set: server.mjs copies the binary on load)
const { activeUser, csrfOf, rawConnection, sleep, startServer } = await import('../../e2e/lib/server.mjs');
const { multipart, students, studentsCsv, upload, zipBombXlsx } = await import('../../e2e/lib/upload.mjs');

const BEGIN = '<!-- make security: begin (written by scripts/security/run.mjs; a rerun replaces it) -->';
const END = '<!-- make security: end -->';
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'biebsync-security-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const log = (...a) => console.log(`security [${((Date.now() - started) / 1000).toFixed(0)} s]`, ...a);
const R = {}; // every figure, by part

/* --- child processes with a time limit ----------------------------------- */

/** Run cmd args; resolves { code, signal, out, timedOut, ms } (stdout+stderr). */
function run(cmd, args, { timeoutMs, cwd = root, env } = {}) {
  return new Promise((res) => {
    const t0 = Date.now();
    let out = '';
    let timedOut = false;
    let p;
    try {
      p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (e) {
      res({ code: 127, out: String(e), timedOut, ms: 0 });
      return;
    }
    const add = (d) => { out += d; if (out.length > 4e6) out = out.slice(-2e6); };
    p.stdout.on('data', add);
    p.stderr.on('data', add);
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-p.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    p.on('error', (e) => { out += String(e); });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, out, timedOut, ms: Date.now() - t0 });
    });
  });
}

/** The installed version of a Debian package. */
async function debVersion(pkg) {
  const r = await run('dpkg-query', ['-W', '-f=${Version}', pkg], { timeoutMs: 20000 });
  return r.code === 0 ? `${pkg} ${r.out.trim()}` : pkg;
}

/* --- measuring -------------------------------------------------------------- */

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);

/**
 * GET /healthz from 127.0.0.2 every 100 ms (one at a time, 20 s limit each)
 * until stop() (at most 3,000 probes).  stop() resolves the figures.
 */
function probe(port) {
  let stopping = false;
  const times = [];
  let failed = 0;
  const one = () => new Promise((res) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/healthz', localAddress: '127.0.0.2', agent: false, timeout: 20000 },
      (resp) => {
        resp.resume();
        resp.on('end', () => res(resp.statusCode === 200 ? performance.now() - t0 : null));
      });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => res(null));
    req.end();
  });
  const loop = (async () => {
    for (let i = 0; i < 3000 && !stopping; i++) {
      const ms = await one();
      if (ms === null) failed++;
      else times.push(ms);
      await sleep(100);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      const s = [...times].sort((a, b) => a - b);
      return { n: times.length + failed, failed, p50: pct(s, 50), p99: pct(s, 99), max: s.length ? s[s.length - 1] : null };
    },
  };
}

/** VmRSS (and VmHWM) of pid in kB. */
function memKb(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/^VmRSS:\s+(\d+)/m.exec(st)?.[1]), hwm: Number(/^VmHWM:\s+(\d+)/m.exec(st)?.[1]) };
}

/** Sample the RSS every 100 ms until stop() (at most 10 minutes); resolves the peak in kB. */
function rssSampler(pid) {
  let stopping = false;
  let peak = 0;
  const loop = (async () => {
    for (let i = 0; i < 6000 && !stopping; i++) {
      try { peak = Math.max(peak, memKb(pid).rss); } catch { break; }
      await sleep(100);
    }
  })();
  return { async stop() { stopping = true; await loop; return peak; } };
}

/** Stop a server; 'yes' when it had stayed up and exited 0. */
async function stopServer(srv) {
  const up = srv.proc.exitCode === null && srv.proc.signalCode === null;
  try {
    await srv.stop();
    return up ? 'yes' : 'no';
  } catch (e) {
    srv.kill();
    log('server stop:', e.message.split('\n')[0]);
    return up ? 'up, but no clean exit' : 'no';
  }
}

/* --- the TLS scan, started first: it runs beside sqlmap ------------------------ */

const only = process.env.SECURITY_ONLY?.split(/[ ,]+/);
const testssl = only && !only.includes('testssl') ? Promise.resolve() : run('sh', ['scripts/testssl.sh', process.env.BIEBSYNC_BIN], { timeoutMs: 480000 }).then((r) => {
  const m = /(\d+) finding\(s\) rated LOW or higher/.exec(r.out);
  const version = /testssl ([^,]+),/.exec(r.out)?.[1] ?? '?';
  R.testssl = {
    version,
    findings: r.code === 0 ? 0 : m ? Number(m[1]) : null,
    status: r.timedOut ? 'cut off after 8 minutes' : r.code === 0 || m ? 'done' : r.code === 77 ? 'testssl.sh not installed' : `failed (exit ${r.code})`,
    list: r.code === 1 && m ? r.out.split('\n').filter((l) => /^(LOW|MEDIUM|HIGH|CRITICAL): /.test(l)) : [],
    s: Math.round(r.ms / 1000),
  };
  log('testssl:', R.testssl.status, R.testssl.findings, 'finding(s)');
});

/* --- sqlmap against every form ------------------------------------------------------ */

async function sqlmapPart() {
  const srv = await startServer({
    // sqlmap's requests must be answered, not throttled: the guessing
    // limits (and the session's end after wrong current passwords) would
    // otherwise answer every injected request the same
    config: { login: { max_failures_account: 1000, max_failures_address: 100000 } },
    schools: [{ name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' },
      { name: 'De Wilgen', brin: '12AC', slug: 'wilgen' }],
  });
  const base = srv.url;
  const teacher = await activeUser(srv, { school: 'regenboog', username: 'juf-sqlmap' });
  const changer = await activeUser(srv, { school: 'wilgen', username: 'meester-sqlmap' });
  const library = await activeUser(srv, { role: 'bibliotheek', library: 'bibliotheek', username: 'bieb-sqlmap' });
  const list = students(25);
  const csv = studentsCsv(list).toString('utf8');
  // a preview to confirm and undo, and one to cancel
  const up1 = await upload(teacher.client, 'leerlingen.csv', Buffer.from(csv));
  const previewId = Number(/\/docent\/import\/(\d+)/.exec(up1.headers.location ?? '')?.[1]);
  const schools = await library.client.get('/bibliotheek/scholen').catch(() => null);
  let schoolId = Number(/\/bibliotheek\/school\/(\d+)"/.exec(schools?.body ?? '')?.[1]);
  if (!schoolId) schoolId = Number(/\/bibliotheek\/school\/(\d+)"/.exec((await library.client.get('/')).body)?.[1] ?? 1);
  const tCsrf = csrfOf((await teacher.client.get('/docent/upload')).body);
  const cCsrf = csrfOf((await changer.client.get('/mijn-gegevens')).body);
  const lCsrf = csrfOf((await library.client.get('/bibliotheek/school/nieuw')).body);
  const anon = srv.client();
  const loginCsrf = csrfOf((await anon.get('/aanmelden')).body);

  // (not -r FILE: sqlmap reads its targets from stdin when that is no terminal)
  const up = multipart({ csrf: tCsrf }, { filename: 'leerlingen.csv', data: Buffer.from(csv), type: 'text/csv' });

  // [form, args]; * marks an id in the path as an injection point too
  const T = teacher.client.cookieHeader();
  const L = library.client.cookieHeader();
  const forms = [
    ['login (POST /aanmelden)', ['-u', `${base}/aanmelden`, '--data=' + `csrf=${loginCsrf}&gebruikersnaam=sqlmap-probe&wachtwoord=geen-wachtwoord`, '--cookie', anon.cookieHeader()]],
    ['password change (POST /wachtwoord-wijzigen)', ['-u', `${base}/wachtwoord-wijzigen`, '--data=' + `csrf=${cCsrf}&huidig=${encodeURIComponent(changer.password)}&nieuw=blauw-vuurtorenlicht-42&herhaal=blauw-vuurtorenlicht-42`, '--cookie', changer.client.cookieHeader()]],
    ['upload (POST /docent/upload, multipart)', ['-u', `${base}/docent/upload`, '--data=' + up.body.toString('utf8'), '--cookie', T,
      `--headers=Origin: ${base}\\nContent-Type: ${up.contentType}`]],
    ['confirm (POST /docent/import/ID/bevestigen)', ['-u', `${base}/docent/import/${previewId}*/bevestigen`, '--data=' + `csrf=${tCsrf}&zeker=ja`, '--cookie', T]],
    ['undo (POST /docent/import/ID/ongedaan-maken)', ['-u', `${base}/docent/import/${previewId}*/ongedaan-maken`, '--data=' + `csrf=${tCsrf}`, '--cookie', T]],
    ['cancel (POST /docent/import/ID/annuleren)', ['-u', `${base}/docent/import/${previewId}*/annuleren`, '--data=' + `csrf=${tCsrf}`, '--cookie', T]],
    ['school add (POST /bibliotheek/school/nieuw)', ['-u', `${base}/bibliotheek/school/nieuw`, '--data=' + `csrf=${lCsrf}&naam=OBS+Sqlmap&brin=99ZZ&contactnaam=Jan&telefoon=0101234567&email=jan%40example.nl`, '--cookie', L]],
    ['school edit (POST /bibliotheek/school/ID/bewerken)', ['-u', `${base}/bibliotheek/school/${schoolId}*/bewerken`, '--data=' + `csrf=${lCsrf}&naam=OBS+De+Regenboog&brin=12AB&contactnaam=Jan&telefoon=0101234567&email=jan%40example.nl`, '--cookie', L]],
    ['account add (POST /bibliotheek/school/ID/account-nieuw)', ['-u', `${base}/bibliotheek/school/${schoolId}*/account-nieuw`, '--data=' + `csrf=${lCsrf}&gebruikersnaam=nieuwe-juf`, '--cookie', L]],
    ['audit log filters (GET /bibliotheek/logboek)', ['-u', `${base}/bibliotheek/logboek?school=${schoolId}&account=&soort=login_ok&van=2026-01-01&tot=2026-12-31&voor=`, '--cookie', L]],
    ['roster search (GET /bibliotheek/school/ID/leerlingen?zoek=)', ['-u', `${base}/bibliotheek/school/${schoolId}/leerlingen?zoek=jansen`, '--cookie', L]],
  ];
  // level 2 (cookies too) everywhere but the password change, whose wrong
  // current passwords reach the highest max_failures_account (1000) there
  const level = (name) => (name.startsWith('password change') ? 1 : 2);
  const common = (i) => ['--batch', '--ignore-stdin', `--level=${level(forms[i][0])}`, '--risk=1', '--time-sec=1', '--timeout=10', '--retries=1',
    '--skip=csrf', '--drop-set-cookie', '--flush-session', '--disable-coloring', '--skip-waf',
    `--headers=Origin: ${base}`, `--output-dir=${join(work, `sqlmap-${i}`)}`];
  const results = new Array(forms.length);
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < forms.length) {
      const i = next++;
      if (process.env.SECURITY_FORMS && !process.env.SECURITY_FORMS.split(',').includes(String(i))) continue;
      const [name, args] = forms[i];
      const extra = args.some((a) => a.startsWith('--headers')) ? common(i).filter((a) => !a.startsWith('--headers')) : common(i);
      // the whole sqlmap part stops starting runs after 7 minutes
      const left = 420000 - (Date.now() - t0);
      if (left < 20000) {
        results[i] = { form: name, injectable: 'not run (7 minutes for sqlmap used up)', tested: '', found: '', errors: '-', s: 0, level: level(name) };
        continue;
      }
      const limit = Math.min(240000, left);
      const r = await run('sqlmap', [...args, ...extra], { timeoutMs: limit });
      r.out = `sqlmap ${JSON.stringify([...args, ...extra])}\n${r.out}`;
      const yes = /identified the following injection point|is vulnerable/.test(r.out);
      const no = /do not appear to be injectable|not injectable/.test(r.out);
      const tested = [...new Set([...r.out.matchAll(/testing for SQL injection on (?:\(custom\) )?(\w+) parameter '([^']+)'/g)]
        .map((m) => `${m[1]} ${m[2].replace(/^MULTIPART /, '')}`))];
      const found = [...r.out.matchAll(/Parameter: (.*)/g)].map((m) => m[1].trim());
      results[i] = {
        form: name,
        injectable: yes ? 'YES' : no ? 'no' : r.timedOut ? `not finished (${Math.round(limit / 1000)} s limit)` : `unknown (exit ${r.code})`,
        level: level(name),
        tested: tested.join(', '),
        found: found.join('; '),
        errors: /HTTP error codes detected during run:\s*\n([^\n]*)/.exec(r.out)?.[1].replace(/ \([^)]*\)/g, '').replace(/ - (\d+) times?/g, ' ×$1').trim() ?? 'none',
        s: Math.round(r.ms / 1000),
      };
      // kept for a look: build/security/sqlmap-N.log
      mkdirSync(join(root, 'build/security'), { recursive: true });
      writeFileSync(join(root, 'build/security', `sqlmap-${i}.log`), r.out);
      log('sqlmap:', name, '->', results[i].injectable, `(${results[i].s} s)`);
    }
  };
  await Promise.all([worker(), worker()]);
  R.sqlmap = { results, up: await stopServer(srv), version: await debVersion('sqlmap') };
}

/* --- slowhttptest ------------------------------------------------------------------------- */

async function slowPart() {
  const srv = await startServer({ config: { login: { max_failures_address: 50 } } }); // shipped defaults
  const out = [];
  const modes = [
    ['slowloris (slow headers, -H)', ['-H', '-c', '500', '-r', '100', '-i', '5', '-l', '40', '-x', '24', '-p', '3', '-u', `${srv.url}/`]],
    ['slow body (-B, POST /aanmelden, 60 kB declared)', ['-B', '-c', '500', '-r', '100', '-i', '5', '-l', '40', '-x', '24', '-p', '3', '-s', '60000', '-u', `${srv.url}/aanmelden`]],
  ];
  for (const [name, args] of modes) {
    const p = probe(srv.port);
    const r = await run('slowhttptest', args, { timeoutMs: 90000 });
    const fig = await p.stop();
    r.out = r.out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    mkdirSync(join(root, 'build/security'), { recursive: true });
    writeFileSync(join(root, 'build/security', `slowhttptest-${out.length}.log`), r.out);
    const avail = [...r.out.matchAll(/service available:\s*(\S+)/g)].map((m) => m[1]);
    const conns = [...r.out.matchAll(/connected:\s*(\d+)/g)].map((m) => Number(m[1]));
    const closed = [...r.out.matchAll(/closed:\s*(\d+)/g)].map((m) => Number(m[1]));
    const ended = /Test ended on (\d+)\w* second\s*\nExit status:\s*([^\n]*)/.exec(r.out);
    out.push({
      mode: name,
      probe: fig,
      maxConnected: conns.length ? Math.max(...conns) : null,
      closed: closed.length ? Math.max(...closed) : null,
      ended: ended ? `after ${ended[1]} s: ${ended[2].trim()}` : '-',
      available: avail.filter((a) => /YES/i.test(a)).length,
      checks: avail.length,
      exit: r.timedOut ? 'cut off' : r.code,
      up: srv.proc.exitCode === null && srv.proc.signalCode === null,
    });
    log('slowhttptest:', name, JSON.stringify(out[out.length - 1]));
  }
  R.slow = { version: await debVersion('slowhttptest'), modes: out, up: await stopServer(srv) };
}

/* --- memory: 100 anonymous slow 10 MB uploads ------------------------------------------------ */

async function memoryPart() {
  // per_ip_connections raised so that all 100 connections reach the server
  // (the default, 64, would refuse 36 of them at once)
  const srv = await startServer({ config: { server: { per_ip_connections: 256 } } });
  await sleep(500);
  const before = memKb(srv.proc.pid).rss;
  const sampler = rssSampler(srv.proc.pid);
  const p = probe(srv.port);
  const piece = Buffer.alloc(64 * 1024, 'x').toString('latin1');
  const statuses = {};
  const one = async () => {
    let c;
    try {
      c = await rawConnection(srv.port);
    } catch {
      statuses.refused = (statuses.refused ?? 0) + 1;
      return;
    }
    await c.write(`POST /docent/upload HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'Content-Type: multipart/form-data; boundary=grens\r\nContent-Length: 10485760\r\n\r\n'
      + '--grens\r\nContent-Disposition: form-data; name="bestand"; filename="lijst.csv"\r\n\r\n');
    for (let i = 0; i < 40; i++) { // at most 2.5 MB each, 64 kB per 50 ms
      if (!(await c.write(piece))) break;
      await sleep(50);
    }
    await sleep(500);
    const s = c.status() ?? 'none';
    statuses[s] = (statuses[s] ?? 0) + 1;
    c.sock.destroy();
  };
  await Promise.all(Array.from({ length: 100 }, one));
  const peak = await sampler.stop();
  R.memory = { beforeKb: before, peakKb: peak, statuses, probe: await p.stop(), up: await stopServer(srv) };
  log('memory:', JSON.stringify(R.memory));
}

/* --- threads: 48 parallel logins, 8 parallel zip bombs -------------------------------------- */

async function threadPart() {
  const schools = Array.from({ length: 8 }, (_, i) => ({ name: `Basisschool ${i + 1}`, brin: `3${i}AB`, slug: `school-${i + 1}` }));
  const srv = await startServer({ schools });
  const user = await activeUser(srv, { school: 'school-1', username: 'juf-login' });
  const idle = probe(srv.port);
  await sleep(3000);
  const idleFig = await idle.stop();

  // 48 logins at once, each from its own client with its own pre-session
  const clients = [];
  for (let i = 0; i < 48; i++) {
    const c = srv.client({ timeout: 120000 });
    clients.push({ c, csrf: csrfOf((await c.get('/aanmelden')).body) });
  }
  let p = probe(srv.port);
  await sleep(300);
  let t0 = Date.now();
  const logins = await Promise.all(clients.map(({ c, csrf }) => c.request('/aanmelden',
    { form: { csrf, gebruikersnaam: user.username, wachtwoord: user.password } }).then((r) => r.status, () => 'error')));
  const loginMs = Date.now() - t0;
  await sleep(300);
  const loginFig = await p.stop();
  const loginStatus = {};
  for (const s of logins) loginStatus[s] = (loginStatus[s] ?? 0) + 1;
  log('48 logins:', loginMs, 'ms', JSON.stringify(loginStatus), JSON.stringify(loginFig));

  // 8 zip bombs at once, one teacher per school
  const bomb = zipBombXlsx();
  const teachers = [];
  for (let i = 0; i < 8; i++) {
    const t = await activeUser(srv, { school: `school-${i + 1}`, username: `juf-bom-${i + 1}` });
    t.client.timeout = 120000;
    t.csrf = csrfOf((await t.client.get('/docent/upload')).body);
    teachers.push(t);
  }
  p = probe(srv.port);
  await sleep(300);
  t0 = Date.now();
  const bombs = await Promise.all(teachers.map((t) => upload(t.client, 'leerlingen.xlsx', bomb, { csrf: t.csrf })
    .then((r) => r.status, () => 'error')));
  const bombMs = Date.now() - t0;
  await sleep(300);
  const bombFig = await p.stop();
  const bombStatus = {};
  for (const s of bombs) bombStatus[s] = (bombStatus[s] ?? 0) + 1;
  log('8 zip bombs:', bombMs, 'ms', JSON.stringify(bombStatus), JSON.stringify(bombFig));
  R.threads = {
    idle: idleFig,
    logins: { ms: loginMs, status: loginStatus, probe: loginFig },
    bombs: { ms: bombMs, status: bombStatus, probe: bombFig, bytes: bomb.length },
    up: await stopServer(srv),
  };
}

/* --- build and unit ------------------------------------------------------------------------------ */

async function staticPart() {
  const h = await run('sh', ['scripts/hardening.sh', process.env.BIEBSYNC_BIN], { timeoutMs: 120000 });
  const checks = new Map(); // the last line per check wins (stack clash: unknown, then yes)
  for (const m of h.out.matchAll(/^ ([A-Za-z][^:]+): (.*)$/gm)) checks.set(m[1], m[2].replace(/[\s,]*[(,].*$/, ''));
  R.hardening = {
    status: h.code === 0 ? 'passed' : h.code === 77 ? 'hardening-check not installed' : 'FAILED',
    checks: [...checks].map(([k, v]) => `${k}: ${v}`),
  };
  const u = await run('sh', ['scripts/unitcheck.sh'], { timeoutMs: 120000 });
  R.unit = { status: u.code === 0 ? 'passed' : u.code === 77 ? 'systemd-analyze not installed' : 'FAILED', exposure: /exposure ([0-9.]+)/.exec(u.out)?.[1] ?? '?' };
  log('hardening:', R.hardening.status, 'unit exposure', R.unit.exposure);
}

/* --- SECURITY.md ---------------------------------------------------------------------------------- */

const ms = (v) => (v === null || v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const probeText = (f) => `${ms(f.p50)} / ${ms(f.p99)} / ${ms(f.max)} (${f.n} probes${f.failed ? `, ${f.failed} failed` : ''})`;
const counts = (o) => Object.entries(o).map(([k, v]) => `${v}× ${k}`).join(', ');

function section() {
  const when = new Date(started).toISOString().replace(/:\d\d\.\d+Z$/, ' UTC').replace('T', ' ');
  const L = [];
  L.push(BEGIN, '');
  L.push(`Written by \`make security\` (scripts/security.sh) on ${when}, ${Math.round((Date.now() - started) / 1000)} s for the run,`
    + ` against fresh \`biebsync serve\` processes on 127.0.0.1 (the binary \`${process.env.BIEBSYNC_BIN.replace(`${root}/`, '')}\`),`
    + ' the `/healthz` probe from 127.0.0.2 (one request at a time, every 100 ms; p50 / p99 / max).', '');
  if (R.sqlmap) {
    L.push(`**sqlmap** (${R.sqlmap.version}; \`--level=2\` (the password change \`--level=1\`) \`--risk=1 --time-sec=1\`, all techniques, at most 240 s a form, a logged-in session's cookie and its CSRF token,`
      + ' the `csrf` field itself skipped, an id in the path tested too; guessing limits raised on this server so that'
      + ' every injected request is answered rather than throttled):', '');
    L.push('| form | injectable | level | parameters tested | 4xx/5xx answers | time |', '|---|---|---|---|---|---|');
    for (const r of R.sqlmap.results.filter(Boolean))
      L.push(`| ${r.form} | ${r.injectable}${r.found ? ` (${r.found})` : ''} | ${r.level} | ${r.tested || '-'} | ${r.errors} | ${r.s} s |`);
    L.push('', `Server up and a clean exit afterwards: ${R.sqlmap.up}.`, '');
  }
  if (R.slow) {
    L.push(`**slowhttptest** (${R.slow.version}; 500 connections from 127.0.0.1 at 100 a second, a follow-up every 5 s, 40 s; the shipped`
      + ' defaults: 64 connections per address, `head_timeout` 10 s):', '');
    L.push('| attack | most connections open at once | connections closed (refused past the cap or cut off) | slowhttptest ended | its own check from 127.0.0.1: available | /healthz from 127.0.0.2 (p50 / p99 / max) | server up |',
      '|---|---|---|---|---|---|---|');
    for (const m of R.slow.modes)
      L.push(`| ${m.mode} | ${m.maxConnected ?? '-'} | ${m.closed ?? '-'} | ${m.ended} | ${m.available} of ${m.checks} | ${probeText(m.probe)} | ${m.up ? 'yes' : 'NO'} |`);
    L.push('', 'slowhttptest\'s own check connects from the attacking address, which is at its 64 connections, so "not available"'
      + ' there is the per-address cap at work; the probe from 127.0.0.2 is the figure for everyone else.');
    L.push('', `Clean exit afterwards: ${R.slow.up}.`, '');
  }
  if (R.testssl)
    L.push(`**testssl** (\`scripts/testssl.sh\`, ${R.testssl.version}, RSA key; ${R.testssl.s} s): ${R.testssl.status},`
      + ` **${R.testssl.findings ?? '?'}** finding(s) rated LOW or higher apart from the certificate's own${R.testssl.list.length ? `: ${R.testssl.list.join('; ')}` : ''}.`, '');
  if (R.memory)
    L.push(`**Memory flood** (100 anonymous connections to \`/docent/upload\`, each declaring a 10 MB body and sending up to 2.5 MB of it`
      + ` in 64 kB pieces every 50 ms; \`per_ip_connections\` 256 so that all reach the server): RSS **${Math.round(R.memory.beforeKb / 1024)} MB before,`
      + ` ${Math.round(R.memory.peakKb / 1024)} MB at the peak** (VmRSS every 100 ms); answers ${counts(R.memory.statuses)};`
      + ` /healthz ${probeText(R.memory.probe)}; server up: ${R.memory.up}.`, '');
  if (R.threads) {
    const t = R.threads;
    L.push(`**Thread floods** (shipped defaults: 4 HTTP threads; hashing and file reading on the worker pool, one thread per CPU (${cpus().length} here)`
      + ' at 10 nice levels below, a queue of 64, 2 password hashes at once):', '');
    L.push('| flood | took | answers | /healthz from 127.0.0.2 (p50 / p99 / max) |', '|---|---|---|---|');
    L.push(`| none (3 s idle) | - | - | ${probeText(t.idle)} |`);
    L.push(`| 48 parallel logins (Argon2id, right password) | ${ms(t.logins.ms)} | ${counts(t.logins.status)} | ${probeText(t.logins.probe)} |`);
    L.push(`| 8 parallel uploads of a zip bomb (.xlsx of ${Math.round(t.bombs.bytes / 1024)} kB inflating to 1 GiB, 8 schools) | ${ms(t.bombs.ms)} | ${counts(t.bombs.status)} | ${probeText(t.bombs.probe)} |`);
    L.push('', `Server up and a clean exit afterwards: ${t.up}.`, '');
  }
  if (R.hardening)
    L.push(`**hardening-check** on the binary (\`scripts/hardening.sh\`): ${R.hardening.status}${R.hardening.checks.length ? ` (${R.hardening.checks.join('; ')})` : ''}.`, '');
  if (R.unit)
    L.push(`**systemd unit** (\`systemd-analyze security --offline=true docs/biebsync.service\`, \`scripts/unitcheck.sh\`): exposure **${R.unit.exposure}**, ${R.unit.status}.`, '');
  L.push(END);
  return L.join('\n');
}

function writeSection() {
  const file = process.env.SECURITY_MD ?? join(root, 'SECURITY.md');
  const text = readFileSync(file, 'utf8');
  const sec = section();
  const a = text.indexOf(BEGIN.slice(0, 30));
  const b = text.indexOf(END);
  const out = a >= 0 && b > a ? text.slice(0, a) + sec + text.slice(b + END.length) : `${text.replace(/\n*$/, '\n\n')}${sec}\n`;
  writeFileSync(file, out);
  log('wrote', file);
}

/* --- the run ------------------------------------------------------------------------------------- */

const parts = [['sqlmap', sqlmapPart], ['slowhttptest', slowPart], ['memory', memoryPart], ['threads', threadPart], ['static', staticPart]];
let failed = false;
for (const [name, fn] of parts) {
  if (only && !only.includes(name)) continue;
  if (name === 'slowhttptest') await testssl; // the floods measure latency: nothing else running
  log(`--- ${name}`);
  try {
    await fn();
  } catch (e) {
    failed = true;
    log(`${name} failed:`, e.stack ?? e);
  }
}
await testssl;
if (process.env.SECURITY_JSON) writeFileSync(process.env.SECURITY_JSON, JSON.stringify(R, null, 2));
writeSection();
log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
