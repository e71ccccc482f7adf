// A 1,000-node neighbourhood of a generated graph (`pledgegraph generate`) in the explorer:
// the layout finishes, draws exactly what the API answers without two nodes on top of each
// other, and the page still handles input afterwards. Nothing here asserts a time: how long
// the layout takes is a benchmark figure, printed by `scripts/bench-explorer` as a ratio to
// a small graph laid out in the same run.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser } = require('./lib/harness');
const {
  serveGenerated, hubView, neighbourhood, openBigView, overlappingNodes, wrappedLabels, panAndZoom, paintedPixels,
} = require('./lib/bigview');

describe('performance with 1,000 nodes', () => {
  let big;
  let browser;

  before(async () => {
    [big, browser] = await Promise.all([serveGenerated(), launchBrowser()]);
  });

  after(async () => {
    if (browser) await browser.close();
    if (big) await big.stop();
  });

  it('lays out 1,000 nodes apart and stays responsive to input', async () => {
    const want = hubView(1000);
    const api = await neighbourhood(big.server.origin, want);
    assert.equal(api.nodes.length, want.limit, `${want.entity} has ${want.limit} nodes within depth ${want.depth}`);
    const view = await openBigView(browser, big, want);
    const { page, drawn, layout } = view;
    try {
      assert.deepEqual(drawn.nodes, api.nodes.map((n) => n.id).sort(), 'the whole neighbourhood is drawn');
      assert.deepEqual(drawn.edges, api.edges.map((e) => e.id).sort(), 'with every edge among its nodes');
      assert.equal(drawn.truncated, api.truncated);
      assert.equal(layout.nodes, api.nodes.length, 'the layout placed every node');
      assert.equal(layout.edges, api.edges.length);
      assert.ok(await paintedPixels(page) > 1000, 'the graph is painted');
      assert.deepEqual(await overlappingNodes(page), [], 'no two nodes overlap');
      // Generated names run to a hundred characters; wrapped, they would cover the crowd.
      assert.deepEqual(await wrappedLabels(page), [], 'every label takes one line');

      const moved = await panAndZoom(view);
      assert.ok(moved.panned.pan.x > moved.start.pan.x && moved.panned.pan.y > moved.start.pan.y,
        `a drag pans the graph (${JSON.stringify(moved.start.pan)} → ${JSON.stringify(moved.panned.pan)})`);
      assert.ok(moved.zoomed.zoom > moved.panned.zoom, 'the wheel zooms in');
      const byDepth = api.nodes.reduce((c, n) => { c[n.depth] = (c[n.depth] || 0) + 1; return c; }, []);
      console.log(`perf: ${drawn.nodes.length} nodes (by depth ${byDepth.join(' + ')}), ${drawn.edges.length} edges `
        + `of ${want.entity} at depth ${want.depth} laid out (timings: scripts/bench-explorer)`);
      view.assertClean(assert);
    } finally {
      await view.close();
    }
  });
});
