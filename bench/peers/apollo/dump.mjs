// Dumps what the Apollo peer serves (every country with its pledges, every commitment)
// from a running pledgegraph's own GraphQL API into one JSON file.
// Usage: node dump.mjs --url http://127.0.0.1:PORT --out FILE [--page-size N]
import { realpathSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const LIMITS = '{ limits { defaultPageSize maxPageSize } }';

const pledges = (page) => `pledgesMade(first: ${page}, after: $pledgesAfter) {
  pageInfo { hasNextPage endCursor }
  edges { node { id kind amount { value { display } } } }
}`;

const countries = (page) => `query DumpCountries($after: String, $pledgesAfter: String) {
  countries(first: ${page}, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id code name ${pledges(page)} } }
  }
}`;

const morePledges = (page) => `query DumpPledges($id: ID!, $pledgesAfter: String) {
  node(id: $id) { ... on Country { ${pledges(page)} } }
}`;

const commitments = (page) => `query DumpCommitments($after: String) {
  commitments(first: ${page}, after: $after, orderBy: [{field: ID}]) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id kind name
      pledger { id name }
      beneficiaries { id name }
      amount { value { display money { amount currency } } }
    } }
  }
}`;

/** POSTs one query; returns its data, throwing on any HTTP or GraphQL error. */
async function graphql(url, query, variables) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}/graphql answered HTTP ${res.status}: ${text}`);
  const body = JSON.parse(text);
  if (body.errors) throw new Error(`${url}/graphql answered errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * Reads every country (with all its pledges) and every commitment from pledgegraph at `url`,
 * `pageSize` items a page (at most 100, and at most the server's `maxPageSize`).
 */
export async function dump(url, { pageSize = 100 } = {}) {
  url = url.replace(/\/+$/, '');
  const { limits } = await graphql(url, LIMITS);
  const page = Math.min(pageSize, limits.maxPageSize);
  const out = { limits, countries: [], commitments: [] };
  for (let after = null; ;) {
    const { countries: list } = await graphql(url, countries(page), { after, pledgesAfter: null });
    for (const { node } of list.edges) {
      const made = node.pledgesMade.edges.map((e) => e.node);
      for (let info = node.pledgesMade.pageInfo; info.hasNextPage;) {
        const { node: more } = await graphql(url, morePledges(page), { id: node.id, pledgesAfter: info.endCursor });
        made.push(...more.pledgesMade.edges.map((e) => e.node));
        info = more.pledgesMade.pageInfo;
      }
      out.countries.push({ id: node.id, code: node.code, name: node.name, pledgesMade: made });
    }
    if (!list.pageInfo.hasNextPage) break;
    after = list.pageInfo.endCursor;
  }
  for (let after = null; ;) {
    const { commitments: list } = await graphql(url, commitments(page), { after });
    out.commitments.push(...list.edges.map((e) => e.node));
    if (!list.pageInfo.hasNextPage) break;
    after = list.pageInfo.endCursor;
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, out: { type: 'string' }, 'page-size': { type: 'string' } },
  });
  const pageSize = Number(values['page-size'] ?? 100);
  if (!values.url || !values.out || !(Number.isInteger(pageSize) && pageSize > 0)) {
    console.error('usage: node dump.mjs --url http://127.0.0.1:PORT --out FILE [--page-size N]');
    process.exit(2);
  }
  const data = await dump(values.url, { pageSize });
  writeFileSync(values.out, JSON.stringify(data));
  console.error(`dumped ${data.countries.length} countries and ${data.commitments.length} commitments to ${values.out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
