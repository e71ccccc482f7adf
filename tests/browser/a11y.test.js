// Accessibility: axe-core finds no WCAG 2.1 A/AA violation on the explorer (/explore, in
// its starting view, with the deal view or the source view open, and with a path shown)
// nor on the playground (/). The phone layout is checked in phone.test.js.
'use strict';

const fs = require('node:fs');
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, launchBrowser, openPage, waitIdle } = require('./lib/harness');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe in the page. Its source goes in through the DevTools protocol (page.evaluate),
// which the page's Content-Security-Policy does not govern, so the page runs under its
// real CSP while it is checked.
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      version: window.axe.version,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 8).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      })),
      passes: r.passes.length,
    };
  }, TAGS);
}

function report(where, result) {
  const text = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
  console.log(`axe ${result.version} on ${where}: ${result.violations.length} violations (WCAG 2.1 A/AA)`);
  return text;
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('/explore has no violations, also with a path, the filters, the deal view and the source view open', async () => {
    const p = await openPage(browser, server.origin);
    const { page } = p;
    try {
      await page.goto(`${server.origin}/explore`);
      await waitIdle(page);
      let result = await axe(page);
      assert.deepEqual(result.violations, [], report('/explore', result));

      await page.goto(`${server.origin}/explore#entity=country:jp&sel=commitment:jp-us-investment-2025&from=org:boeing&to=country:kr`);
      await page.waitForFunction(() => window.__explore && window.__explore.onPath().length > 0);
      await waitIdle(page);
      await page.locator('#filters summary').click();
      await page.locator('#node-list summary').click();
      await page.locator('#entity-sources summary').click();
      await page.locator('#search-input').fill('japan');
      await page.locator('#search-list [role="option"][data-id]').first().waitFor();
      result = await axe(page);
      assert.deepEqual(result.violations, [], report('/explore with panels open', result));

      await page.keyboard.press('Escape');
      await page.locator('#act-deal').click();
      await page.locator('#deal-dialog .ex-side').first().waitFor();
      await waitIdle(page);
      result = await axe(page);
      assert.deepEqual(result.violations, [], report('/explore deal view', result));

      await page.locator('#deal-close').click();
      await page.locator('#entity-sources .ex-cite-title').first().click();
      await page.locator('#source-lines li').first().waitFor();
      await waitIdle(page);
      result = await axe(page);
      assert.deepEqual(result.violations, [], report('/explore source view', result));
      p.assertClean(assert);
    } finally {
      await p.close();
    }
  });

  it('/ (the playground) has no violations', async () => {
    const p = await openPage(browser, server.origin);
    const { page } = p;
    try {
      await page.goto(`${server.origin}/`);
      await page.locator('.graphiql-container .graphiql-editor').first().waitFor();
      await page.locator('.graphiql-tab-button[role="tab"]').first().waitFor();
      let result = await axe(page);
      assert.deepEqual(result.violations, [], report('/', result));
      // Run the first example: the response pane fills with highlighted JSON.
      await page.locator('.graphiql-execute-button').click();
      await page.locator('.graphiql-response .CodeMirror-line', { hasText: 'totalCount' }).waitFor();
      await page.locator('.graphiql-response .CodeMirror-scroll[tabindex="0"]').waitFor({ state: 'attached' });
      result = await axe(page);
      assert.deepEqual(result.violations, [], report('/ with a response', result));
      p.assertClean(assert);
    } finally {
      await p.close();
    }
  });
});
