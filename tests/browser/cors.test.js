// CORS in a real browser: a page served from a second origin (a small node server on
// another loopback port) calls the API with `fetch`, a JSON POST that needs a preflight.
// By default, and with `--cors-origins` naming that page's origin, Chromium lets the page
// read the answer; with `--cors-origins` naming a different origin, Chromium blocks it.
'use strict';

const http = require('node:http');
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { WAIT_MS, startServer, launchBrowser, openPage } = require('./lib/harness');

const QUERY = '{ stats { entities relations } }';

/** A page of another origin: a plain HTML document on 127.0.0.1:0. */
function startOtherOrigin() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><head><title>another origin</title></head><body><p>a frontend</p></body></html>');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        stop: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Opens the other origin's page and has it POST the query to `api` with `fetch`. Returns
 * what the page saw, the preflights Chromium sent (through the DevTools protocol, which
 * reports them), and the console's errors.
 */
async function callFromOtherOrigin(browser, pageOrigin, api) {
  const p = await openPage(browser, pageOrigin);
  const { page, context, problems } = p;
  try {
    const cdp = await context.newCDPSession(page);
    const preflights = [];
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.method === 'OPTIONS' && e.request.url.startsWith(api)) preflights.push(e.request.url);
    });
    await cdp.send('Network.enable');
    await page.goto(`${pageOrigin}/`);
    const seen = await page.evaluate(async ({ url, query }) => {
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        return { ok: true, status: r.status, body: await r.json() };
      } catch (e) {
        return { ok: false, error: `${e.name}: ${e.message}` };
      }
    }, { url: `${api}/graphql`, query: QUERY });
    // DevTools reports the preflight on a channel of its own, which may lag the page's answer.
    const deadline = Date.now() + WAIT_MS;
    while (preflights.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { seen, preflights, problems: [...problems] };
  } finally {
    await p.close();
  }
}

describe('CORS: a page of another origin calls the API', () => {
  let other;
  let browser;
  before(async () => {
    [other, browser] = await Promise.all([startOtherOrigin(), launchBrowser()]);
  });
  after(async () => {
    if (browser) await browser.close();
    if (other) await other.stop();
  });

  async function withServer(args, body) {
    const server = await startServer({ args });
    try {
      assert.notEqual(server.origin, other.origin, 'the page is of another origin');
      await body(server);
    } finally {
      await server.stop();
    }
  }

  function assertAnswered(result) {
    assert.ok(result.seen.ok, `fetch failed: ${result.seen.error} (${result.problems.join('; ')})`);
    assert.equal(result.seen.status, 200);
    assert.equal(result.seen.body.errors, undefined, JSON.stringify(result.seen.body));
    assert.ok(result.seen.body.data.stats.entities > 0, JSON.stringify(result.seen.body));
  }

  it('any origin may read by default: the preflight passes and the page reads the answer', async () => {
    await withServer([], async (server) => {
      const result = await callFromOtherOrigin(browser, other.origin, server.origin);
      assertAnswered(result);
      assert.ok(result.preflights.length >= 1, 'a JSON POST from another origin is preflighted');
    });
  });

  it('an origin named in --cors-origins may read', async () => {
    await withServer(['--cors-origins', other.origin], async (server) => {
      assertAnswered(await callFromOtherOrigin(browser, other.origin, server.origin));
    });
  });

  it('an origin not named in --cors-origins is blocked by the browser', async () => {
    await withServer(['--cors-origins', 'https://app.example.org'], async (server) => {
      const result = await callFromOtherOrigin(browser, other.origin, server.origin);
      assert.equal(result.seen.ok, false, `the call must be blocked: ${JSON.stringify(result.seen)}`);
      assert.match(result.seen.error, /^TypeError/);
      assert.ok(result.preflights.length >= 1, 'the browser asked first');
      assert.ok(
        result.problems.some((m) => /CORS policy/.test(m)),
        `Chromium says CORS blocked it: ${result.problems.join('; ')}`,
      );
    });
  });
});
