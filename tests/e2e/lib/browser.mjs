// Debian's Chromium driven by playwright-core: a fresh profile and HOME per browser (so a
// fresh NSS certificate database), screenshots of every page written as artifacts (each
// portal page checked with axe-core on the way: accessibility.mjs), and the client
// certificate setup of the GPKI sign-in.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { assertAccessible, isPortalPage } from './accessibility.mjs';

const kExecutable = process.env.GOVMAIL_CHROMIUM || '/usr/bin/chromium';
// Without the background-networking flags Chromium's own connections are refused and
// it stalls; no sandbox as the tests may run as root; loopback only, never a proxy.
const kArgs = [
    '--no-proxy-server',
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
// Chromium reads managed policies only from here (as root).
const kPolicyDir = '/etc/chromium/policies/managed';

export const artifactsDir = process.env.GOVMAIL_E2E_ARTIFACTS || fs.mkdtempSync(path.join(os.tmpdir(), 'govmail-e2e-artifacts-'));

export class Browser {
    // A browser whose HOME (and so $HOME/.pki/nssdb) and profile are new temporary folders;
    // prepare(home) may fill HOME before Chromium starts.
    static async launch(prepare = () => {}) {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), 'govmail-e2e-home-'));
        prepare(home);
        const context = await chromium.launchPersistentContext(path.join(home, 'profile'), {
            executablePath: kExecutable,
            headless: true,
            args: kArgs,
            env: { ...process.env, HOME: home },
            ignoreHTTPSErrors: true, // the suite's server certificate is a throw-away one
            viewport: { width: 1000, height: 800 },
        });
        return new Browser(home, context);
    }

    constructor(home, context) {
        this.home = home;
        this.context = context;
    }

    async newPage() {
        return this.context.newPage();
    }

    async close() {
        await this.context.close();
        fs.rmSync(this.home, { recursive: true, force: true });
    }
}

// Numbered full-page screenshots of one flow: <flow>-01-<what>.png ...
export class Camera {
    constructor(flow) {
        this.flow = flow;
        this.count = 0;
        fs.mkdirSync(artifactsDir, { recursive: true });
    }

    // Screenshots PAGE, and checks its accessibility when it is a portal page (not after a
    // failure, whose page is kept as it was).
    async snap(page, what) {
        this.count += 1;
        const name = `${this.flow}-${String(this.count).padStart(2, '0')}-${what}.png`;
        await page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
        if (what !== 'failed' && (await isPortalPage(page))) {
            await assertAccessible(page, `${this.flow} ${what}`);
        }
    }
}

// An NSS database in HOME holding CERT with its KEY (and the CA certificates of BUNDLE, so
// Chromium sends the whole chain), where Chromium looks for client certificates.
export function installClientCertificate(home, { cert, key, bundle }) {
    const db = `sql:${path.join(home, '.pki', 'nssdb')}`;
    fs.mkdirSync(path.join(home, '.pki', 'nssdb'), { recursive: true });
    const p12 = path.join(home, 'client.p12');
    execFileSync('openssl', [
        'pkcs12', '-export', '-in', cert, '-inkey', key, '-certfile', bundle,
        '-out', p12, '-passout', 'pass:',
    ]);
    execFileSync('certutil', ['-N', '-d', db, '--empty-password']);
    execFileSync('pk12util', ['-i', p12, '-d', db, '-W', '']);
    fs.rmSync(p12);
}

// Whether this process may write Chromium's managed policies (it runs as root).
export function canSetPolicies() {
    try {
        fs.mkdirSync(kPolicyDir, { recursive: true });
        fs.accessSync(kPolicyDir, fs.constants.W_OK);
        return true;
    } catch {
        return false;
    }
}

// The AutoSelectCertificateForUrls policy for ORIGIN: Chromium presents the matching client
// certificate without asking. Returns the function that removes it again.
export function autoSelectCertificateFor(origin) {
    const file = path.join(kPolicyDir, `govmail-e2e-${process.pid}.json`);
    const rule = JSON.stringify({ pattern: origin, filter: {} });
    fs.writeFileSync(file, JSON.stringify({ AutoSelectCertificateForUrls: [rule] }));
    return () => fs.rmSync(file, { force: true });
}
