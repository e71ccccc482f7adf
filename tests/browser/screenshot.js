// Writes a screenshot of the explorer on the seed (used by scripts/screenshot-explorer).
//
//   node tests/browser/screenshot.js [--out docs/explorer.png] [--hash '#entity=...']
//                                    [--origin http://127.0.0.1:PORT] [--width 1280 --height 800]
//
// Without --origin it starts target/debug/pledgegraph on 127.0.0.1:0 and stops it after.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, startServer, launchBrowser, openPage, waitIdle } = require('./lib/harness');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main() {
  const out = path.resolve(ROOT, arg('out', 'docs/explorer.png'));
  const hash = arg('hash', '');
  const width = Number(arg('width', 1280));
  const height = Number(arg('height', 800));
  const select = arg('select', '');
  const given = arg('origin', '');
  const server = given ? null : await startServer();
  const origin = given || server.origin;
  const browser = await launchBrowser();
  try {
    const { page, close } = await openPage(browser, origin, { viewport: { width, height } });
    await page.goto(`${origin}/explore${hash}`);
    await waitIdle(page);
    if (select) {
      await page.evaluate((id) => { location.hash = `${location.hash}&sel=${id}`; }, select);
      await waitIdle(page);
    }
    const open = arg('open', '');
    if (open) {
      await page.locator(open).click();
      await waitIdle(page);
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`screenshot-explorer: wrote ${path.relative(ROOT, out)} (${width}x${height}) from ${origin}/explore${hash}`);
    await close();
  } finally {
    await browser.close();
    if (server) await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
