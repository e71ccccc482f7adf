// Runs the graphql-http audit suite (GraphQL over HTTP, pinned in package-lock.json)
// against the real server: starts `pledgegraph serve` on 127.0.0.1:0, prints every audit's
// result, and exits non-zero on any MUST failure or SHOULD warning.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { auditServer } = require('graphql-http');

const ROOT = path.resolve(__dirname, '..', '..');
// Where cargo builds: CARGO_TARGET_DIR when set (relative to the repository), else target/.
const TARGET = path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target');
const BINARY = path.join(TARGET, 'debug', 'pledgegraph');
// Generous: only a broken start should ever reach it.
const SERVER_START_MS = 120_000;

function startServer() {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: run \`cargo build\` first`);
  }
  const child = spawn(BINARY, ['serve', '--addr', '127.0.0.1:0'], {
    cwd: ROOT,
    env: { ...process.env, RUST_LOG: 'warn,pledgegraph=info', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not say where it listens within ${SERVER_START_MS} ms:\n${log}`));
    }, SERVER_START_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${log}`));
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ origin: m[1], child });
      }
    });
  });
}

async function main() {
  const server = await startServer();
  let results;
  try {
    results = await auditServer({ url: `${server.origin}/graphql` });
  } finally {
    server.child.kill('SIGTERM');
  }
  let ok = 0;
  let notice = 0;
  let warn = 0;
  let error = 0;
  for (const result of results) {
    if (result.status === 'ok') {
      ok += 1;
      console.log(`ok      ${result.name}`);
    } else {
      if (result.status === 'notice') notice += 1;
      else if (result.status === 'warn') warn += 1;
      else error += 1;
      console.log(`${result.status.padEnd(7)} ${result.name}: ${result.reason}`);
      if (result.response) {
        const body = await result.response.text().catch(() => '');
        console.log(`        -> ${result.response.status} ${result.response.headers.get('content-type')} ${body.slice(0, 300)}`);
      }
    }
  }
  console.log(`graphql-http audit: ${results.length} audits, ${ok} passed, ${error} MUST failures, ${warn} SHOULD warnings, ${notice} MAY notices`);
  process.exitCode = error === 0 && warn === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
