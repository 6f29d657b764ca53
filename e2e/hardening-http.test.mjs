// HTTP parsing hardening (issue 12, points 5, 7 and 8), spoken over raw
// sockets so that every byte is exactly the one an attacker would send:
// request smuggling forms (two Content-Length headers, Content-Length with
// Transfer-Encoding, bare LF line ends, obs-fold continuation lines) get 400
// and the connection closed with no second response; an oversized chunked
// body gets 413; a request head sent slowly is cut off at the head deadline
// while other connections are served.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { activeUser, rawConnection, sleep, startServer, textOf, within } from './lib/server.mjs';

const T = { timeout: 30000 };
const FORM_LIMIT = 16 * 1024;
const HEAD_DEADLINE = 2; // seconds, configured below
const IDLE_TIMEOUT = 5; // seconds, configured below
const MAX_UPLOAD = 100 * 1024;
const SCHOOL = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };

let srv;

before(async () => {
  srv = await startServer({
    config: {
      server: { head_timeout: `${HEAD_DEADLINE}s`, idle_timeout: `${IDLE_TIMEOUT}s`, form_limit: '16k' },
      imports: { max_upload: '100k' },
    },
    schools: [SCHOOL],
  });
});

after(async () => {
  await srv.stop();
});

/** The status lines in everything received, e.g. ['HTTP/1.1 400 Bad Request']. */
const statusLines = (text) => text.match(/^HTTP\/1\.[01] \d{3}[^\r\n]*/gm) ?? [];

/**
 * Send raw bytes on a fresh connection, wait for the server to close it,
 * and return what came back.
 */
async function exchange(bytes, what) {
  const conn = await rawConnection(srv.port);
  await conn.write(bytes);
  const text = await within(conn.closed, 10000, what);
  return { text, status: conn.status(), lines: statusLines(text) };
}

// A smuggled second request: if the server ever answered it, a second status
// line (a 404 for this path) would appear on the connection.
const SMUGGLED = 'GET /gesmokkeld HTTP/1.1\r\nHost: x\r\n\r\n';

describe('request smuggling forms are refused with 400 and the connection closed', () => {
  const host = () => `Host: 127.0.0.1:${srv.port}`;
  const cases = {
    'two different Content-Length headers': () =>
      `POST /aanmelden HTTP/1.1\r\n${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      + `Content-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
    'two equal Content-Length headers': () =>
      `POST /aanmelden HTTP/1.1\r\n${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      + `Content-Length: 3\r\nContent-Length: 3\r\n\r\na=b${SMUGGLED}`,
    'Content-Length together with Transfer-Encoding: chunked': () =>
      `POST /aanmelden HTTP/1.1\r\n${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      + `Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    'Transfer-Encoding before Content-Length': () =>
      `POST /aanmelden HTTP/1.1\r\n${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      + `Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${SMUGGLED}`,
    'a GET with Content-Length and Transfer-Encoding': () =>
      `GET /healthz HTTP/1.1\r\n${host()}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`
      + `0\r\n\r\n${SMUGGLED}`,
  };
  for (const [name, bytes] of Object.entries(cases)) {
    test(name, T, async () => {
      const r = await exchange(bytes(), name);
      assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
      assert.deepEqual(r.lines.length, 1, `exactly one response, got ${JSON.stringify(r.lines)}`);
      assert.doesNotMatch(r.text, /404/, 'the smuggled request was not answered');
    });
  }
});

describe('malformed line ends and header continuation are refused with 400', () => {
  test('bare LF line ends in the request head', T, async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\nHost: 127.0.0.1:${srv.port}\n\n`, 'bare LF');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
    assert.equal(r.lines.length, 1);
  });

  test('one bare LF among CRLF header lines', T, async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\nAccept: */*\r\n\r\n`,
      'one bare LF');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
  });

  test('an obs-fold continuation line', T, async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'X-Lang: nl\r\n en\r\n\r\n', 'obs-fold');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
    assert.equal(r.lines.length, 1);
  });

  test('an obs-fold continuation with a tab hiding a Content-Length', T, async () => {
    const r = await exchange(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + `X-Pad: a\r\n\tContent-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`,
      'obs-fold tab');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
    assert.equal(r.lines.length, 1);
  });

  test('a bare CR inside a header line', T, async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-A: a\rb\r\n\r\n`,
      'bare CR');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
  });

  test('empty lines before the request line are still allowed, but do not end the checks', T, async () => {
    const r = await exchange(`\r\nGET /healthz HTTP/1.1\nHost: 127.0.0.1:${srv.port}\r\n\r\n`,
      'leading empty line, then a bare LF');
    assert.equal(r.status, 400, `answer: ${r.text.slice(0, 300)}`);
  });

  test('HTTP/1.1 without Host, and a space in the request target', T, async () => {
    const noHost = await exchange('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', 'no Host');
    assert.equal(noHost.status, 400, `answer: ${noHost.text.slice(0, 300)}`);
    const space = await exchange(`GET /heal thz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`,
      'space in target');
    // libmicrohttpd closes such a connection without an answer
    assert.ok(space.status === 400 || space.status === null, `answer: ${space.text.slice(0, 300)}`);
  });

  test('a well-formed request on the same kind of connection is still served', T, async () => {
    const conn = await rawConnection(srv.port);
    await conn.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`);
    await within(conn.closed, 10000, 'healthz');
    assert.equal(conn.status(), 200);
  });
});

describe('an oversized chunked body', () => {
  /** Send body chunks of chunk on conn until about total bytes, then end the body. */
  async function sendChunked(conn, chunk, total) {
    for (let sent = 0; sent < total && !conn.sock.destroyed; sent += chunk.length)
      if (!(await conn.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))) return;
    await conn.write('0\r\n\r\n');
  }

  test('a chunked form body past form_limit gets 413', T, async () => {
    const conn = await rawConnection(srv.port);
    await conn.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n');
    await sendChunked(conn, 'a'.repeat(4096), FORM_LIMIT * 1.5);
    const text = await within(conn.closed, 10000, 'answer to the oversized chunked body');
    assert.equal(conn.status(), 413, `answer: ${text.slice(0, 300)}`);
    assert.equal(conn.headers().connection, 'close');
    assert.equal(statusLines(text).length, 1);
  });

  test('a chunked body that goes on and on is cut off, not read for ever', T, async () => {
    const conn = await rawConnection(srv.port);
    await conn.write(`POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + 'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = 'a'.repeat(4096);
    let sent = 0;
    while (sent < FORM_LIMIT * 20 && !conn.sock.destroyed) {
      if (!(await conn.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))) break;
      sent += chunk.length;
      await sleep(2);
    }
    await within(conn.closed, 10000, 'the endless chunked body to be cut off');
    assert.ok(sent < FORM_LIMIT * 20, `the server read all ${sent} bytes`);
  });

  test('a chunked upload past max_upload gets 413 with the Dutch page', T, async () => {
    const docent = await activeUser(srv, { school: SCHOOL.slug });
    const { csrf } = await docent.client.getForm('/docent/upload');
    const conn = await rawConnection(srv.port);
    const boundary = 'grens';
    await conn.write(`POST /docent/upload HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\n`
      + `Cookie: ${docent.client.cookieHeader()}\r\nOrigin: ${srv.url}\r\n`
      + `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const first = `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="groot.csv"\r\n\r\n`;
    await conn.write(`${Buffer.byteLength(first).toString(16)}\r\n${first}\r\n`);
    await sendChunked(conn, 'a;b;c\n'.repeat(2000), MAX_UPLOAD * 2.5); // the limit is max_upload + 64k of framing
    const text = await within(conn.closed, 10000, 'answer to the oversized chunked upload');
    assert.equal(conn.status(), 413, `answer: ${text.slice(0, 300)}`);
    assert.match(conn.headers()['content-type'] ?? '', /text\/html/);
    assert.match(textOf(text), /Grootste bestand: 100 kB/);
  });
});

describe('the request head has a deadline', () => {
  test('one header byte per second is cut off at head_timeout; /healthz answers meanwhile', { timeout: 40000 }, async () => {
    const conn = await rawConnection(srv.port);
    const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-Slow: ${'a'.repeat(40)}\r\n\r\n`;
    const start = Date.now();
    let closedAt = null;
    conn.closed.then(() => { closedAt = Date.now(); });
    let probed = false;
    for (const ch of head) {
      if (closedAt !== null || !(await conn.write(ch))) break;
      await sleep(1000);
      if (!probed && Date.now() - start > 1000) {
        const t0 = Date.now();
        const res = await srv.client().get('/healthz');
        assert.equal(res.status, 200, '/healthz from another connection');
        assert.ok(Date.now() - t0 < 1000, 'the probe is not held up');
        probed = true;
      }
    }
    await within(conn.closed, 5000, 'the slow head to be cut off');
    const took = (closedAt - start) / 1000;
    // Without a head deadline every byte resets the idle timer and the
    // connection would live for the whole head (~80 s here).
    assert.ok(took >= HEAD_DEADLINE - 0.5 && took < HEAD_DEADLINE + IDLE_TIMEOUT - 1,
      `closed after ${took} s, deadline ${HEAD_DEADLINE} s`);
    assert.ok(probed);
    assert.doesNotMatch(conn.received(), /^HTTP\/1\.1 200/, 'the slow request was not served');
  });
});
