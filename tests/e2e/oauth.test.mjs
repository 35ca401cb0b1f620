// OAuth 2.0 in Debian's Chromium, as a mail program with a custom provider uses it: a
// signed-out browser opens the authorisation URL -> signs in with password + SMS code -> lands
// on the consent page of that request -> Allow -> the browser is redirected (past the content
// security policy's form-action) to the client's loopback redirect URI with the code and the
// state -> the code and the PKCE verifier get a token at /oauth/token -> imaplib reads mail
// with XOAUTH2 and the token.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';

import { Camera } from './lib/browser.mjs';
import { inBrowser, suiteOfThisFile } from './lib/flows.mjs';

const portal = suiteOfThisFile();

// The client's redirect URI: a listener on its loopback port that answers every request and
// remembers the URLs it was asked for.
async function listenAsClient(callback) {
    const received = [];
    const server = http.createServer((request, response) => {
        received.push(new URL(request.url, callback));
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        response.end('The mail program got the answer.\n');
    });
    await new Promise((resolve) => server.listen(Number(callback.port), '127.0.0.1', resolve));
    return { received, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('signed out -> authorise -> sign in -> consent -> code at the client -> token -> IMAP', async () => {
    const camera = new Camera('oauth');
    const user = await portal.call('person', { mobile: '010-1123-5813' });
    const callback = new URL(portal.suite.oauth_callback);
    const client = await listenAsClient(callback);
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(8).toString('hex');
    const authorize = portal.url('/oauth/authorize?' + new URLSearchParams({
        response_type: 'code',
        client_id: 'mailer',
        redirect_uri: callback.href,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state,
        scope: 'mail',
    }));
    try {
        await inBrowser(camera, async (page) => {
            await page.goto(authorize);
            assert.equal(new URL(page.url()).pathname, '/signin');
            await portal.submitSignIn(page, camera, user);
            await page.waitForURL(authorize);
            assert.equal(await page.textContent('#client'), 'mailer');
            await camera.snap(page, 'consent');
            await page.click('#allow');
            await page.waitForURL((u) => u.origin === callback.origin);
            await camera.snap(page, 'at-the-client');
            const answers = client.received.filter((u) => u.pathname === callback.pathname);
            assert.equal(answers.length, 1);  // besides, Chromium asks for /favicon.ico
            const answer = answers[0];
            assert.equal(answer.searchParams.get('state'), state);
            const code = answer.searchParams.get('code');
            assert.ok(code);

            const reply = await page.request.post(portal.url('/oauth/token'), {
                form: {
                    grant_type: 'authorization_code',
                    code,
                    redirect_uri: callback.href,
                    client_id: 'mailer',
                    code_verifier: verifier,
                },
            });
            assert.equal(reply.status(), 200, await reply.text());
            const token = await reply.json();
            assert.equal(token.token_type, 'Bearer');
            await portal.assertImapReadsMail(user, token.access_token, 'XOAUTH2');
        });
    } finally {
        await client.close();
    }
});
