// The explorer on a phone (390×844, touch): the graph comes first and fills the first
// screen, the controls wait in a drawer, a swipe on the graph pans it while a swipe beside or
// below it scrolls the page, a chosen search result brings the graph into view, and axe-core
// finds no WCAG 2.1 A/AA violation.
'use strict';

const fs = require('node:fs');
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, launchBrowser, openPage, waitIdle, paintedPixels } = require('./lib/harness');

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// A one-finger swipe from (x, y) upwards by `dy` pixels, as touch input to the browser.
async function swipe(page, x, y, dy) {
  const client = await page.context().newCDPSession(page);
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= 10; i += 1) {
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - (dy * i) / 10 }] });
  }
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await client.detach();
}

// A point of the graph's lower half, in page coordinates, where a finger lands on the
// background: the layout places nodes anew on each load, and a swipe that starts on a node
// drags the node instead of panning the graph.
async function backgroundPoint(page, box) {
  const point = await page.evaluate(({ width, height }) => {
    const { cy } = window.__explore;
    const { x: panX, y: panY } = cy.pan();
    const zoom = cy.zoom();
    const renderer = cy.renderer();
    for (let row = 0.7; row < 0.95; row += 0.05) {
      for (let col = 0.1; col < 0.9; col += 0.05) {
        const x = width * col;
        const y = height * row;
        const near = renderer.findNearestElements((x - panX) / zoom, (y - panY) / zoom, true, true);
        if (near.length === 0) return { x, y };
      }
    }
    return null;
  }, { width: box.width, height: box.height });
  assert.ok(point, 'the lower half of the graph has a point with no node or edge under it');
  return { x: box.x + point.x, y: box.y + point.y };
}

describe('explorer on a phone', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  it('shows the graph on the first screen, scrolls past it by a swipe beside it, keeps the controls in a drawer', async () => {
    const p = await openPage(browser, server.origin, PHONE);
    const { page } = p;
    try {
      await page.goto(`${server.origin}/explore`);
      await waitIdle(page);
      const box = await page.locator('#cy').boundingBox();
      const visible = Math.min(box.y + box.height, 844) - Math.max(box.y, 0);
      assert.ok(box.y < 300 && visible > 844 / 2, `the graph shows ${Math.round(visible)} px of the first screen from y ${Math.round(box.y)}`);
      assert.ok(await paintedPixels(page) > 500, 'the graph is painted');
      assert.equal(await page.locator('#depth').isVisible(), false, 'the controls are folded away');

      // A swipe on the graph pans it and leaves the page where it is.
      const pan = await page.evaluate(() => ({ ...window.__explore.cy.pan() }));
      const start = await backgroundPoint(page, box);
      await swipe(page, start.x, start.y, 150);
      await page.waitForFunction((y) => window.__explore.cy.pan().y !== y, pan.y);
      assert.equal(await page.evaluate(() => window.scrollY), 0, 'a swipe on the graph does not scroll the page');
      // A swipe beside it scrolls the page.
      await swipe(page, 390 - 8, box.y + box.height * 0.7, 300);
      await page.waitForFunction(() => window.scrollY > 100);

      // The drawer opens over the page and closes again.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('#controls-toggle').click();
      await page.locator('#depth').waitFor({ state: 'visible' });
      assert.equal(await page.locator('#controls-toggle').getAttribute('aria-expanded'), 'true');
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(violations, [], 'axe: no violation with the drawer open');
      await page.keyboard.press('Escape');
      await page.locator('#depth').waitFor({ state: 'hidden' });

      // A search result chosen further down the page brings the graph back into view.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.locator('#search-input').fill('japan');
      await page.locator('#search-list [data-id="country:jp"]').click();
      await page.waitForFunction(() => window.__explore.state.entity === 'country:jp');
      await waitIdle(page, { minLoads: 2 });
      await page.waitForFunction(() => {
        const r = document.getElementById('cy').getBoundingClientRect();
        return r.top >= -1 && r.top < window.innerHeight / 3;
      });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(result, [], 'axe: no violation on the phone layout');
      p.assertClean(assert);
    } finally {
      await p.close();
    }
  });
});
