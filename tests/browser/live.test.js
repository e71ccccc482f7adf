// Live updates: with a server that keeps a change log (--data-dir) and takes writes
// (--tokens-file), a relation committed through the API appears in an open explorer
// without a reload, and what was drawn stays where it was.
'use strict';

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { BINARY, startServer, launchBrowser, openPage, waitIdle, snapshot, tempDir } = require('./lib/harness');

describe('explorer, live', () => {
  let server;
  let browser;
  let token;
  let dir;

  before(async () => {
    dir = tempDir('pledgegraph-live-');
    // `token new` prints the token once, then the [[editor]] lines for the tokens file.
    const { stdout, stderr } = await promisify(execFile)(BINARY, ['token', 'new', '--name', 'Browser test']);
    const printed = stdout + stderr;
    token = /pgt_\S+/.exec(printed)[0];
    fs.writeFileSync(path.join(dir, 'tokens.toml'), printed.slice(printed.indexOf('[[editor]]')));
    [server, browser] = await Promise.all([
      startServer({ args: ['--data-dir', path.join(dir, 'data'), '--tokens-file', path.join(dir, 'tokens.toml')] }),
      launchBrowser(),
    ]);
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function write(query) {
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  }

  it('draws a relation committed through the API without a reload, keeping the rest in place', async () => {
    const p = await openPage(browser, server.origin);
    const { page } = p;
    try {
      await page.goto(`${server.origin}/explore`);
      await waitIdle(page);
      await page.waitForFunction(() => window.__explore.live);
      await page.evaluate(() => { window.__notReloaded = true; });
      const before = await snapshot(page);
      const places = await page.evaluate(() => Object.fromEntries(
        window.__explore.nodeIds().map((id) => [id, window.__explore.position(id)])));
      const edge = 'country:jp|rival-of|country:us';
      assert.ok(!before.edges.includes(edge));
      await write(`mutation { addRelation(input: { kind: RIVAL_OF, from: "country:jp", to: "country:us",
        sources: [{ source: "source:trade-talks-2025-07", line: 3 }] }, reason: "browser test") { version } }`);
      await page.waitForFunction((id) => window.__explore.edgeIds().includes(id), edge);
      await waitIdle(page);
      assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
      const after = await snapshot(page);
      assert.deepEqual(after.nodes, before.nodes);
      for (const id of before.nodes) {
        const now = await page.evaluate((n) => window.__explore.position(n), id);
        assert.ok(Math.hypot(now.x - places[id].x, now.y - places[id].y) < 3, `${id} stayed in place`);
      }
      // Retracted, it goes again.
      await write(`mutation { retract(id: "${edge}", reason: "browser test",
        sources: [{ source: "source:trade-talks-2025-07", line: 3 }]) { version } }`);
      await page.waitForFunction((id) => !window.__explore.edgeIds().includes(id), edge);
      p.assertClean(assert);
    } finally {
      await p.close();
    }
  });
});
