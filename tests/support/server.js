// Starts the real pledgegraph server for the node test suites (tests/browser,
// tests/http-audit): `target/debug/pledgegraph serve` on 127.0.0.1:0, resolved once it
// prints where it listens. Node's standard library only, so any suite can require it.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
// Where cargo builds: CARGO_TARGET_DIR when set (relative to the repository), else target/.
const TARGET = path.resolve(ROOT, process.env.CARGO_TARGET_DIR || 'target');
const BINARY = path.join(TARGET, 'debug', 'pledgegraph');

// Generous for a loaded 2-core machine: only a broken start should ever reach it.
const SERVER_START_MS = 120_000;

/**
 * Starts `pledgegraph serve` on `addr` (127.0.0.1:0 unless given; with `--seed` when given, and any further
 * arguments in `args`) and resolves once it prints where it listens.
 */
function startServer({ seed, addr = '127.0.0.1:0', args: extra = [] } = {}) {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`${BINARY} is missing: run \`cargo build\` first`);
  }
  const args = ['serve', '--addr', addr];
  if (seed) args.push('--seed', seed);
  args.push(...extra);
  const child = spawn(BINARY, args, {
    cwd: ROOT,
    env: { ...process.env, RUST_LOG: 'info', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not say where it listens within ${SERVER_START_MS} ms:\n${log}`));
    }, SERVER_START_MS);
    const early = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${log}`));
    };
    child.on('exit', early);
    child.stderr.setEncoding('utf8');
    let listening = false;
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.length > 200_000) log = log.slice(-100_000);
      if (listening) return;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        listening = true;
        clearTimeout(timer);
        child.removeListener('exit', early);
        resolve({
          origin: m[1],
          log: () => log,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => { clearTimeout(kill); done(); });
            child.kill('SIGTERM');
          }),
        });
      }
    });
  });
}

module.exports = { ROOT, BINARY, startServer };
