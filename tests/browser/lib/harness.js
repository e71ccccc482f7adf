// Shared helpers for the browser tests: start the real pledgegraph server, launch Debian's
// chromium with a clean profile, record every request a page makes, wait for the explorer.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const { ROOT, BINARY, startServer } = require('../../support/server');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Every wait is for a condition, bounded; the bound is generous for a loaded 2-core
// machine, since only a broken page should ever reach it.
const WAIT_MS = 60_000;

/** Launches headless chromium with a fresh profile that can reach only loopback. */
async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-extensions',
      '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/**
 * A new context + page (a phone's when `hasTouch` and `isMobile`) that records every request and every console error / CSP report.
 * `assertClean()` checks that every request stayed on `origin` and nothing was refused.
 */
async function openPage(browser, origin, {
  viewport = { width: 1280, height: 800 }, bypassCSP = false, hasTouch = false, isMobile = false,
} = {}) {
  const context = await browser.newContext({ viewport, bypassCSP, hasTouch, isMobile, serviceWorkers: 'block' });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return {
    context,
    page,
    requests,
    problems,
    assertClean(assert) {
      assert.ok(requests.length > 0, 'the page made requests');
      const foreign = requests.filter((u) => !u.startsWith(`${origin}/`));
      assert.deepEqual(foreign, [], `every request stays on ${origin}`);
      assert.deepEqual(problems, [], 'no console errors, CSP refusals or page errors');
    },
    close: () => context.close(),
  };
}

/** Waits until the explorer has drawn a graph and has nothing left to load. */
async function waitIdle(page, { minLoads = 1, timeout = WAIT_MS } = {}) {
  await page.waitForFunction(
    (n) => Boolean(window.__explore && window.__explore.graphLoads >= n && window.__explore.idle()),
    minLoads,
    { timeout, polling: 50 },
  );
}

/** The explorer's state as the test hook reports it. */
function snapshot(page) {
  return page.evaluate(() => {
    const x = window.__explore;
    return {
      state: x.state,
      nodes: x.nodeIds(),
      edges: x.edgeIds(),
      onPath: x.onPath().sort(),
      graphLoads: x.graphLoads,
    };
  });
}

/**
 * Number of painted pixels (alpha > 0) sampled over the graph's canvases, once two frames
 * have been drawn (cytoscape paints on an animation frame after a change).
 */
function paintedPixels(page) {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let painted = 0;
    for (const c of document.querySelectorAll('#cy canvas')) {
      if (!c.width || !c.height) continue;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) painted += 1;
    }
    return painted;
  });
}

/** Clicks (or double-clicks) a node where it is drawn, with the real mouse. */
async function clickNode(page, id, { double = false } = {}) {
  const at = await page.evaluate((nodeId) => window.__explore.renderedPosition(nodeId), id);
  if (!at) throw new Error(`node ${id} is not drawn`);
  const box = await page.locator('#cy').boundingBox();
  const x = box.x + at.x;
  const y = box.y + at.y;
  if (double) await page.mouse.dblclick(x, y);
  else await page.mouse.click(x, y);
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = {
  ROOT, BINARY, WAIT_MS,
  startServer, launchBrowser, openPage, waitIdle, snapshot, paintedPixels, clickNode, tempDir,
};
