// The automated accessibility check of every portal page the browser tests show: axe-core
// (as locked in package-lock.json) evaluated in the page through the DevTools protocol (the
// portal's content security policy allows no script of its own), its serious and critical
// violations turned into a failure that names each rule and element.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The serious and critical axe-core violations on PAGE, as "rule: target" lines.
export async function seriousViolations(page) {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
        const results = await window.axe.run(document, { resultTypes: ['violations'] });
        return results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            targets: v.nodes.map((n) => n.target.join(' ')),
        }));
    });
    return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

// Fails when PAGE (named WHAT) has a serious or critical violation.
export async function assertAccessible(page, what) {
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], `accessibility of ${what} (${page.url()})`);
}

// Whether PAGE shows the portal (its header's language switch), not another site's page.
export async function isPortalPage(page) {
    return (await page.locator('#lang-switch').count()) > 0;
}
