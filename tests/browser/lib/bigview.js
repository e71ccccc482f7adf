// One generated big neighbourhood in the explorer, shared by the performance test (which
// asserts only what cannot flake) and `scripts/bench-explorer` (which prints the timings).
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { BINARY, startServer, openPage, waitIdle, paintedPixels, tempDir } = require('./harness');
const { writeBigSeed } = require('./bigseed');

// Layout of a big graph on a loaded 2-core machine: a bound on the wait, not a budget.
const LAYOUT_WAIT_MS = 180_000;
// How long the page is watched for long tasks after it settles, in two halves around a pan
// and a zoom.
const IDLE_WINDOW_MS = 2000;

/** A generated seed of about `size` nodes, checked valid, served on 127.0.0.1:0. */
async function serveBigSeed(size) {
  const dir = tempDir(`pledgegraph-bigseed-${size}-`);
  const seed = writeBigSeed(dir, size);
  const summary = execFileSync(BINARY, ['check', '--seed', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!/valid/.test(summary)) throw new Error(`the generated seed is not valid:\n${summary}`);
  const server = await startServer({ seed: dir });
  return {
    seed,
    server,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the hub's whole neighbourhood in a new page (long tasks recorded from the start)
 * and waits until it is drawn and nothing loads. Returns the page and what was drawn.
 */
async function openBigView(browser, big) {
  const p = await openPage(browser, big.server.origin);
  await p.page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await p.page.goto(`${big.server.origin}/explore#entity=${big.seed.hub}&depth=1&limit=2000`);
  await waitIdle(p.page, { timeout: LAYOUT_WAIT_MS });
  const drawn = await p.page.evaluate(() => ({
    nodes: window.__explore.cy.nodes().length,
    edges: window.__explore.cy.edges().length,
    layouts: window.__explore.layouts,
    truncated: window.__explore.truncated,
  }));
  // The layout has settled once two frames have been painted after it.
  const settled = await p.page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
  }));
  return { ...p, drawn, layout: drawn.layouts[drawn.layouts.length - 1], settled };
}

/** Pairs of drawn nodes whose discs (border included) overlap, at most `max` of them. */
function overlappingNodes(page, max = 10) {
  return page.evaluate((limit) => {
    const nodes = window.__explore.cy.nodes().map((n) => ({
      id: n.id(), x: n.position('x'), y: n.position('y'), r: Math.max(n.outerWidth(), n.outerHeight()) / 2,
    }));
    nodes.sort((a, b) => a.x - b.x);
    const widest = nodes.reduce((m, n) => Math.max(m, n.r), 0);
    const found = [];
    // Sweep along x: only nodes less than two radii to the right can overlap this one.
    for (let i = 0; i < nodes.length && found.length < limit; i += 1) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length && nodes[j].x - a.x < a.r + widest; j += 1) {
        const b = nodes[j];
        if (Math.hypot(b.x - a.x, b.y - a.y) < a.r + b.r) found.push([a.id, b.id]);
      }
    }
    return found.slice(0, limit);
  }, max);
}

/**
 * Idles, pans by dragging and zooms with the wheel over the graph, idles again, and reports
 * how the view moved (input was handled) and the long tasks seen after the layout settled.
 */
async function panAndZoom(view) {
  const { page } = view;
  const wait = (ms) => page.evaluate((t) => new Promise((resolve) => setTimeout(resolve, t)), ms);
  const viewport = () => page.evaluate(() => ({ pan: window.__explore.cy.pan(), zoom: window.__explore.cy.zoom() }));
  const start = await viewport();
  await wait(IDLE_WINDOW_MS / 2);
  // Drag from the fitted graph's empty padding (a drag that starts on a node moves the node).
  const box = await page.locator('#cy').boundingBox();
  const x = box.x + 8;
  const y = box.y + 8;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i += 1) await page.mouse.move(x + i * 12, y + i * 6);
  await page.mouse.up();
  const panned = await viewport();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 5; i += 1) await page.mouse.wheel(0, -240);
  // A wheel event is handled on a later frame: wait for the zoom itself, not for time.
  await page.waitForFunction((z) => window.__explore.cy.zoom() !== z, panned.zoom, { timeout: LAYOUT_WAIT_MS, polling: 'raf' });
  const zoomed = await viewport();
  await wait(IDLE_WINDOW_MS / 2);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const tasks = await page.evaluate(() => window.__longTasks);
  const after = tasks.filter((t) => t.start >= view.settled);
  return {
    start,
    panned,
    zoomed,
    longTasksBefore: tasks.filter((t) => t.start < view.settled).map((t) => t.duration),
    longTasksAfter: after.map((t) => t.duration),
    longestAfter: after.reduce((m, t) => Math.max(m, t.duration), 0),
  };
}

module.exports = { serveBigSeed, openBigView, overlappingNodes, panAndZoom, paintedPixels };
