// The portal in Debian's Chromium, signed in with ID + password + SMS code: an app password
// that Python's imaplib reads mail with, sign-out, the away message answering mail sent over
// SMTP, a new mobile number confirmed by SMS, a new password, the address book download.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { Camera, artifactsDir } from './lib/browser.mjs';
import { inBrowser, suiteOfThisFile } from './lib/flows.mjs';

const portal = suiteOfThisFile();

test('an app password made in the portal reads mail with imaplib; sign-out', async () => {
    const camera = new Camera('app-password');
    const user = await portal.call('person', { mobile: '010-3141-5926' });
    await inBrowser(camera, async (page) => {
        await portal.signIn(page, camera, user);
        const secret = await portal.createAppPassword(page, camera, 'Thunderbird at the office');
        await portal.assertImapReadsMail(user, secret);
        await page.goto(portal.url('/app-passwords'));
        assert.match(await page.textContent('td.last-used'), /^\d{4}-\d\d-\d\d /);
        assert.equal(await page.locator('#new-secret').count(), 0, 'the secret is shown once');
        await camera.snap(page, 'app-password-used');

        await page.click('#signout');
        await page.waitForURL(portal.url('/signin'));
        await camera.snap(page, 'signed-out');
        await page.goto(portal.url('/app-passwords'));
        assert.equal(page.url(), portal.url('/signin?next=%2Fapp-passwords'));
    });
});

test('an away message set in the portal answers mail sent over SMTP, until turned off', async () => {
    const camera = new Camera('away');
    const user = await portal.call('person', { mobile: '010-5772-1566' });
    await inBrowser(camera, async (page) => {
        await portal.signIn(page, camera, user);
        await portal.assertAwayMessageAnswers(page, camera, user);
        await page.click('#away-off');
        await page.waitForSelector('#away-form');
        assert.equal(await page.locator('#away-off').count(), 0);
        await camera.snap(page, 'away-off');
    });
});

test('a new mobile number confirmed by SMS, a new password, the address book CSV', async () => {
    const camera = new Camera('settings');
    const user = await portal.call('person', { mobile: '010-1414-2135' });
    const password = 'a brand new password 2';
    const newNumber = /7777-?1234$/;
    await inBrowser(camera, async (page) => {
        await portal.signIn(page, camera, user);
        await page.click('#nav-mobile');
        await page.waitForURL(portal.url('/mobile'));
        await camera.snap(page, 'mobile');
        const sent = await portal.call('sms_count');
        await page.fill('#mobile', '010-7777-1234');
        await page.click('#mobile-submit');
        await page.waitForSelector('#mobile-code-form');
        await camera.snap(page, 'mobile-code');
        const sms = await portal.call('sms', { after: sent });
        assert.match(sms.to, newNumber, 'the code goes to the new number');
        await page.fill('#code', sms.code);
        await page.click('#mobile-code-submit');
        await page.waitForSelector('#mobile-form');
        assert.match(await page.textContent('#current-mobile'), newNumber);
        await camera.snap(page, 'mobile-changed');

        await page.click('#nav-password');
        await page.waitForURL(portal.url('/password'));
        await camera.snap(page, 'password');
        await page.fill('#current', portal.suite.password);
        await page.fill('#new', password);
        await page.fill('#again', password);
        await page.click('#password-submit');
        await page.waitForSelector('#notice');
        await camera.snap(page, 'password-changed');

        await page.click('#nav-address-book');
        await page.waitForURL(portal.url('/address-book'));
        await camera.snap(page, 'address-book');
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.click('#address-book-download'),
        ]);
        assert.equal(download.suggestedFilename(), 'address-book.csv');
        const csv = path.join(artifactsDir, 'settings-address-book.csv');
        await download.saveAs(csv);
        assert.deepEqual([...fs.readFileSync(csv).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');

        await page.click('#signout');
        await page.waitForURL(portal.url('/signin'));
    });
    // A fresh browser: the new password signs in, its code sent to the new number.
    await inBrowser(camera, async (page) => {
        const sms = await portal.signIn(page, camera, user, password);
        assert.match(sms.to, newNumber);
    });
});
