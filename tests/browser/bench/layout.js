// Benchmark of the explorer's layout: neighbourhoods of several sizes in one generated graph
// (the performance test's hub and depth, cut at each size by the explorer's node limit),
// laid out in turn (A B A B …) in one chromium, so a slow or busy machine slows every size
// alike. Prints per size the median layout time and the longest task after the layout
// settled, and the ratio of each size's layout time to the smallest size's (median of the
// per-round ratios).
//
//   node tests/browser/bench/layout.js [--sizes 100,400,1000] [--rounds 5]
'use strict';

const { launchBrowser } = require('../lib/harness');
const { serveGenerated, hubView, openBigView, panAndZoom } = require('../lib/bigview');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const sizes = arg('sizes', '100,400,1000').split(',').map(Number);
  const rounds = Number(arg('rounds', '5'));
  if (sizes.some((n) => !Number.isInteger(n) || n < 2 || n > 2000) || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error('--sizes takes whole numbers from 2 to 2,000 (the explorer\'s limit), --rounds a whole number of at least 1');
  }
  const [big, browser] = await Promise.all([serveGenerated(), launchBrowser()]);
  const runs = sizes.map(() => []);
  try {
    // One warm-up of each size, not counted.
    for (let round = -1; round < rounds; round += 1) {
      for (let k = 0; k < sizes.length; k += 1) {
        const view = await openBigView(browser, big, hubView(sizes[k]));
        try {
          const moved = await panAndZoom(view);
          if (round >= 0) {
            runs[k].push({
              ms: view.layout.ms, nodes: view.drawn.nodes.length, edges: view.drawn.edges.length, longest: moved.longestAfter,
            });
          }
        } finally {
          await view.close();
        }
      }
    }
  } finally {
    await browser.close();
    await big.stop();
  }

  const base = runs[0];
  console.log(`explorer layout (fcose), ${rounds} interleaved rounds after a warm-up; chromium ${browser.version()}`);
  console.log('nodes  edges  layout ms median (min–max)  longest task after settling, ms  ratio to ' + `${base[0].nodes} nodes`);
  sizes.forEach((_, k) => {
    const ms = runs[k].map((r) => r.ms);
    const ratios = runs[k].map((r, i) => r.ms / Math.max(base[i].ms, 1));
    const row = [
      String(runs[k][0].nodes).padStart(5),
      String(runs[k][0].edges).padStart(6),
      `${median(ms)} (${Math.min(...ms)}–${Math.max(...ms)})`.padStart(27),
      String(Math.round(median(runs[k].map((r) => r.longest)))).padStart(33),
      `${median(ratios).toFixed(1)}×`.padStart(10),
    ];
    console.log(row.join('  '));
  });
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
