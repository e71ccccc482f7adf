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
  try {
    await page.waitForFunction(
      (n) => Boolean(window.__explore && window.__explore.graphLoads >= n && window.__explore.idle()),
      minLoads,
      { timeout, polling: 50 },
    );
  } catch (err) {
    // Say what the page was still waiting for, so that a failure can be read from the log.
    const state = await page.evaluate(() => {
      const x = window.__explore;
      if (!x) return { hook: 'window.__explore is not defined: the explorer did not start' };
      return { graphLoads: x.graphLoads, busy: x.busy, requests: x.requests.map((r) => r.operationName) };
    }).catch((e) => ({ unreadable: String(e) }));
    err.message += `\nthe explorer at ${page.url()}: ${JSON.stringify(state)}`;
    throw err;
  }
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

/**
 * Clicks (or double-clicks) a node with the real mouse, at a point of its body where a click
 * reaches it: the layout places nodes anew on each load, so another node, an edge or a panel
 * may lie over the node's centre. The point is the one nearest the centre, inside the graph's
 * box, that cytoscape's own hit test gives to this node and that the page gives to the graph.
 */
async function clickNode(page, id, { double = false } = {}) {
  const at = await page.evaluate((nodeId) => {
    const { cy } = window.__explore;
    const node = cy.getElementById(nodeId);
    if (node.empty()) return { missing: true };
    const container = cy.container().getBoundingClientRect();
    const { x: panX, y: panY } = cy.pan();
    const zoom = cy.zoom();
    const box = node.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
    const centre = node.renderedPosition();
    const points = [{ x: centre.x, y: centre.y }];
    const steps = 8;
    for (let i = 0; i <= steps; i += 1) {
      for (let j = 0; j <= steps; j += 1) {
        points.push({ x: box.x1 + (box.w * i) / steps, y: box.y1 + (box.h * j) / steps });
      }
    }
    const away = (p) => (p.x - centre.x) ** 2 + (p.y - centre.y) ** 2;
    points.sort((a, b) => away(a) - away(b));
    for (const p of points) {
      if (p.x < 2 || p.y < 2 || p.x > cy.width() - 2 || p.y > cy.height() - 2) continue;
      const hit = cy.renderer().findNearestElement((p.x - panX) / zoom, (p.y - panY) / zoom, true, false);
      if (!hit || hit.id() !== nodeId) continue;
      const top = document.elementFromPoint(container.x + p.x, container.y + p.y);
      if (top && cy.container().contains(top)) return p;
    }
    return { covered: true };
  }, id);
  if (at.missing) throw new Error(`node ${id} is not drawn`);
  if (at.covered) throw new Error(`node ${id} is drawn, but no point of it can be clicked`);
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
