// Checks that the Apollo peer answers the benchmark queries (bench/queries) exactly as
// pledgegraph does: target/debug/pledgegraph serve on the built-in seed and on a generated
// graph, dumped with dump.mjs, the peer started on the dump with server.mjs.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const { BINARY, startServer } = require('../../../tests/support/server.js');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const QUERIES = path.resolve(HERE, '..', '..', 'queries');
const query = (name) => readFileSync(path.join(QUERIES, `${name}.graphql`), 'utf8');
const Q0 = query('q0');
const Q1 = query('q1');
const Q1_VARS = query('q1-vars');
const Q2 = query('q2');
const Q2_VARS = query('q2-vars');

const PEER_START_MS = 60_000;

/** Objects with their keys sorted, all the way down. */
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  }
  return v;
}

/** POSTs a query as JSON to `origin`/graphql; returns the body, asserting HTTP 200 and no errors. */
async function post(origin, q, variables) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(variables ? { query: q, variables } : { query: q }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${origin}/graphql: ${text}`);
  const body = JSON.parse(text);
  assert.equal(body.errors, undefined, `${origin}/graphql answered errors: ${text}`);
  return body;
}

/** Both answers to one query, asserted equal; returns pledgegraph's. */
async function same(servers, q, variables) {
  const [want, got] = await Promise.all([post(servers.pg, q, variables), post(servers.peer, q, variables)]);
  assert.deepStrictEqual(sortKeys(got), sortKeys(want));
  return want;
}

/** Runs dump.mjs against `origin` into `file`; returns the dump. */
async function dump(origin, file, pageSize) {
  const args = [path.join(HERE, 'dump.mjs'), '--url', origin, '--out', file];
  if (pageSize) args.push('--page-size', String(pageSize));
  await promisify(execFile)(process.execPath, args);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Starts `node server.mjs --data FILE`; resolves once it prints its one line. */
function startPeer(file) {
  const child = spawn(process.execPath, [path.join(HERE, 'server.mjs'), '--data', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the peer did not say where it listens within ${PEER_START_MS} ms:\n${log}`));
    }, PEER_START_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the peer exited (${code ?? signal}) before listening:\n${log}`));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(log);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        origin: m[1],
        log: () => log,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/** pledgegraph (on `seed`, or the built-in one) and the peer on its dump, for a describe block. */
function pair(seed) {
  const servers = {};
  let pg;
  let peer;
  before(async () => {
    servers.dir = mkdtempSync(path.join(tmpdir(), 'pledgegraph-peer-'));
    pg = await startServer({ seed: seed?.(servers.dir), args: ['--rate-limit-per-second', '0'] });
    servers.pg = pg.origin;
    servers.dumpFile = path.join(servers.dir, 'dump.json');
    servers.data = await dump(pg.origin, servers.dumpFile);
    peer = await startPeer(servers.dumpFile);
    servers.peer = peer.origin;
    servers.peerLog = peer.log;
  });
  after(async () => {
    await Promise.all([pg?.stop(), peer?.stop()]);
    if (servers.dir) rmSync(servers.dir, { recursive: true, force: true });
  });
  return servers;
}

const edgesOf = (body) => body.data.commitments.edges;
const pledgesOf = (body) => body.data.country.pledgesMade.edges;

describe('on the built-in seed', () => {
  const s = pair();

  test('the peer prints one line, where it listens', () => {
    assert.equal(s.peerLog(), `listening on ${s.peer}\n`);
  });

  test('Q0 { __typename } names the root QueryRoot', async () => {
    const body = await same(s, Q0);
    assert.deepStrictEqual(body, { data: { __typename: 'QueryRoot' } });
  });

  test('Q1 (literal): Japan with its pledges', async () => {
    const body = await same(s, Q1);
    assert.equal(body.data.country.name, 'Japan');
    assert.ok(pledgesOf(body).length >= 1);
    assert.ok(pledgesOf(body).some((e) => e.node.amount?.value.display));
  });

  test('Q1 (variables): upper and lower case, no pledges, unknown', async () => {
    const empty = s.data.countries.find((c) => c.code && c.pledgesMade.length === 0);
    assert.ok(empty, 'the seed has a country without pledges');
    assert.ok(pledgesOf(await same(s, Q1_VARS, { code: 'JP' })).length >= 1);
    assert.ok(pledgesOf(await same(s, Q1_VARS, { code: 'jp' })).length >= 1);
    assert.deepStrictEqual(pledgesOf(await same(s, Q1_VARS, { code: empty.code })), []);
    assert.equal((await same(s, Q1_VARS, { code: 'ZZ' })).data.country, null);
  });

  test('Q2: the first page of commitments by id', async () => {
    const edges = edgesOf(await same(s, Q2));
    assert.equal(edges.length, s.data.commitments.length);
    assert.ok(edges.length >= 1);
  });

  test('Q2 (variables): ids out of order and an unknown id', async () => {
    const ids = s.data.commitments.map((c) => c.id).reverse();
    const edges = edgesOf(await same(s, Q2_VARS, { ids: [...ids, 'commitment:no-such-pledge'] }));
    assert.equal(edges.length, ids.length);
  });
});

describe('on a generated graph of 2,000 entities', () => {
  const s = pair((dir) => {
    const out = path.join(dir, 'graph');
    execFileSync(BINARY, ['generate', '--entities', '2000', '--relations-per-entity', '5',
      '--rng-seed', '1', '--out', out], { stdio: 'ignore' });
    return out;
  });

  test('the dump is the same read 7 items a page as 100', async () => {
    assert.ok(s.data.countries.length > 7 && s.data.commitments.length > 7);
    assert.ok(s.data.countries.some((c) => c.pledgesMade.length > 7));
    assert.deepStrictEqual(await dump(s.pg, path.join(s.dir, 'dump-7.json'), 7), s.data);
  });

  test('Q0', async () => {
    await same(s, Q0);
  });

  test('Q1 (variables): every country, one in lower case, an unknown code', async () => {
    const codes = s.data.countries.map((c) => c.code).filter((c) => c != null);
    assert.ok(codes.length >= 20);
    let pledges = 0;
    let full = 0;
    for (const code of codes) {
      const edges = pledgesOf(await same(s, Q1_VARS, { code }));
      pledges += edges.length;
      if (edges.length === 20) full += 1;
    }
    assert.ok(pledges > 100, `${pledges} pledges across ${codes.length} countries`);
    // Without `first`, pledgesMade is a page of default_page_size (20) pledges.
    assert.ok(full >= 1, 'some country has a full page of pledges');
    const some = s.data.countries.find((c) => c.code && c.pledgesMade.length > 0);
    assert.ok(pledgesOf(await same(s, Q1_VARS, { code: some.code.toLowerCase() })).length >= 1);
    assert.equal((await same(s, Q1_VARS, { code: 'ZZ' })).data.country, null);
  });

  test('Q2: the first 50 commitments by id', async () => {
    const edges = edgesOf(await same(s, Q2));
    assert.equal(edges.length, 50);
    assert.ok(edges.some((e) => e.node.pledger && e.node.beneficiaries.length && e.node.amount?.value.money));
  });

  test('Q2 (variables): 50 ids, out of order, with an unknown id, more than a page', async () => {
    const all = s.data.commitments.map((c) => c.id);
    assert.ok(all.length > 200);
    const every7th = all.filter((_, i) => i % 7 === 3).slice(0, 50);
    assert.equal(edgesOf(await same(s, Q2_VARS, { ids: every7th })).length, 50);
    const shuffled = all.slice(100, 140).reverse().concat(all.slice(10, 20));
    assert.equal(edgesOf(await same(s, Q2_VARS, { ids: shuffled })).length, 50);
    const unknown = [all[5], 'commitment:no-such-pledge', all[2]];
    assert.equal(edgesOf(await same(s, Q2_VARS, { ids: unknown })).length, 2);
    assert.equal(edgesOf(await same(s, Q2_VARS, { ids: all.slice(0, 80).reverse() })).length, 50);
    const twice = [...all.slice(0, 3), ...all.slice(0, 3)];
    assert.equal(edgesOf(await same(s, Q2_VARS, { ids: twice })).length, 3);
  });
});
