// The explorer (/explore) in a real browser, on the real server and the curated seed:
// the starting view, search by keyboard, expanding a node by click, its sources, the
// path finder, the time slider, shared URLs, the deal view, keyboard reach. Every request
// every page makes is recorded and must stay on the server's own origin.
'use strict';

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const {
  ROOT, WAIT_MS, startServer, launchBrowser, openPage, waitIdle, snapshot, paintedPixels, clickNode,
} = require('./lib/harness');

// The labels the graph draws, on screen. Cytoscape leaves out a label on a hidden element,
// a transparent one, and one under its min-zoomed-font-size at the zoom rounded up to a
// power of two (CanvasRenderer.eleTextBiggerThanMin): so a label it draws may be as small
// as half that, which `smallest` (at the real zoom) shows.
function drawnLabels(page) {
  return page.evaluate(() => {
    const { cy } = window.__explore;
    const zoom = cy.zoom();
    const level = 2 ** Math.ceil(Math.log2(zoom * window.devicePixelRatio));
    const container = { w: cy.width(), h: cy.height() };
    const drawn = (el) => el.visible() && el.pstyle('label').strValue
      && el.pstyle('font-size').pfValue * level >= el.pstyle('min-zoomed-font-size').pfValue
      && el.pstyle('text-opacity').value > 0;
    const sizes = [];
    const nodeLabels = [];
    cy.nodes().filter(drawn).forEach((n) => {
      sizes.push(n.pstyle('font-size').pfValue * zoom);
      const b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      nodeLabels.push({ id: n.id(), text: n.pstyle('label').strValue, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    });
    const edgeLabels = [];
    cy.edges().filter(drawn).forEach((e) => {
      sizes.push(e.pstyle('font-size').pfValue * zoom);
      edgeLabels.push(e.pstyle('label').strValue);
    });
    const outside = cy.nodes().filter((n) => {
      const p = n.renderedPosition();
      return p.x < 0 || p.y < 0 || p.x > container.w || p.y > container.h;
    }).map((n) => n.id());
    return { nodeLabels, edgeLabels, smallest: Math.min(...sizes), outside };
  });
}

// Pairs of boxes that overlap by more than half a pixel each way.
function overlaps(boxes) {
  const found = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i];
      const b = boxes[j];
      if (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5) {
        found.push(`${a.id} / ${b.id}`);
      }
    }
  }
  return found;
}

describe('explorer', () => {
  let server;
  let browser;
  const pages = [];

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  // Each test's pages close when it ends: left open, every drawn graph keeps a share of the
  // machine's time, and on a loaded 2-core machine the later tests waited for it.
  async function closePages() {
    for (const p of pages.splice(0)) await p.close().catch(() => {});
  }

  afterEach(closePages);

  after(async () => {
    await closePages();
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  // A fresh page on /explore<hash>, waited until the graph is drawn and nothing loads.
  async function explore(hash = '', options = {}) {
    const p = await openPage(browser, server.origin, options);
    pages.push(p);
    await p.page.goto(`${server.origin}/explore${hash}`);
    await waitIdle(p.page);
    return p;
  }

  // Reads a paragraph through `open(page)` on the view at `hash`: on the shared server, which
  // lacks the source documents, it says the text is not available (`alsoWithout(page)` checks
  // more there); on one given them (`--sources-dir`), it is the paragraph itself.
  async function readWithoutAndWithSources(hash, open, alsoWithout = async () => {}) {
    const without = await explore(hash);
    assert.match(await open(without.page), /not available.*--sources-dir/);
    await alsoWithout(without.page);
    without.assertClean(assert);
    const withSources = await startServer({ args: ['--sources-dir', path.join(ROOT, '..', 'shared', 'sources')] });
    try {
      const p = await openPage(browser, withSources.origin);
      pages.push(p);
      await p.page.goto(`${withSources.origin}/explore${hash}`);
      await waitIdle(p.page);
      const text = await open(p.page);
      assert.doesNotMatch(text, /not available/);
      assert.ok(text.length > 40, text);
      p.assertClean(assert);
    } catch (err) {
      err.message += `\nthe server given the sources logged, last:\n${withSources.log().slice(-3000)}`;
      throw err;
    } finally {
      await withSources.stop();
    }
  }

  it('opens on the US–Japan deal without any argument and draws it', async () => {
    const p = await explore();
    const { page } = p;
    const snap = await snapshot(page);
    assert.equal(snap.state.entity, 'deal:us-jp-2025');
    for (const id of ['deal:us-jp-2025', 'country:jp', 'country:us', 'commitment:jp-us-investment-2025', 'tariff:us-jp-autos-2025']) {
      assert.ok(snap.nodes.includes(id), `${id} is drawn`);
    }
    assert.ok(snap.edges.length >= snap.nodes.length - 1, 'the nodes are connected');
    assert.ok(await paintedPixels(page) > 500, 'the canvas is painted');
    // Edges carry the relation, nodes their headline value.
    const labels = await page.evaluate(() => window.__explore.cy.edges().map((e) => e.data('text')));
    assert.ok(labels.includes('in exchange for'), labels.join(' | '));
    const names = await page.evaluate(() => window.__explore.cy.nodes().map((n) => n.data('label')));
    assert.ok(names.some((t) => /cars\n27\.5% → 15%/.test(t)), names.join(' | '));
    assert.ok(names.some((t) => /investment pledge.*\nUSD 550 billion/.test(t)), 'the investment pledge shows its amount');
    // The root's facts are in the panel, with a legend beside the graph.
    await assert.doesNotReject(page.locator('#entity-name', { hasText: 'US-Japan trade deal' }).waitFor());
    assert.match(await page.locator('#status').textContent(), /US-Japan trade deal.*\d+ nodes/);
    assert.equal(await page.locator('#legend li').count(), 11);
    p.assertClean(assert);
  });

  it('draws a calm starting view at 1280×800: few edge labels, readable and apart', async () => {
    const p = await explore();
    const { page } = p;
    const drawn = await drawnLabels(page);
    assert.ok(drawn.nodeLabels.length >= 15, `${drawn.nodeLabels.length} node labels are drawn`);
    assert.ok(drawn.edgeLabels.length <= 15, `${drawn.edgeLabels.length} edge labels: ${drawn.edgeLabels.join(' | ')}`);
    assert.ok(drawn.smallest >= 11, `the smallest label is ${drawn.smallest.toFixed(1)} px on screen`);
    assert.deepEqual(overlaps(drawn.nodeLabels), [], 'no two node labels overlap');
    assert.deepEqual(drawn.outside, [], 'every node is in view');
    // A commitment carries its amount itself, not on each of its edges.
    const investment = drawn.nodeLabels.find((l) => l.id === 'commitment:jp-us-investment-2025');
    assert.match(investment.text, /investment pledge.*USD 550 billion/s);
    // Japan's two relations to the pledge are drawn as one edge that says how many.
    const bundle = await page.evaluate(() => window.__explore.drawnEdge('country:jp|pledged|commitment:jp-us-investment-2025'));
    assert.equal(bundle.count, 2);
    // Hovering a node labels its edges; a relation family can be labelled for good.
    await page.evaluate(() => { window.__explore.cy.getElementById('tariff:us-jp-autos-2025').emit('mouseover'); });
    const hovered = await drawnLabels(page);
    assert.ok(hovered.edgeLabels.some((t) => /in exchange for/.test(t)), hovered.edgeLabels.join(' | '));
    await page.evaluate(() => { window.__explore.cy.getElementById('tariff:us-jp-autos-2025').emit('mouseout'); });
    await page.locator('#legend-relations input[value="tariffs"]').check();
    const picked = await drawnLabels(page);
    // The United States imposes the tariff and set its rate: one edge, both labels.
    assert.ok(picked.edgeLabels.some((t) => /(^|· )imposes/.test(t)), picked.edgeLabels.join(' | '));
    assert.ok(picked.smallest >= 11, `the smallest label is ${picked.smallest} px`);
    p.assertClean(assert);
  });

  it('draws the same view the same way every time it is opened; Re-layout tries another', async () => {
    const places = (page) => page.evaluate(() => Object.fromEntries(
      window.__explore.nodeIds().map((id) => [id, window.__explore.position(id)]),
    ));
    const first = await explore();
    const second = await explore();
    const a = await places(first.page);
    assert.ok(Object.keys(a).length >= 15, `${Object.keys(a).length} nodes`);
    assert.deepEqual(await places(second.page), a, 'both pages place every node alike');
    const layouts = (await first.page.evaluate(() => window.__explore.layouts)).length;
    await first.page.locator('#relayout').click();
    await first.page.waitForFunction((n) => window.__explore.layouts.length > n, layouts);
    const b = await places(first.page);
    const moved = Object.keys(a).filter((id) => Math.hypot(a[id].x - b[id].x, a[id].y - b[id].y) > 1);
    assert.ok(moved.length > Object.keys(a).length / 2, `${moved.length} nodes moved on Re-layout`);
    const drawn = await drawnLabels(first.page);
    assert.ok(drawn.nodeLabels.length >= 15, `${drawn.nodeLabels.length} node labels are drawn after Re-layout`);
    first.assertClean(assert);
    second.assertClean(assert);
  });

  it('draws no label under 11 px on a crowded view either (depth 2), and names a node pointed at', async () => {
    const p = await explore('#entity=deal:us-jp-2025&depth=2');
    const { page } = p;
    const drawn = await drawnLabels(page);
    assert.ok(drawn.smallest >= 11, `the smallest label is ${drawn.smallest.toFixed(1)} px on screen`);
    assert.ok(drawn.nodeLabels.some((l) => l.id === 'deal:us-jp-2025'), 'the centre is named');
    assert.deepEqual(overlaps(drawn.nodeLabels), [], 'no two node labels overlap');
    await page.evaluate(() => { window.__explore.cy.getElementById('country:kr').emit('mouseover'); });
    const pointed = await drawnLabels(page);
    assert.ok(pointed.nodeLabels.some((l) => l.id === 'country:kr'), 'the node pointed at is named');
    assert.ok(pointed.smallest >= 11, `the smallest label is ${pointed.smallest.toFixed(1)} px on screen`);
    p.assertClean(assert);
  });

  it('finds an entity by typing and picks a suggestion with the keyboard', async () => {
    const p = await explore();
    const { page } = p;
    const input = page.locator('#search-input');
    await input.focus();
    await page.keyboard.type('lutnik', { delay: 20 }); // a typo still finds Lutnick
    await page.locator('#search-list [role="option"][data-id]').first().waitFor();
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const options = await page.locator('#search-list [role="option"]').allTextContents();
    assert.match(options[0], /Howard Lutnick/);
    // Move down and back up: the active option follows, announced via aria-activedescendant.
    await page.keyboard.press('ArrowDown');
    const second = await input.getAttribute('aria-activedescendant');
    await page.keyboard.press('ArrowUp');
    const first = await input.getAttribute('aria-activedescendant');
    assert.notEqual(first, second);
    assert.equal(await page.locator(`#${first}`).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__explore.state.entity === 'person:howard-lutnick');
    await waitIdle(page, { minLoads: 2 });
    const snap = await snapshot(page);
    assert.ok(snap.nodes.includes('person:howard-lutnick'));
    assert.ok(snap.nodes.length > 3, `Lutnick has neighbours (${snap.nodes.length})`);
    assert.match(page.url(), /#entity=person:howard-lutnick/);
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    // A person's roles are claims with history and rank.
    await page.locator('.ex-claims h4', { hasText: 'Roles' }).waitFor();
    assert.match(await page.locator('#panel').textContent(), /Commerce Secretary/);
    p.assertClean(assert);
  });

  it('selects a node on click, expands it on Expand, shows its facts and opens its sources', async () => {
    const p = await explore();
    const { page } = p;
    const before = await snapshot(page);
    assert.ok(!before.nodes.includes('person:donald-trump'), 'Trump is not a neighbour of the deal');
    await clickNode(page, 'commitment:jp-us-investment-2025');
    await page.waitForFunction(() => window.__explore.state.sel === 'commitment:jp-us-investment-2025');
    await waitIdle(page);
    const selected = await snapshot(page);
    assert.deepEqual(selected.state.x, [], 'a click selects and does not expand');
    assert.deepEqual(selected.nodes, before.nodes);
    await page.locator('#act-expand').click();
    await page.waitForFunction(() => window.__explore.state.x.includes('commitment:jp-us-investment-2025'));
    await waitIdle(page, { minLoads: before.graphLoads + 1 });
    const after = await snapshot(page);
    assert.equal(after.state.sel, 'commitment:jp-us-investment-2025');
    assert.ok(after.nodes.length > before.nodes.length, `${before.nodes.length} -> ${after.nodes.length} nodes`);
    assert.ok(after.nodes.includes('person:donald-trump'), 'who revised the amount is now drawn');
    for (const id of before.nodes) assert.ok(after.nodes.includes(id), `${id} stays`);
    // Edges between a new node and a node drawn before (not next to the expanded one) too.
    assert.ok(after.edges.includes('person:donald-trump|said|statement:trump-others-must-pay'), 'Trump’s statement is linked');
    // The panel: the amount's history with who changed it, when, and the rank.
    const panel = page.locator('#panel');
    await page.locator('#entity-name', { hasText: "Japan's investment pledge" }).waitFor();
    const history = page.locator('.ex-claims', { hasText: 'Amount history' });
    const claims = await history.locator('.ex-claim').allTextContents();
    // The final figure twice: the article says both that the US set it and that Japan offered it.
    assert.equal(claims.length, 4, claims.join(' | '));
    assert.match(claims[0], /USD 400 billion/);
    assert.match(claims[1], /USD 500 billion.*from 2025-07-22 \(inferred\).*Donald Trump/s);
    assert.match(claims[2], /USD 550 billion.*preferred.*between 2025-07-22 and 2025-07-31.*United States/s);
    assert.match(claims[3], /USD 550 billion.*preferred.*Japan/s);
    // The amount in force says that its date is only a range, and inferred.
    assert.match(await panel.locator('.ex-facts dd', { hasText: 'USD 550 billion' }).textContent(),
      /since between 2025-07-22 and 2025-07-31 \(inferred\)/);
    // Sources: closed until opened, then each paragraph with its source's title.
    const sources = page.locator('#entity-sources');
    assert.equal(await sources.getAttribute('open'), null);
    await sources.locator('summary').click();
    await page.locator('#entity-sources .ex-sources li').first().waitFor();
    // Each source once, with the paragraphs it is cited for.
    const group = page.locator('#entity-sources .ex-sources > li', { hasText: 'Preemptive Remarks' });
    assert.equal(await group.count(), 1);
    const paragraphs = await group.locator('.ex-paragraphs button.ex-line').allTextContents();
    assert.ok(paragraphs.includes('¶ 8'), paragraphs.join(' | '));
    assert.match(await panel.textContent(), /Sources \(\d+\)/);
    // Collapse takes away what the expansion added; Back brings it again, Forward not.
    await page.locator('#act-collapse').click();
    await page.waitForFunction(() => window.__explore.state.x.length === 0);
    await waitIdle(page, { minLoads: after.graphLoads + 1 });
    assert.deepEqual((await snapshot(page)).nodes.sort(), [...before.nodes].sort(), 'collapse undoes the expansion');
    await page.goBack();
    await page.waitForFunction(() => window.__explore.state.x.includes('commitment:jp-us-investment-2025'));
    await waitIdle(page, { minLoads: after.graphLoads + 2 });
    assert.ok((await snapshot(page)).nodes.includes('person:donald-trump'), 'Back shows the expansion again');
    p.assertClean(assert);
  });

  it('expands the selected node with E and collapses it with C', async () => {
    const p = await explore();
    const { page } = p;
    const before = await snapshot(page);
    await page.locator('#node-list summary').click();
    await page.locator('#node-items button[data-id="commitment:jp-us-investment-2025"]').click();
    await page.waitForFunction(() => window.__explore.state.sel === 'commitment:jp-us-investment-2025');
    await waitIdle(page);
    await page.keyboard.press('e');
    await page.waitForFunction(() => window.__explore.state.x.includes('commitment:jp-us-investment-2025'));
    await waitIdle(page, { minLoads: before.graphLoads + 1 });
    assert.ok((await snapshot(page)).nodes.includes('person:donald-trump'), 'E added the neighbours');
    assert.equal(await page.locator('#act-collapse').getAttribute('aria-keyshortcuts'), 'C');
    // Typed in the search box, the letters stay letters.
    await page.locator('#search-input').focus();
    await page.keyboard.type('c');
    assert.equal((await snapshot(page)).state.x.length, 1);
    await page.locator('#search-input').fill('');
    await page.locator('#node-items button[data-id="commitment:jp-us-investment-2025"]').focus();
    await page.keyboard.press('c');
    await page.waitForFunction(() => window.__explore.state.x.length === 0);
    await waitIdle(page);
    assert.deepEqual((await snapshot(page)).nodes, before.nodes, 'C took them away again');
    p.assertClean(assert);
  });

  it('a click reaches the node under the pointer right after the graph moves down the page', async () => {
    // A node not selected, well inside the graph's box as the page lays it out now.
    const clickableNode = () => {
      const { cy, state } = window.__explore;
      const { clientWidth: w, clientHeight: h } = cy.container();
      const inside = cy.nodes().filter((n) => {
        const at = n.renderedPosition();
        return n.id() !== state.sel && at.x > 40 && at.y > 40 && at.x < w - 40 && at.y < h - 40;
      });
      return inside.empty() ? null : inside[0].id();
    };
    const p = await explore();
    const { page } = p;
    // A status that wraps to more lines moves the graph down; the click comes two frames
    // later, well inside cytoscape's own 100 ms wait before it measures its box again.
    const status = page.locator('#status');
    const said = await status.textContent();
    const moved = () => window.__explore.cy.container().getBoundingClientRect().y;
    const y0 = await page.evaluate(moved);
    await page.evaluate((text) => new Promise((resolve) => {
      document.getElementById('status').textContent = text;
      requestAnimationFrame(() => requestAnimationFrame(resolve));
    }), `${said} `.repeat(4));
    assert.ok(await page.evaluate(moved) > y0 + 30, 'the graph moved down by two lines or more');
    const first = await page.evaluate(clickableNode);
    await clickNode(page, first);
    await page.waitForFunction((id) => window.__explore.state.sel === id, first, { timeout: 5_000 });
    // And back up again.
    await page.evaluate((text) => new Promise((resolve) => {
      document.getElementById('status').textContent = text;
      requestAnimationFrame(() => requestAnimationFrame(resolve));
    }), said);
    assert.equal(await page.evaluate(moved), y0);
    const second = await page.evaluate(clickableNode);
    await clickNode(page, second);
    await page.waitForFunction((id) => window.__explore.state.sel === id, second, { timeout: 5_000 });
    p.assertClean(assert);
  });

  it('double-click centres the view on a node', async () => {
    const p = await explore();
    const { page } = p;
    const before = await snapshot(page);
    await clickNode(page, 'country:jp', { double: true });
    await page.waitForFunction(() => window.__explore.state.entity === 'country:jp');
    await waitIdle(page, { minLoads: before.graphLoads + 1 });
    const after = await snapshot(page);
    assert.equal(after.state.sel, 'country:jp');
    assert.deepEqual(after.state.x, []);
    assert.ok(after.nodes.includes('country:kr'), 'Japan’s rival is a neighbour');
    assert.match(page.url(), /#entity=country:jp/);
    p.assertClean(assert);
  });

  it('finds a path between two entities and highlights it', async () => {
    const p = await explore();
    const { page } = p;
    await page.locator('#path-from').focus();
    await page.keyboard.type('Boeing', { delay: 15 });
    await page.locator('#path-from-list [data-id="org:boeing"]').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#path-to').focus();
    await page.keyboard.type('South Korea', { delay: 15 });
    await page.locator('#path-to-list [data-id="country:kr"]').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#path-find').click();
    await page.waitForFunction(() => window.__explore.paths.length > 0 && window.__explore.onPath().length > 0);
    await waitIdle(page);
    const snap = await snapshot(page);
    assert.equal(snap.state.from, 'org:boeing');
    assert.equal(snap.state.to, 'country:kr');
    const path = await page.evaluate(() => window.__explore.paths[0]);
    assert.equal(path.nodes[0].id, 'org:boeing');
    assert.equal(path.nodes[path.nodes.length - 1].id, 'country:kr');
    for (const n of path.nodes) assert.ok(snap.onPath.includes(n.id), `${n.id} is highlighted`);
    for (const e of path.edges) assert.ok(snap.onPath.includes(e.id), `${e.id} is highlighted`);
    const faded = await page.evaluate(() => window.__explore.cy.elements('.faded').length);
    assert.ok(faded > 0, 'the rest of the graph fades');
    const items = await page.locator('#paths-list li').allTextContents();
    assert.ok(items.length >= 1);
    assert.match(items[0], /Boeing.*South Korea/s);
    assert.match(page.url(), /from=org:boeing&to=country:kr/);
    p.assertClean(assert);
  });

  it('moves the time slider and redraws the graph as of that date', async () => {
    const p = await explore('#entity=tariff:us-jp-autos-2025&sel=commitment:jp-us-investment-2025');
    const { page } = p;
    const before = await snapshot(page);
    const viewsBefore = await page.evaluate(() => window.__explore.requests.filter((r) => r.operationName === 'ExplorerView').length);
    // Keyboard: Home goes to 2025-01-01, then 200 days on with PageUp/ArrowRight.
    await page.locator('#asof').focus();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => window.__explore.state.asOf === '2025-01-01');
    await waitIdle(page, { minLoads: before.graphLoads + 1 });
    assert.equal(await page.locator('#asof-out').textContent(), '2025-01-01');
    assert.match(page.url(), /asOf=2025-01-01/);
    const requests = await page.evaluate(() => window.__explore.requests.filter((r) => r.operationName === 'ExplorerView'));
    assert.ok(requests.length > viewsBefore);
    assert.equal(requests[requests.length - 1].variables.asOf, '2025-01-01');
    const early = await page.evaluate(() => window.__explore.cy.elements().map((e) => e.data('label') || e.data('text')));
    // Before the deal the car tariff's rate had not been cut.
    assert.ok(!early.some((t) => /→ 15%/.test(t)), early.join(' | '));
    assert.match(await page.locator('#status').textContent(), /as of 2025-01-01/);
    // The panel follows the date: the pledge's amount as it stood then.
    await page.locator('#panel dd', { hasText: /USD 400 billion/ }).first().waitFor();
    // A run of arrow keys asks for the view once the slider rests, not at each step.
    const loadsBefore = (await snapshot(page)).graphLoads;
    const viewsBeforeRun = (await page.evaluate(() => window.__explore.requests.filter((r) => r.operationName === 'ExplorerView'))).length;
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__explore.state.asOf === '2025-01-31');
    await waitIdle(page, { minLoads: loadsBefore + 1 });
    const viewsAfterRun = (await page.evaluate(() => window.__explore.requests.filter((r) => r.operationName === 'ExplorerView'))).length;
    assert.ok(viewsAfterRun - viewsBeforeRun >= 1 && viewsAfterRun - viewsBeforeRun < 5,
      `30 steps made ${viewsAfterRun - viewsBeforeRun} requests`);
    // Drag with the mouse to the end: "today".
    const box = await page.locator('#asof').boundingBox();
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    await page.waitForFunction(() => window.__explore.state.asOf === null);
    await waitIdle(page);
    assert.equal(await page.locator('#asof-out').textContent(), 'today');
    const late = await page.evaluate(() => window.__explore.cy.elements().map((e) => e.data('label') || e.data('text')));
    assert.notDeepEqual(late.sort(), early.sort(), 'the graph changes with the date');
    p.assertClean(assert);
  });

  it('labels the slider: its range, and a mark for each dated event, inferred days and ranges shown as such', async () => {
    const p = await explore();
    const { page } = p;
    assert.deepEqual(await page.locator('.ex-asof-range span').allTextContents(), ['2025-01-01', 'today']);
    await page.locator('#asof-marks summary').click();
    const items = await page.locator('#asof-marks-list li').allTextContents();
    assert.ok(items.some((t) => /^2025-07-22 \(inferred\):.*US-Japan 2\+2 trade talks/.test(t)), items.join(' | '));
    assert.ok(items.some((t) => /^between 2025-07-22 and 2025-07-31 \(inferred\):.*Final announcement/.test(t)), items.join(' | '));
    // Under the slider: a hollow mark for an inferred day, a band for a range or a month.
    assert.ok(await page.locator('#asof-ticks .ex-tick-inferred').count() >= 1);
    const bands = await page.locator('#asof-ticks .ex-tick-range').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(bands.length >= 2 && bands.every((w) => w > 3), `bands ${bands.join(', ')}`);
    // Choosing a range shows the graph as of its last day.
    await page.locator('#asof-marks-list button', { hasText: 'between 2025-07-22 and 2025-07-31' }).first().click();
    await page.waitForFunction(() => window.__explore.state.asOf === '2025-07-31');
    await waitIdle(page);
    assert.equal(await page.locator('#asof-out').textContent(), '2025-07-31');
    p.assertClean(assert);
  });

  it('reloads a shared URL into the same view', async () => {
    const a = await explore();
    const pa = a.page;
    // Build a view by hand: Japan, depth 2, some filters, a date, an expansion, a path.
    await pa.evaluate(() => { location.hash = '#entity=country:jp'; });
    await pa.waitForFunction(() => window.__explore.state.entity === 'country:jp');
    await waitIdle(pa);
    await pa.locator('#depth').selectOption('2');
    await pa.waitForFunction(() => window.__explore.state.depth === 2);
    await waitIdle(pa);
    await pa.locator('#filters summary').click();
    await pa.locator('#kind-checks input[value="STATEMENT"]').uncheck();
    await pa.waitForFunction(() => (window.__explore.state.kinds || []).length === 10);
    await waitIdle(pa);
    await pa.locator('#relation-checks input[value="ABOUT"]').uncheck();
    await pa.waitForFunction(() => window.__explore.state.rels && !window.__explore.state.rels.includes('ABOUT'));
    await waitIdle(pa);
    await pa.evaluate(() => {
      const s = document.getElementById('asof');
      s.value = '202'; // 2025-07-22
      s.dispatchEvent(new Event('change'));
    });
    await pa.waitForFunction(() => window.__explore.state.asOf === '2025-07-22');
    await waitIdle(pa);
    await pa.locator('#node-list summary').click();
    await pa.locator('#node-items button[data-id="person:donald-trump"]').click();
    await pa.waitForFunction(() => window.__explore.state.sel === 'person:donald-trump');
    await pa.locator('#act-expand').click();
    await pa.waitForFunction(() => window.__explore.state.x.includes('person:donald-trump'));
    await waitIdle(pa);
    await pa.locator('button', { hasText: 'Path from here' }).click();
    await pa.evaluate(() => { location.hash += '&to=country:kr'; });
    await pa.waitForFunction(() => window.__explore.state.to === 'country:kr' && window.__explore.onPath().length > 0);
    await waitIdle(pa);
    const shared = pa.url();
    const first = await snapshot(pa);
    assert.equal(first.state.depth, 2);
    assert.ok(!first.nodes.some((id) => id.startsWith('statement:')), 'statements are filtered out');

    const b = await explore(shared.slice(shared.indexOf('#')));
    const second = await snapshot(b.page);
    assert.deepEqual(second.state, first.state);
    assert.deepEqual(second.nodes, first.nodes);
    assert.deepEqual(second.edges, first.edges);
    assert.deepEqual(second.onPath, first.onPath);
    // The controls show the shared state.
    assert.equal(await b.page.locator('#depth').inputValue(), '2');
    assert.equal(await b.page.locator('#asof-out').textContent(), '2025-07-22');
    assert.equal(await b.page.locator('#kind-checks input[value="STATEMENT"]').isChecked(), false);
    assert.equal(await b.page.locator('#relation-checks input[value="ABOUT"]').isChecked(), false);
    assert.equal(await b.page.locator('#path-to').inputValue(), 'South Korea');
    await b.page.locator('#entity-name', { hasText: 'Donald Trump' }).waitFor();
    a.assertClean(assert);
    b.assertClean(assert);
  });

  it('lays out what each side of the deal gave and got', async () => {
    const p = await explore();
    const { page } = p;
    await page.locator('#act-deal').click();
    const dialog = page.locator('#deal-dialog');
    await dialog.locator('.ex-side').first().waitFor();
    await waitIdle(page);
    assert.match(page.url(), /deal=deal:us-jp-2025/);
    const japan = dialog.locator('.ex-side[data-party="country:jp"]');
    assert.match(await japan.locator('h4').first().textContent(), /Japan gave/);
    const gave = await japan.locator('.ex-gave li').allTextContents();
    assert.ok(gave.some((t) => /investment pledge.*USD 550 billion/s.test(t)), gave.join(' | '));
    const got = await japan.locator('.ex-got li').allTextContents();
    assert.ok(got.some((t) => /cars.*Rate cut from 27\.5%.* to 15%/s.test(t)), got.join(' | '));
    const us = dialog.locator('.ex-side[data-party="country:us"]');
    assert.ok((await us.locator('.ex-got li').count()) >= 1, 'the US side got something too');
    // Before the deal, what Japan "got" is the rate as it stood, not a rate received.
    await page.evaluate(() => { location.hash += '&asOf=2025-03-01'; });
    await page.waitForFunction(() => window.__explore.state.asOf === '2025-03-01');
    await waitIdle(page);
    const early = await japan.locator('.ex-got li', { hasText: 'cars' }).textContent();
    assert.match(early, /Rate stands at 27\.5%.*not changed yet/s);
    assert.doesNotMatch(early, /→/);
    // Escape closes it and the URL forgets it.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('deal-dialog').open && !window.__explore.state.deal);
    assert.doesNotMatch(page.url(), /deal=/);
    // For a country: what it gave and got across its deals (compare).
    await page.evaluate(() => { location.hash = '#entity=deal:us-jp-2025&sel=country:jp'; });
    await page.locator('#act-compare').click();
    await dialog.locator('.ex-side[data-party="country:jp"] .ex-gave li').first().waitFor();
    assert.match(await page.locator('#deal-title').textContent(), /Japan: what it gave and got/);
    await page.locator('#deal-close').click();
    await page.waitForFunction(() => !window.__explore.state.deal);
    p.assertClean(assert);
  });

  it('reaches every control with the keyboard', async () => {
    const p = await explore();
    const { page } = p;
    const seen = new Set();
    await page.locator('body').focus();
    for (let i = 0; i < 80; i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement;
        return el ? (el.id || el.textContent.trim().slice(0, 30)) : '';
      });
      seen.add(id);
    }
    for (const id of ['search-input', 'open-playground', 'depth', 'direction', 'limit', 'asof', 'asof-today',
      'path-from', 'path-to', 'path-find', 'zoom-in', 'zoom-fit', 'act-deal', 'Filters (all shown)', 'Nodes in view (']) {
      assert.ok([...seen].some((s) => s === id || s.startsWith(id)), `${id} is reachable by Tab (saw ${[...seen].join(', ')})`);
    }
    p.assertClean(assert);
  });

  it('draws no relations when the relation filter is set to none, and no other entity when no kind is', async () => {
    const p = await explore();
    const { page } = p;
    const before = await snapshot(page);
    assert.ok(before.edges.length > 10, 'the starting view has relations');
    await page.locator('#filters summary').click();
    await page.locator('#rel-none').click();
    await page.waitForFunction(() => Array.isArray(window.__explore.state.rels) && window.__explore.state.rels.length === 0);
    await waitIdle(page);
    const none = await snapshot(page);
    assert.deepEqual(none.edges, [], 'no relation is drawn');
    assert.deepEqual(none.nodes, ['deal:us-jp-2025'], 'only the centre is left');
    await page.locator('#rel-all').click();
    await page.waitForFunction(() => window.__explore.state.rels === null);
    await waitIdle(page);
    for (const box of await page.locator('#kind-checks input').all()) await box.uncheck();
    await page.waitForFunction(() => Array.isArray(window.__explore.state.kinds) && window.__explore.state.kinds.length === 0);
    await waitIdle(page);
    const noKinds = await snapshot(page);
    assert.deepEqual(noKinds.nodes, ['deal:us-jp-2025'], 'no entity but the centre is kept');
    p.assertClean(assert);
  });

  it('draws, as of a date, no event, statement or deal still to come then', async () => {
    const later = ['event:us-jp-deal-announcement-2025', 'event:us-jp-2plus2-talks-2025-07-22',
      'statement:lutnick-korea-japan-rivals', 'deal:us-jp-2025'];
    const today = await snapshot((await explore('#entity=country:jp&depth=2')).page);
    for (const id of later) assert.ok(today.nodes.includes(id), `${id} is drawn today`);
    const p = await explore('#entity=country:jp&depth=2&asOf=2025-07-01');
    const then = await snapshot(p.page);
    assert.equal(then.state.asOf, '2025-07-01');
    for (const id of later) assert.ok(!then.nodes.includes(id), `${id} is not drawn as of 2025-07-01`);
    assert.ok(then.nodes.includes('country:us'), 'what existed then is drawn');
    p.assertClean(assert);
  });

  it('opens a cited paragraph: its text with the sources, a clear word without', async () => {
    const hash = '#entity=deal:us-jp-2025&sel=commitment:jp-us-investment-2025';
    const openFirst = async (page) => {
      await page.locator('#entity-name', { hasText: "Japan's investment pledge" }).waitFor();
      await page.locator('#entity-sources summary').click();
      const button = page.locator('#entity-sources .ex-paragraphs button.ex-line').first();
      await button.click();
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      const text = page.locator('#entity-sources .ex-paragraph:not([hidden])').first();
      await text.waitFor();
      return text.textContent();
    };
    await readWithoutAndWithSources(hash, openFirst);
  });

  it('opens a source: each of its paragraphs cited in the view once, with what cites it and its text', async () => {
    const hash = '#entity=deal:us-jp-2025&sel=commitment:jp-us-investment-2025';
    const openSource = async (page) => {
      await page.locator('#entity-name', { hasText: "Japan's investment pledge" }).waitFor();
      await page.locator('#entity-sources summary').click();
      await page.locator('#entity-sources .ex-cite-title', { hasText: 'Preemptive Remarks' }).click();
      await page.locator('#source-lines li').first().waitFor();
      await waitIdle(page);
      assert.match(await page.locator('#source-title').textContent(), /^Preemptive Remarks/);
      const lines = await page.locator('#source-lines > li').evaluateAll((els) => els.map((e) => Number(e.dataset.line)));
      assert.ok(lines.length >= 5, `${lines.length} paragraphs`);
      assert.deepEqual(lines, [...new Set(lines)].sort((a, b) => a - b), 'each paragraph once, in order');
      assert.match(await page.locator('#source-sub').textContent(), new RegExp(`${lines.length} paragraphs cited in this view`));
      const para8 = page.locator('#source-lines > li[data-line="8"]');
      assert.match(await para8.locator('.ex-cited-for').textContent(), /Japan's investment pledge/);
      return para8.locator('blockquote').textContent();
    };
    await readWithoutAndWithSources(hash, openSource, async (page) => {
      // The graph stays as it was: the source opens beside it, not as a new centre.
      assert.equal((await snapshot(page)).state.entity, 'deal:us-jp-2025');
    });
  });

  it('shows a relation with its dates and sources when its edge is clicked', async () => {
    const p = await explore();
    const { page } = p;
    const edge = 'commitment:jp-us-investment-2025|part-of|deal:us-jp-2025';
    assert.ok((await snapshot(page)).edges.includes(edge), 'the edge is drawn');
    // Edges cross, so a click at one's midpoint may meet another: the tap goes to the edge.
    await page.evaluate((id) => { window.__explore.cy.getElementById(id).emit('tap'); }, edge);
    await page.locator('#panel-heading', { hasText: 'Selected relation' }).waitFor();
    await page.locator('#relation-kind').waitFor();
    assert.equal(await page.locator('#relation-kind').textContent(), 'part of');
    assert.match(await page.locator('#relation-dates').textContent(), /from|No dates/);
    const sources = await page.locator('#relation-sources .ex-sources > li').count();
    assert.ok(sources >= 1, 'its sources are listed');
    p.assertClean(assert);
  });

  it('keeps each node where it was across a date change and an expansion', async () => {
    const p = await explore();
    const { page } = p;
    const places = () => page.evaluate(() => Object.fromEntries(
      window.__explore.nodeIds().map((id) => [id, window.__explore.position(id)])));
    const moved = (before, after) => Object.keys(before).filter((id) => after[id]
      && Math.hypot(after[id].x - before[id].x, after[id].y - before[id].y) > 3);
    const first = await places();
    const loads = (await snapshot(page)).graphLoads;
    await page.evaluate(() => { location.hash = '#entity=deal:us-jp-2025&asOf=2025-07-25'; });
    await page.waitForFunction(() => window.__explore.state.asOf === '2025-07-25');
    await waitIdle(page, { minLoads: loads + 1 });
    const dated = await places();
    const common = Object.keys(first).filter((id) => dated[id]);
    assert.ok(common.length > 5, `${common.length} nodes in both views`);
    assert.deepEqual(moved(first, dated), [], 'no node drawn before moved with the date');
    await clickNode(page, 'commitment:jp-us-investment-2025');
    await page.waitForFunction(() => window.__explore.state.sel === 'commitment:jp-us-investment-2025');
    await page.locator('#act-expand').click();
    await page.waitForFunction(() => window.__explore.state.x.length === 1);
    await waitIdle(page, { minLoads: loads + 2 });
    const expanded = await places();
    assert.ok(Object.keys(expanded).length > Object.keys(dated).length, 'the expansion added nodes');
    assert.deepEqual(moved(dated, expanded), [], 'no node drawn before moved with the expansion');
    // Re-layout lays everything out again, when asked.
    await page.locator('#relayout').click();
    p.assertClean(assert);
  });

  it('links to the playground and the playground links back', async () => {
    const p = await explore();
    const { page } = p;
    const href = await page.locator('#open-playground').getAttribute('href');
    assert.match(href, /^\/\?query=query\+ExplorerView/);
    const vars = JSON.parse(new URLSearchParams(href.slice(2)).get('variables'));
    assert.deepEqual(vars.ids, ['deal:us-jp-2025']);
    // The playground opens the explorer's query first, with its variables.
    await page.goto(`${server.origin}${href}`);
    await page.waitForFunction(
      () => (document.querySelector('.graphiql-query-editor')?.textContent || '').includes('ExplorerView'),
      null,
      { timeout: WAIT_MS },
    );
    // Run as opened, it answers the view, with its variables, without an error.
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(
      () => (document.querySelector('.result-window')?.textContent || '').includes('"data"'),
      null,
      { timeout: WAIT_MS },
    );
    const answer = await page.locator('.result-window').textContent();
    assert.doesNotMatch(answer, /"errors"/, answer.slice(0, 400));
    assert.match(answer, /deal:us-jp-2025/);
    await page.goto(`${server.origin}/`);
    const back = page.locator('header nav a[href="/explore"]');
    assert.equal(await back.count(), 1);
    await page.locator('.graphiql-container').waitFor();
    p.assertClean(assert);
  });
});
