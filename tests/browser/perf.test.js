// A 1,000-node neighbourhood (from a seed this test generates) in the explorer: the layout
// finishes, draws every node without two on top of each other, and the page still handles
// input afterwards. Nothing here asserts a time: how long the layout takes is a benchmark
// figure, printed by `scripts/bench-explorer` as a ratio to a small graph laid out in the
// same run.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launchBrowser } = require('./lib/harness');
const { serveBigSeed, openBigView, overlappingNodes, panAndZoom, paintedPixels } = require('./lib/bigview');

describe('performance with 1,000 nodes', () => {
  let big;
  let browser;

  before(async () => {
    [big, browser] = await Promise.all([serveBigSeed(1000), launchBrowser()]);
  });

  after(async () => {
    if (browser) await browser.close();
    if (big) await big.stop();
  });

  it('lays out 1,000 nodes apart and stays responsive to input', async () => {
    const view = await openBigView(browser, big);
    const { page, drawn, layout } = view;
    try {
      assert.equal(drawn.nodes, big.seed.nodes, 'the whole neighbourhood is drawn');
      assert.equal(drawn.truncated, false);
      assert.equal(layout.nodes, big.seed.nodes, 'the layout placed every node');
      assert.ok(await paintedPixels(page) > 1000, 'the graph is painted');
      assert.deepEqual(await overlappingNodes(page), [], 'no two nodes overlap');

      const moved = await panAndZoom(view);
      assert.ok(moved.panned.pan.x > moved.start.pan.x && moved.panned.pan.y > moved.start.pan.y,
        `a drag pans the graph (${JSON.stringify(moved.start.pan)} → ${JSON.stringify(moved.panned.pan)})`);
      assert.ok(moved.zoomed.zoom > moved.panned.zoom, 'the wheel zooms in');
      console.log(`perf: ${drawn.nodes} nodes, ${drawn.edges} edges laid out (timings: scripts/bench-explorer)`);
      view.assertClean(assert);
    } finally {
      await view.close();
    }
  });
});
