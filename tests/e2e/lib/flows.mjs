// Steps the portal's browser flows share: the suite of a test file, a browser per flow, the
// sign-ins, and the mail-side checks (imaplib, the away reply over SMTP).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';

import { Browser } from './browser.mjs';
import { Suite } from './suite.mjs';

// The suite of one test file: started before its tests, stopped after them.
export function suiteOfThisFile() {
    const portal = new Portal();
    before(async () => {
        portal.suite = await Suite.start();
    });
    after(async () => {
        await portal.suite?.stop();
    });
    return portal;
}

// Runs FLOW(page) in a browser of its own (PREPARE fills its HOME first); a failing flow
// leaves a screenshot of the page it failed on.
export async function inBrowser(camera, flow, prepare) {
    const browser = await Browser.launch(prepare);
    try {
        const page = await browser.newPage();
        try {
            await flow(page);
        } catch (failure) {
            await camera.snap(page, 'failed').catch(() => {});
            throw failure;
        }
    } finally {
        await browser.close();
    }
}

export function outsideSender() {
    return `sender-${randomUUID().slice(0, 8)}@remote.test`;
}

class Portal {
    call(op, args) {
        return this.suite.call(op, args);
    }

    url(where) {
        return this.suite.portal + where;
    }

    // Signs USER in on PAGE with PASSWORD and the SMS code the stand-in gateway received;
    // returns that SMS.
    async signIn(page, camera, user, password = this.suite.password) {
        await page.goto(this.url('/signin'));
        const sms = await this.submitSignIn(page, camera, user, password);
        await page.waitForURL(this.url('/'));
        assert.equal(await page.textContent('#account'), user);
        await camera.snap(page, 'home');
        return sms;
    }

    // Fills in the sign-in page PAGE shows with USER and PASSWORD, then the SMS code the
    // stand-in gateway received; returns that SMS once the code is submitted.
    async submitSignIn(page, camera, user, password = this.suite.password) {
        await camera.snap(page, 'signin');
        const sent = await this.call('sms_count');
        await page.fill('#user', user);
        await page.fill('#password', password);
        await page.click('#signin-submit');
        await page.waitForSelector('#code-form');
        await camera.snap(page, 'sms-code');
        const sms = await this.call('sms', { after: sent });
        await page.fill('#code', sms.code);
        await page.click('#code-submit');
        return sms;
    }

    // Signs in through Digital OnePass: the portal redirects to the stand-in provider, whose
    // page posts the signed response to the assertion consumer by itself. Resolves on the
    // portal page that follows.
    async onePass(page, camera) {
        await page.goto(this.url('/signin'));
        await camera.snap(page, 'signin');
        await page.click('#onepass');
        await page.waitForURL(
            (u) => u.origin === this.suite.portal && !u.pathname.startsWith('/saml')
        );
    }

    // Creates an app password on the app passwords page; returns the secret shown once.
    async createAppPassword(page, camera, device) {
        await page.click('#nav-app-passwords');
        await page.waitForURL(this.url('/app-passwords'));
        await camera.snap(page, 'app-passwords');
        await page.fill('#device', device);
        await page.click('#create-submit');
        const secret = await page.textContent('#new-secret');
        assert.match(secret, /^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
        await camera.snap(page, 'app-password-created');
        return secret;
    }

    // Mail sent over SMTP (the MX) to USER, then read with imaplib logging in with SECRET
    // (a password, or an access token with MECHANISM 'XOAUTH2').
    async assertImapReadsMail(user, secret, mechanism = 'LOGIN') {
        const subject = `Budget review ${randomUUID().slice(0, 8)}`;
        await this.call('send_mx', { sender: outsideSender(), recipient: user, subject });
        assert.deepEqual(await this.call('imap_subjects', { user, secret, mechanism }), [subject]);
    }

    // Sets an away message on the away page, then sends USER mail over SMTP: the reply
    // reaches the sender through the outbound queue (the SMTP sink).
    async assertAwayMessageAnswers(page, camera, user) {
        await page.click('#nav-away');
        await page.waitForURL(this.url('/away'));
        await camera.snap(page, 'away');
        await page.fill('#subject', 'Out of office');
        await page.fill('#body', 'Back on Monday.');
        await page.selectOption('#scope', 'all');
        await page.click('#away-submit');
        await page.waitForSelector('#away-off');
        await camera.snap(page, 'away-on');

        const sender = outsideSender();
        await this.call('send_mx', { sender, recipient: user, subject: 'Meeting on Friday' });
        const reply = await this.call('relayed_to', { recipient: sender });
        assert.match(reply.mail_from, /^MAIL FROM:<>/i);
        assert.match(reply.data, /^Subject: Out of office\r?$/m);
        assert.match(reply.data, /^Auto-Submitted: auto-replied\r?$/m);
        assert.match(reply.data, /Back on Monday\./);
    }
}
