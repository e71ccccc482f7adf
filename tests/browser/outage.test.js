// The explorer when its server goes away and comes back: the failure is said, with a
// Retry that works once the server is back, and search says it could not search rather
// than that nothing matched. The server is really stopped and started again on its port.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { WAIT_MS, startServer, launchBrowser, openPage, waitIdle, snapshot } = require('./lib/harness');

describe('explorer without its server', () => {
  let server;
  let browser;
  let p;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  after(async () => {
    if (p) await p.close().catch(() => {});
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('says what failed, offers Retry, and Retry works once the server is back', async () => {
    p = await openPage(browser, server.origin);
    const { page } = p;
    await page.goto(`${server.origin}/explore`);
    await waitIdle(page);
    const loads = (await snapshot(page)).graphLoads;
    await server.stop();

    // Another view, asked for while the server is down.
    await page.evaluate(() => { location.hash = '#entity=country:jp'; });
    await page.locator('#status-retry').waitFor({ timeout: WAIT_MS });
    assert.match(await page.locator('#status').textContent(), /Could not load the graph/);

    // Search says it could not search, not that nothing matched.
    await page.locator('#search-input').fill('Japan');
    await page.waitForFunction(
      () => /Could not search/.test(document.querySelector('#search-list')?.textContent || ''),
      null,
      { timeout: WAIT_MS },
    );
    await page.locator('#search-input').fill('');

    // Back on the same port: Retry draws the view.
    server = await startServer({ addr: new URL(server.origin).host });
    await page.locator('#status-retry').click();
    await waitIdle(page, { minLoads: loads + 1 });
    const after = await snapshot(page);
    assert.equal(after.state.entity, 'country:jp');
    assert.ok(after.nodes.includes('country:jp') && after.nodes.length > 1, after.nodes.join(', '));
    assert.doesNotMatch(await page.locator('#status').textContent(), /Could not/);
    assert.equal(await page.locator('#status-retry').count(), 0);
  });
});
