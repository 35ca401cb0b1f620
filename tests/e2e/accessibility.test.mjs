// The portal as a Korean government service in Debian's Chromium: the KRDS style sheet and
// the Pretendard GOV font come from the portal itself, and every page, public and signed
// in, in Korean and in English, passes axe-core with no serious or critical violation
// (Camera.snap checks each page it shows: lib/accessibility.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Camera } from './lib/browser.mjs';
import { inBrowser, suiteOfThisFile } from './lib/flows.mjs';

const portal = suiteOfThisFile();
const kLanguages = ['ko', 'en'];
const kSignedInPages = ['/', '/app-passwords', '/away', '/backup', '/address-book', '/password', '/mobile'];

test('KRDS and Pretendard GOV are served by the portal and used', async () => {
    const camera = new Camera('krds');
    await inBrowser(camera, async (page) => {
        const loaded = [];
        page.on('response', (r) => loaded.push([new URL(r.url()).pathname, r.status()]));
        await page.goto(portal.url('/signin'));
        await page.evaluate(() => document.fonts.ready);
        assert.ok(loaded.some(([p, s]) => p === '/assets/krds.min.css' && s === 200), JSON.stringify(loaded));
        assert.ok(loaded.some(([p, s]) => p.startsWith('/assets/woff2-subset/') && s === 200), JSON.stringify(loaded));
        assert.ok(loaded.every(([p]) => !p.startsWith('http')), 'nothing from elsewhere');
        assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /Pretendard GOV/);
        assert.ok(await page.evaluate(() => document.fonts.check('16px "Pretendard GOV"')));
        await camera.snap(page, 'signin');
    });
});

test('every page passes axe-core in Korean and in English', async () => {
    const camera = new Camera('a11y');
    const user = await portal.call('person', { mobile: '010-1357-2468' });
    await inBrowser(camera, async (page) => {
        for (const lang of kLanguages) {
            await page.goto(portal.url(`/signin?lang=${lang}`));
            await camera.snap(page, `signin-${lang}`);
            await page.fill('#user', user);
            await page.fill('#password', 'wrong password');
            await page.click('#signin-submit');
            await page.waitForSelector('#error');
            await camera.snap(page, `signin-refused-${lang}`);
        }
        for (const lang of kLanguages) {
            await page.goto(portal.url(`/signin?lang=${lang}`));
            await portal.submitSignIn(page, camera, user);  // the code page is snapped too
            await page.waitForURL(portal.url('/'));
            for (const path of kSignedInPages) {
                await page.goto(portal.url(`${path}?lang=${lang}`));
                await camera.snap(page, `${path.replace(/\W/g, '') || 'home'}-${lang}`);
            }
            await page.click('#signout');
            await page.waitForURL(portal.url('/signin'));
        }
        await page.goto(portal.url('/no-such-page?lang=ko'));
        await camera.snap(page, 'not-found-ko');
    });
});
