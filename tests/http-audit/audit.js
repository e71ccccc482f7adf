// Runs the graphql-http audit suite (GraphQL over HTTP, pinned in package-lock.json)
// against the real server: starts `pledgegraph serve` on 127.0.0.1:0, prints every audit's
// result, and exits non-zero on any MUST failure or SHOULD warning.
'use strict';

const { auditServer } = require('graphql-http');
const { startServer } = require('../support/server');

async function main() {
  const server = await startServer();
  let results;
  try {
    results = await auditServer({ url: `${server.origin}/graphql` });
  } finally {
    await server.stop();
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
