// GPKI sign-in in Debian's Chromium: the official's test certificate (tests/support's test
// PKI) in the NSS database of the browser's HOME, presented in the TLS handshake without a
// prompt under the AutoSelectCertificateForUrls policy.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
    Camera,
    autoSelectCertificateFor,
    canSetPolicies,
    installClientCertificate,
} from './lib/browser.mjs';
import { inBrowser, suiteOfThisFile } from './lib/flows.mjs';

const portal = suiteOfThisFile();

test('a bound client certificate signs its account in; no certificate signs nobody in', async (t) => {
    if (!canSetPolicies()) {
        t.skip("needs root: Chromium's AutoSelectCertificateForUrls is a managed policy");
        return;
    }
    const camera = new Camera('gpki');
    const user = await portal.call('person', { mobile: '010-1618-0339' });
    const certificate = await portal.call('bind_certificate', { address: user });
    const removePolicy = autoSelectCertificateFor(portal.suite.portal);
    try {
        const withCertificate = (home) => installClientCertificate(home, certificate);
        await inBrowser(camera, async (page) => {
            await page.goto(portal.url('/signin'));
            await camera.snap(page, 'signin');
            await page.click('#certificate-submit');
            await page.waitForURL(portal.url('/'));
            assert.equal(await page.textContent('#account'), user);
            await camera.snap(page, 'home');
        }, withCertificate);
    } finally {
        removePolicy();
    }

    await inBrowser(camera, async (page) => {
        await page.goto(portal.url('/signin'));
        await page.click('#certificate-submit');
        await page.waitForSelector('[role=alert]');
        assert.equal(page.url(), portal.url('/signin/certificate'));
        await camera.snap(page, 'no-certificate');
    });
});
