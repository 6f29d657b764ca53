// TLS hardening (issue 12, point 10), spoken with node:tls (OpenSSL) to a
// real biebsync serving TLS with an ECDSA and with an RSA certificate:
// TLS 1.0 and 1.1 are refused; in TLS 1.2 only ECDHE suites with an AEAD
// cipher are accepted (no CBC with SHA-1, no static RSA or DHE key
// exchange); TLS 1.3 works; the server chooses the suite by its own order,
// not the client's; a client-initiated renegotiation is refused with the
// no_renegotiation alert and the server keeps serving.  scripts/testssl.sh
// is the full scan (minutes); this file is the quick test.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

import { makeCertificate, startServer, within } from './lib/server.mjs';

const T = { timeout: 30000 };

let dir;
let ecdsa; // server with a P-256 certificate (as makeCertificate makes)
let rsa; // server with an RSA certificate, where static RSA and DHE could be offered

/** A self-signed RSA certificate for 127.0.0.1 in dir. */
function makeRsaCertificate(where) {
  const cert = join(where, 'rsa-cert.pem');
  const key = join(where, 'rsa-key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
    '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `openssl failed: ${r.stderr}`);
  return { cert, key };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'biebsync-e2e-tls-'));
  const ec = makeCertificate(dir);
  assert.ok(ec, 'openssl is needed for this test (apt-get install openssl)');
  ecdsa = await startServer({ tls: ec });
  rsa = await startServer({ tls: makeRsaCertificate(dir) });
});

after(async () => {
  await ecdsa?.stop();
  await rsa?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Open a TLS connection with the given node:tls options; resolves to
 * { ok: true, protocol, cipher, socket } after the handshake or
 * { ok: false, error } when the server refused it.
 */
function handshake(srv, opts) {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: srv.port,
      rejectUnauthorized: false, // self-signed
      ...opts,
    });
    socket.once('secureConnect', () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().standardName, socket });
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve({ ok: false, error });
    });
  });
}

/** Handshake, note the result, close; returns what handshake() returned without the socket. */
async function tryHandshake(srv, opts) {
  const r = await handshake(srv, opts);
  if (r.ok) r.socket.destroy();
  return r;
}

/** One GET / over an open TLS socket; resolves to the status line. */
function getOver(socket) {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      data += d;
      const line = /^HTTP\/1\.1 \d{3}/.exec(data);
      if (line) resolve(line[0]);
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(data.split('\r\n')[0]));
    socket.write('GET /aanmelden HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  });
}

// Old protocol versions need OpenSSL's security level 0 on the client side.
const OLD = 'DEFAULT@SECLEVEL=0';

describe('protocol versions', () => {
  for (const [name, version] of [['TLS 1.0', 'TLSv1'], ['TLS 1.1', 'TLSv1.1']]) {
    test(`${name} is refused`, T, async () => {
      for (const srv of [ecdsa, rsa]) {
        const r = await tryHandshake(srv, { minVersion: version, maxVersion: version, ciphers: OLD });
        assert.equal(r.ok, false, `${name} accepted with ${r.cipher}`);
      }
    });
  }

  test('TLS 1.3 is accepted', T, async () => {
    for (const srv of [ecdsa, rsa]) {
      const r = await tryHandshake(srv, { minVersion: 'TLSv1.3' });
      assert.equal(r.ok, true, `TLS 1.3 refused: ${r.error}`);
      assert.equal(r.protocol, 'TLSv1.3');
    }
  });
});

describe('TLS 1.2 suites', () => {
  const only12 = (ciphers) => ({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers });

  const refused = [
    // [server, OpenSSL suite name, why it must go]
    ['ecdsa', 'ECDHE-ECDSA-AES128-SHA', 'CBC with SHA-1'],
    ['ecdsa', 'ECDHE-ECDSA-AES256-SHA', 'CBC with SHA-1'],
    ['ecdsa', 'ECDHE-ECDSA-AES128-SHA256', 'CBC'],
    ['rsa', 'ECDHE-RSA-AES128-SHA', 'CBC with SHA-1'],
    ['rsa', 'ECDHE-RSA-AES256-SHA384', 'CBC'],
    ['rsa', 'AES128-GCM-SHA256', 'static RSA key exchange: no forward secrecy'],
    ['rsa', 'AES256-GCM-SHA384', 'static RSA key exchange: no forward secrecy'],
    ['rsa', 'AES128-SHA', 'static RSA, CBC with SHA-1'],
    ['rsa', 'DHE-RSA-AES128-GCM-SHA256', 'finite-field DHE (not ECDHE)'],
    ['rsa', 'DHE-RSA-AES128-SHA', 'finite-field DHE, CBC with SHA-1'],
  ];
  for (const [which, suite, why] of refused) {
    test(`${suite} is refused (${why})`, T, async () => {
      const srv = which === 'rsa' ? rsa : ecdsa;
      const r = await tryHandshake(srv, only12(`${suite}@SECLEVEL=0`));
      assert.equal(r.ok, false, `${suite} accepted`);
    });
  }

  const accepted = [
    ['ecdsa', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    ['ecdsa', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
    ['ecdsa', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
    ['rsa', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    ['rsa', 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
    ['rsa', 'ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ];
  for (const [which, suite, standard] of accepted) {
    test(`${suite} is accepted`, T, async () => {
      const srv = which === 'rsa' ? rsa : ecdsa;
      const r = await tryHandshake(srv, only12(suite));
      assert.equal(r.ok, true, `${suite} refused: ${r.error}`);
      assert.equal(r.cipher, standard);
    });
  }

  test('a page is served over TLS 1.2 ECDHE-AEAD', T, async () => {
    const r = await handshake(rsa, only12('ECDHE-RSA-AES128-GCM-SHA256'));
    assert.equal(r.ok, true, `refused: ${r.error}`);
    assert.equal(await within(getOver(r.socket), 10000, 'GET over TLS 1.2'), 'HTTP/1.1 200');
    r.socket.destroy();
  });
});

describe('server order', () => {
  test('TLS 1.2: the server picks AES-256-GCM when the client prefers AES-128-GCM', T, async () => {
    for (const [srv, kind] of [[ecdsa, 'ECDSA'], [rsa, 'RSA']]) {
      const r = await tryHandshake(srv, {
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        ciphers: `ECDHE-${kind}-AES128-GCM-SHA256:ECDHE-${kind}-AES256-GCM-SHA384`,
      });
      assert.equal(r.ok, true, `refused: ${r.error}`);
      assert.equal(r.cipher, `TLS_ECDHE_${kind}_WITH_AES_256_GCM_SHA384`, 'the server chose, not the client');
    }
  });

  test('TLS 1.3: the server picks AES-256-GCM when the client prefers AES-128-GCM', T, async () => {
    const r = await tryHandshake(ecdsa, {
      minVersion: 'TLSv1.3',
      ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
    });
    assert.equal(r.ok, true, `refused: ${r.error}`);
    assert.equal(r.cipher, 'TLS_AES_256_GCM_SHA384', 'the server chose, not the client');
  });
});

describe('renegotiation', () => {
  test('a client-initiated TLS 1.2 renegotiation is refused and the server keeps serving', T, async () => {
    for (const srv of [ecdsa, rsa]) {
      const r = await handshake(srv, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
      assert.equal(r.ok, true, `refused: ${r.error}`);
      // Resolves with the error when the server refuses (an alert: the
      // socket's error event; a close without one), with null when a new
      // handshake completed (renegotiate's callback, called on success only).
      const outcome = new Promise((res) => {
        r.socket.on('error', (err) => res(err));
        r.socket.once('close', () => res(new Error('connection closed')));
        const ok = r.socket.renegotiate({ rejectUnauthorized: false }, (err) => res(err ?? null));
        if (!ok) res(new Error('renegotiate() refused locally'));
      });
      const err = await within(outcome, 10000, 'the answer to a renegotiation');
      assert.ok(err, 'the renegotiation completed');
      // a refusal the client can tell from a dropped connection (what
      // testssl looks for): the no_renegotiation alert
      assert.match(`${err.code} ${err.message}`, /no.renegotiation/i, `refused with the alert, not: ${err.message}`);
      r.socket.destroy();
      // the server is unharmed and still serves a fresh connection
      const again = await handshake(srv, {});
      assert.equal(again.ok, true, `refused after renegotiation: ${again.error}`);
      assert.equal(await within(getOver(again.socket), 10000, 'GET after renegotiation'), 'HTTP/1.1 200');
      again.socket.destroy();
      srv.assertHealthy();
    }
  });
});
