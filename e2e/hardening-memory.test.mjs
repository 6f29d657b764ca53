// Memory hardening (issue 12, point 2), over raw sockets: an upload without
// a valid session is refused on its head, before any body byte is read, and
// its connection closed; the body bytes in flight are capped per client
// address (and in total), past which an upload gets 503 with Retry-After
// and the Dutch busy page.  The server's RSS, read from /proc, stays
// bounded while a hundred clients try to send 10 MB each, /healthz answers
// throughout, and a normal upload works once the slow ones are gone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { activeUser, rawConnection, sleep, startServer, textOf, within } from './lib/server.mjs';
import { students, studentsCsv, upload } from './lib/upload.mjs';

const T = { timeout: 120000 };
const SCHOOL = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };
const DECLARED = 10 * 1024 * 1024; // within the default 10 MB upload limit
const SENT = 2 * 1024 * 1024; // body bytes each slow client gets to send
const PIECE = Buffer.alloc(256 * 1024, 'x').toString('latin1');
const RSS_BOUND_KB = 150 * 1024;
const UPLOADS_PER_ADDRESS = 4; // the default body_budget_per_address

let srv;

before(async () => {
  srv = await startServer({
    // room for a hundred connections from one address
    config: { server: { per_ip_connections: 256 } },
    schools: [SCHOOL],
  });
});

after(async () => {
  if (srv) await srv.stop();
});

/** The server process's resident set size in kB. */
function rssKb() {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8'));
  assert.ok(m, 'VmRSS in /proc/PID/status');
  return Number(m[1]);
}

async function healthz() {
  const res = await within(srv.client().get('/healthz'), 5000, '/healthz');
  assert.equal(res.status, 200, '/healthz answers');
}

/** Open a connection and send the head of a 10 MB multipart upload. */
async function uploadHead({ cookie, accept, server = srv, declared = DECLARED } = {}) {
  const c = await rawConnection(server.port);
  await c.write(
    `POST /docent/upload HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`
    + 'Content-Type: multipart/form-data; boundary=grens\r\n'
    + `Content-Length: ${declared}\r\n`
    + (accept ? `Accept: ${accept}\r\n` : '')
    + (cookie ? `Cookie: ${cookie}\r\n` : '')
    + '\r\n');
  return c;
}

/** Send the start of the file part and up to SENT bytes of the file,
 * slowly, piece by piece, while the socket is open. */
async function trickle(c) {
  const part = '--grens\r\nContent-Disposition: form-data; name="bestand"; filename="lijst.csv"\r\n'
    + 'Content-Type: text/csv\r\n\r\n';
  if (!(await c.write(part))) return;
  for (let sent = 0; sent < SENT; sent += PIECE.length) {
    if (!(await c.write(PIECE))) return;
    await sleep(20);
  }
}

/** Wait (at most 10 s) until c has a status line. */
async function answered(c, what) {
  for (let waited = 0; c.status() === null; waited += 20) {
    if (waited > 10000) assert.fail(`${what}: no answer within 10 s`);
    await sleep(20);
  }
}

const isClosed = (c) => within(c.closed, 3000, 'connection close').then(() => true, () => false);

describe('uploads without a session', () => {
  test('100 anonymous slow 10 MB uploads are refused before the body, RSS stays bounded', T, async () => {
    const before = rssKb();
    const conns = [];
    for (let i = 0; i < 100; i++)
      conns.push(await uploadHead({ accept: i % 2 === 0 ? 'text/html,application/xhtml+xml' : undefined }));
    await sleep(1500); // the answer is due on the head alone
    const statuses = conns.map((c) => c.status());
    const heads = conns.map((c) => c.headers());
    await Promise.all(conns.map(trickle)); // try to push the bodies anyway
    const during = rssKb();
    await healthz();
    const closed = await Promise.all(conns.map(isClosed));
    for (const c of conns) c.sock.destroy();

    for (let i = 0; i < conns.length; i++) {
      assert.equal(statuses[i], 303, `#${i}: login redirect before the body`);
      assert.equal(heads[i].location, '/aanmelden');
      assert.equal(heads[i].connection, 'close', `#${i}: Connection: close`);
      assert.ok(closed[i], `#${i}: the server closed the connection`);
    }
    assert.ok(during < RSS_BOUND_KB,
      `RSS ${during} kB during the flood (before: ${before} kB) stays under ${RSS_BOUND_KB} kB`);
    await healthz();
  });

  test('another role\'s session is 403 before the body', T, async () => {
    const lib = await activeUser(srv, { role: 'bibliotheek' });
    const c = await uploadHead({ cookie: lib.client.cookieHeader(), accept: 'text/html' });
    await within(c.closed, 5000, 'refusal');
    assert.equal(c.status(), 403);
    assert.match(textOf(c.received()), /Geen toegang/);
  });

  test('a form without a session is refused on its head too', T, async () => {
    const c = await rawConnection(srv.port);
    await c.write(
      `POST /wachtwoord-wijzigen HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'Content-Type: application/x-www-form-urlencoded\r\n'
      + 'Content-Length: 60000\r\nAccept: text/html\r\n\r\n');
    await answered(c, 'form refusal'); // not one body byte sent
    assert.equal(c.status(), 303);
    assert.equal(c.headers().location, '/aanmelden');
    assert.ok(await isClosed(c), 'the server closed the connection');
  });

  test('a forged session cookie is no session', T, async () => {
    const c = await uploadHead({ cookie: `biebsync=${'A'.repeat(43)}`, accept: 'text/html' });
    await within(c.closed, 5000, 'refusal');
    assert.equal(c.status(), 303);
    assert.equal(c.headers().location, '/aanmelden');
  });
});

describe('uploads with a session', () => {
  test('parallel slow uploads past the budget get 503 with Retry-After; RSS bounded; a normal upload works after', T, async () => {
    const docent = await activeUser(srv, { school: SCHOOL.slug });
    const cookie = docent.client.cookieHeader();
    const conns = [];
    for (let i = 0; i < 20; i++) conns.push(await uploadHead({ cookie, accept: 'text/html' }));
    const refusals = conns.length - UPLOADS_PER_ADDRESS;
    for (let waited = 0; conns.filter((c) => c.status() !== null).length < refusals && waited < 10000; waited += 50)
      await sleep(50);
    await sleep(500); // and no further answer
    const statuses = conns.map((c) => c.status());
    const admitted = conns.filter((c, i) => statuses[i] === null);
    const busy = conns.filter((c, i) => statuses[i] === 503);
    await Promise.all(admitted.map(trickle));
    const during = rssKb();
    await healthz();

    assert.equal(admitted.length, UPLOADS_PER_ADDRESS,
      `uploads within the per-address budget are read (statuses ${statuses.join(',')})`);
    assert.equal(busy.length, conns.length - UPLOADS_PER_ADDRESS, 'the others get 503');
    for (const c of busy) {
      assert.equal(c.headers()['retry-after'], '30', 'Retry-After');
      assert.equal(c.headers().connection, 'close');
      assert.match(textOf(c.received()), /Even geduld/, 'the Dutch busy page');
    }
    assert.ok(during < RSS_BOUND_KB, `RSS ${during} kB stays under ${RSS_BOUND_KB} kB`);

    // the slow ones give up: their budget is released
    for (const c of conns) c.sock.destroy();
    // (the server notices the aborts on its own time: at most 10 s)
    let res;
    for (let waited = 0; waited < 10000; waited += 500) {
      res = await upload(docent.client, 'lijst.csv', studentsCsv(students(8)));
      if (res.status !== 503) break;
      await sleep(500);
    }
    assert.equal(res.status, 303, `a normal upload works: ${res.status}`);
    assert.match(res.headers.location ?? '', /^\/docent\/import\/\d+/);
    await healthz();
  });
});

describe('the total body budget', () => {
  // 1 MB uploads (1 MB + 64k per request) and a total budget of 2.5 MB:
  // two bodies fit at once, whatever the address; the budget held by a
  // request comes back when it ends, completed or aborted.
  const SMALL = 1000 * 1000;
  let small;

  before(async () => {
    small = await startServer({
      config: { server: { body_budget: '2500k' }, imports: { max_upload: '1m' } },
      schools: [SCHOOL],
    });
  });

  after(async () => {
    if (small) await small.stop();
  });

  /** Open n upload heads one after the other; wait (at most 10 s) until
   * `answers` of them are answered, then a moment for any further one. */
  async function slowHeads(cookie, n, answers) {
    const conns = [];
    for (let i = 0; i < n; i++) conns.push(await uploadHead({ cookie, server: small, declared: SMALL }));
    for (let waited = 0; conns.filter((c) => c.status() !== null).length < answers && waited < 10000; waited += 50)
      await sleep(50);
    await sleep(500);
    return conns;
  }

  test('past body_budget an upload gets 503; ended requests give their share back', T, async () => {
    const docent = await activeUser(small, { school: SCHOOL.slug });
    const cookie = docent.client.cookieHeader();

    // three complete 1 MB bodies one after the other: each is released
    // when it ends, so none of them meets a spent budget
    for (let i = 0; i < 3; i++) {
      const c = await uploadHead({ cookie, server: small, declared: SMALL });
      const start = '--grens\r\nContent-Disposition: form-data; name="bestand"; filename="a.csv"\r\n\r\n';
      await c.write(start + 'x'.repeat(SMALL - start.length)); // exactly the declared length
      await answered(c, `complete upload ${i}`);
      assert.notEqual(c.status(), 503, `complete upload ${i} is not refused for the budget`);
      c.sock.destroy();
    }

    let conns = await slowHeads(cookie, 3, 1);
    assert.deepEqual(conns.map((c) => c.status()).sort(), [503, null, null], 'two bodies fit, the third is 503');
    assert.equal(conns.find((c) => c.status() === 503).headers()['retry-after'], '30');
    for (const c of conns) c.sock.destroy();

    // aborted requests give their share back (the server notices an
    // abort on its own time: try again for at most 10 s)
    let statuses;
    for (let waited = 0; waited < 10000; waited += 1000) {
      conns = await slowHeads(cookie, 2, 0);
      statuses = conns.map((c) => c.status());
      for (const c of conns) c.sock.destroy();
      if (statuses.every((x) => x === null)) break;
      await sleep(500);
    }
    assert.deepEqual(statuses, [null, null], 'after the aborts two bodies fit again');
  });
});
