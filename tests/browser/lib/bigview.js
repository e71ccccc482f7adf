// A big neighbourhood of a generated graph in the explorer, shared by the performance test
// (which asserts only what cannot flake) and `scripts/bench-explorer` (which prints the
// timings).
'use strict';

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const { promisify } = require('node:util');
const { BINARY, startServer, openPage, waitIdle, paintedPixels, tempDir } = require('./harness');

// The graph `pledgegraph generate` writes with these options (5,000 entities with five
// relations each: generated and loaded in a second or two by the debug build) and the view
// the big tests open on it: the largest economy, whose neighbours alone number in the
// hundreds, to depth 2, cut at `limit` nodes as the explorer's "At most" control cuts it.
const GENERATED = { entities: 5000, relationsPerEntity: 5, rngSeed: 1 };
const HUB = 'country:us';
const DEPTH = 2;

// Layout of a big graph on a loaded 2-core machine: a bound on the wait, not a budget.
const LAYOUT_WAIT_MS = 180_000;
// How long the page is watched for long tasks after it settles, in two halves around a pan
// and a zoom.
const IDLE_WINDOW_MS = 2000;

/** Generates the graph into a temporary seed directory and serves it on 127.0.0.1:0. */
async function serveGenerated({ entities, relationsPerEntity, rngSeed } = GENERATED) {
  const dir = tempDir(`pledgegraph-generated-${entities}-`);
  try {
    await promisify(execFile)(BINARY, [
      'generate', '--entities', String(entities), '--relations-per-entity', String(relationsPerEntity),
      '--rng-seed', String(rngSeed), '--out', dir,
    ]);
    const server = await startServer({ seed: dir });
    return {
      server,
      stop: async () => {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The view of `limit` nodes around the hub, as the explorer's URL and its query state it. */
function hubView(limit) {
  return { entity: HUB, depth: DEPTH, limit };
}

/**
 * The neighbourhood the explorer should draw for `view`, asked of the server's GraphQL API
 * directly (the explorer's defaults: both directions, every relation and kind, today).
 */
async function neighbourhood(origin, view) {
  const query = `query($ids: [ID!]!, $depth: Int!, $limit: Int!) {
    neighborhood(ids: $ids, depth: $depth, direction: BOTH, limit: $limit) {
      truncated nodes { id depth } edges { id }
    }
  }`;
  const variables = { ids: [view.entity], depth: view.depth, limit: view.limit };
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (!response.ok || body.errors) throw new Error(`neighborhood failed (HTTP ${response.status}): ${JSON.stringify(body)}`);
  return body.data.neighborhood;
}

/**
 * Opens `view` (entity, depth, limit) in a new page (long tasks recorded from the start)
 * and waits until it is drawn and nothing loads. Returns the page and what was drawn.
 */
async function openBigView(browser, big, view) {
  const p = await openPage(browser, big.server.origin);
  await p.page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await p.page.goto(`${big.server.origin}/explore#entity=${view.entity}&depth=${view.depth}&limit=${view.limit}`);
  await waitIdle(p.page, { timeout: LAYOUT_WAIT_MS });
  const drawn = await p.page.evaluate(() => ({
    nodes: window.__explore.nodeIds(),
    edges: window.__explore.edgeIds(),
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
 * Names of drawn nodes whose label wraps onto more than one line, at most `max` of them. One
 * line with its outline stands under twice its font size high, two lines about three times.
 */
function wrappedLabels(page, max = 5) {
  return page.evaluate((limit) => window.__explore.cy.nodes()
    .filter((n) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }).h
      > 2.5 * parseFloat(n.style('font-size')))
    .map((n) => n.data('name'))
    .slice(0, limit), max);
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

module.exports = {
  serveGenerated, hubView, neighbourhood, openBigView, overlappingNodes, wrappedLabels, panAndZoom, paintedPixels,
};
