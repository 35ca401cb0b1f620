// Digital OnePass in Debian's Chromium, the whole way of a new official (issue "Done when"):
// OnePass sign-in through the stand-in identity provider (tests/support/saml_idp.py, real
// signed SAML responses) -> signup request -> approved with `mailadm signup approve` -> an app
// password -> imaplib reads mail with it -> away message -> the reply arrives over SMTP ->
// backup requested, built, downloaded and checked with `unzip -t` -> link deleted -> the
// download refused.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { Camera, artifactsDir } from './lib/browser.mjs';
import { inBrowser, suiteOfThisFile } from './lib/flows.mjs';

const portal = suiteOfThisFile();

test('OnePass sign-in, signup approved by mailadm, app password, away reply, backup', async () => {
    const camera = new Camera('onepass');
    const person = await portal.call('onepass_person', { mobile: '010-2718-2818' });
    await inBrowser(camera, async (page) => {
        // No account yet: the signup page with the directory checks.
        await portal.onePass(page, camera);
        assert.equal(page.url(), portal.url('/signup'));
        assert.equal(await page.textContent('#employee-no'), person.employee_no);
        assert.equal(await page.locator('#checks tr.passed').count(), 4);
        await camera.snap(page, 'signup');
        await page.click('#signup-submit');
        const requestId = await page.textContent('#request-id');
        await camera.snap(page, 'signup-filed');
        const approved = await portal.call('mailadm', { args: ['signup', 'approve', requestId] });
        assert.equal(approved.returncode, 0, approved.stderr);

        await portal.onePass(page, camera);
        assert.equal(page.url(), portal.url('/'));
        assert.equal(await page.textContent('#account'), person.address);
        await camera.snap(page, 'home');
        const secret = await portal.createAppPassword(page, camera, 'Phone');
        await portal.assertImapReadsMail(person.address, secret);
        await portal.assertAwayMessageAnswers(page, camera, person.address);
        await assertBackupDownloadsUntilDeleted(page, camera);
    });
});

// Requests a backup of INBOX and watches the page (it reloads itself) while the export worker
// builds it; downloads the archive and tests it with `unzip -t`; deletes the link: the
// download is refused from then on.
async function assertBackupDownloadsUntilDeleted(page, camera) {
    await page.click('#nav-backup');
    await page.waitForURL(portal.url('/backup'));
    await camera.snap(page, 'backup');
    await page.check('input[name=mailbox][value=INBOX]');
    await page.click('#backup-submit');
    await page.waitForURL(portal.url('/backup'));
    const row = page.locator('#backups tr[id^=backup-]');
    assert.equal(await row.count(), 1);
    const id = (await row.getAttribute('id')).replace('backup-', '');
    assert.equal(await page.locator(`#download-${id}`).count(), 0, 'no link before it is built');
    assert.ok(await page.isVisible('#notice'), 'the page says the backup is in progress');
    await camera.snap(page, 'backup-requested');

    const built = await portal.call('mailadm', { args: ['--json', 'export', 'run'] });
    assert.equal(built.returncode, 0, built.stderr);
    await page.waitForSelector(`#download-${id}`, { timeout: 20000 });
    assert.equal(await page.locator('#notice').count(), 0);
    await camera.snap(page, 'backup-ready');
    const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`#download-${id}`),
    ]);
    const archive = path.join(artifactsDir, `onepass-backup-${id}.zip`);
    await download.saveAs(archive);
    const tested = spawnSync('unzip', ['-t', archive], { encoding: 'utf8' });
    assert.equal(tested.status, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /INBOX\/.*\.eml/);

    await page.click(`#delete-${id}`);
    await page.waitForSelector('#no-backups');
    await camera.snap(page, 'backup-deleted');
    const refused = await page.goto(portal.url(`/backup/download?id=${id}`));
    assert.equal(refused.status(), 404);
    await camera.snap(page, 'backup-download-refused');
}
