// What the HTTP fuzz targets found (issue 12, point 9: fuzz/fuzz_form.c,
// fuzz/fuzz_multipart.c, fuzz/fuzz_request.c), each as an attacker sees it
// over real HTTP against a real server.  A urlencoded form body with a NUL
// byte was parsed up to the NUL and the rest dropped without a word (the
// login below then succeeded); now such a body is refused whole with 400,
// as a multipart text part holding a NUL already was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { activeUser, assertRedirect, startServer } from './lib/server.mjs';

const T = { timeout: 60000 };
const SCHOOL = { name: 'OBS De Regenboog', brin: '12AB', slug: 'regenboog' };

let srv;

before(async () => {
  srv = await startServer({ schools: [SCHOOL] });
});

after(async () => {
  await srv.stop();
});

/** POST the login form of a fresh visitor with body built from its csrf. */
async function postLogin(build) {
  const c = srv.client();
  const { csrf } = await c.getForm('/aanmelden');
  const res = await c.request('/aanmelden', {
    body: build(csrf),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return { c, res };
}

describe('a urlencoded form body with a NUL byte', () => {
  test('is refused with 400 and nothing in it is acted on', T, async () => {
    const u = await activeUser(srv, { school: 'regenboog' });
    const fields = (csrf) => `gebruikersnaam=${u.username}&wachtwoord=${encodeURIComponent(u.password)}`
      + `&csrf=${csrf}`;

    // The same body without the NUL logs in: the refusal is the NUL's.
    const plain = await postLogin((csrf) => Buffer.from(fields(csrf)));
    assertRedirect(plain.res, '/', 'the login without a NUL byte');

    for (const [what, build] of [
      ['a NUL after the last field', (csrf) => Buffer.concat([Buffer.from(fields(csrf)), Buffer.from([0]),
        Buffer.from('&gebruikersnaam=iemand')])],
      ['a NUL inside a value', (csrf) => Buffer.from(fields(csrf).replace('gebruikersnaam=', 'gebruikersnaam=\0'))],
    ]) {
      const { c, res } = await postLogin(build);
      assert.equal(res.status, 400, `${what}: status (body: ${res.body.slice(0, 200)})`);
      assert.equal(c.cookie('biebsync'), undefined, `${what}: no session`);
    }
  });
});
