// The Apollo Server 5 peer of the benchmarks: the part of pledgegraph's schema that Q0-Q2
// use, answered from a dump.mjs file held in memory.
// Usage: node server.mjs --data FILE [--port N]   (port 0, the default, picks a free one)
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// Copied from pledgegraph's schema.graphql, cut to the types, fields and arguments served.
export const typeDefs = `#graphql
schema {
  query: QueryRoot
}

type QueryRoot {
  "The country with this ISO 3166 alpha-2 code (\`JP\`, \`kr\`; \`EU\` for the European Union), any case; null when unknown."
  country(code: String!): Country
  "Commitments: who pledged what to whom."
  commitments(filter: CommitmentFilter, orderBy: [CommitmentOrder!], first: Int): CommitmentConnection!
}

"An entity of the graph: a node with an id, a kind and a name."
interface Entity {
  id: ID!
  kind: NodeKind!
  name: String!
}

type Country implements Entity {
  id: ID!
  kind: NodeKind!
  name: String!
  "ISO 3166 alpha-2 code (\`JP\`), or \`EU\` for the European Union."
  code: String
  "Commitments the country made, by id."
  pledgesMade(first: Int): CommitmentConnection!
}

type Commitment implements Entity {
  id: ID!
  kind: NodeKind!
  name: String!
  "Who promised it."
  pledger: Entity
  "Who gains by it."
  beneficiaries: [Entity!]!
  "The pledged amount now; none where it was not disclosed."
  amount: AmountClaim
}

type Person implements Entity { id: ID! kind: NodeKind! name: String! }
type Organization implements Entity { id: ID! kind: NodeKind! name: String! }
type Deal implements Entity { id: ID! kind: NodeKind! name: String! }
type Demand implements Entity { id: ID! kind: NodeKind! name: String! }
type TariffMeasure implements Entity { id: ID! kind: NodeKind! name: String! }
type Event implements Entity { id: ID! kind: NodeKind! name: String! }
type Statement implements Entity { id: ID! kind: NodeKind! name: String! }
type Project implements Entity { id: ID! kind: NodeKind! name: String! }
type Source implements Entity { id: ID! kind: NodeKind! name: String! }

type CommitmentConnection {
  "The items of the page with their cursors."
  edges: [CommitmentEdge!]!
}

type CommitmentEdge {
  "The item."
  node: Commitment!
}

type AmountClaim {
  "The value."
  value: AmountValue!
}

type AmountValue {
  "The amount in words: \\"USD 550 billion\\", \\"100 aircraft\\", \\"75%\\"."
  display: String!
  "A sum of money."
  money: Money
}

type Money {
  "The exact amount in units of the currency (not minor units)."
  amount: Decimal!
  "The ISO 4217 currency code."
  currency: String!
}

scalar Decimal

enum NodeKind {
  COUNTRY
  PERSON
  ORGANIZATION
  DEAL
  COMMITMENT
  DEMAND
  TARIFF_MEASURE
  EVENT
  STATEMENT
  PROJECT
  SOURCE
}

input CommitmentFilter {
  "The entity's id."
  id: IdFilter
}

input IdFilter {
  "Equal to this id."
  eq: ID
  "Equal to one of these ids."
  in: [ID!]
}

input CommitmentOrder {
  "The field to order by."
  field: CommitmentOrderField!
  "Smallest first (the default) or largest first."
  direction: OrderDirection! = ASC
}

enum CommitmentOrderField {
  ID
  NAME
  AMOUNT
  KIND
  STATUS
  CURRENCY
}

enum OrderDirection {
  ASC
  DESC
}
`;

// An id's prefix (`country:jp`) names its type, as in pledgegraph's src/model/id.rs.
const TYPES = {
  country: ['Country', 'COUNTRY'],
  person: ['Person', 'PERSON'],
  org: ['Organization', 'ORGANIZATION'],
  deal: ['Deal', 'DEAL'],
  commitment: ['Commitment', 'COMMITMENT'],
  demand: ['Demand', 'DEMAND'],
  tariff: ['TariffMeasure', 'TARIFF_MEASURE'],
  event: ['Event', 'EVENT'],
  statement: ['Statement', 'STATEMENT'],
  project: ['Project', 'PROJECT'],
  source: ['Source', 'SOURCE'],
};
const typeOf = (id) => TYPES[id.slice(0, id.indexOf(':'))];

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const asciiUpper = (s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string.',
  serialize: (v) => String(v),
  parseValue: (v) => String(v),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
    throw new GraphQLError('a Decimal is a string or a number');
  },
});

const badInput = (message) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The resolvers over a dump.mjs file's data, held in memory. */
export function makeResolvers(data) {
  const { defaultPageSize, maxPageSize } = data.limits;
  const commitments = [...data.commitments].sort(byId);
  const commitmentById = new Map(commitments.map((c) => [c.id, c]));
  const countryByCode = new Map();
  for (const c of data.countries) {
    const country = { ...c, pledgesMade: c.pledgesMade.map((p) => commitmentById.get(p.id) ?? p) };
    if (c.code != null) countryByCode.set(asciiUpper(c.code), country);
  }

  // pledgegraph's page size: `first`, or default_page_size without it; never above max_page_size.
  const pageSize = (first) => {
    if (first == null) return defaultPageSize;
    if (first < 0) throw badInput('`first` must not be negative');
    if (first > maxPageSize) {
      throw new GraphQLError(`\`first\` is at most ${maxPageSize}`, { extensions: { code: 'PAGE_SIZE_EXCEEDED' } });
    }
    return first;
  };
  const connection = (items) => ({ edges: items.map((node) => ({ node })) });
  const entity = {
    __resolveType: (e) => typeOf(e.id)[0],
  };
  const kind = { kind: (e) => typeOf(e.id)[1] };

  return {
    Decimal,
    QueryRoot: {
      country: (_, { code }) => countryByCode.get(asciiUpper(code)) ?? null,
      commitments: (_, { filter, orderBy, first }) => {
        const n = pageSize(first);
        for (const o of orderBy ?? []) {
          if (o.field !== 'ID') throw badInput(`ordering by ${o.field} is not served by this peer`);
        }
        const desc = orderBy?.[0]?.direction === 'DESC';
        const ids = filter?.id;
        let items;
        if (ids?.in != null || ids?.eq != null) {
          // Each known id once, however many times the list names it.
          const wanted = new Set(ids.in ?? [ids.eq]);
          items = [...wanted].map((id) => commitmentById.get(id)).filter((c) => c !== undefined);
          if (ids.in != null && ids.eq != null) items = items.filter((c) => c.id === ids.eq);
          items.sort(byId);
        } else {
          items = commitments;
        }
        if (desc) items = [...items].reverse();
        return connection(items.slice(0, n));
      },
    },
    Entity: entity,
    Country: {
      ...kind,
      pledgesMade: (country, { first }) => connection(country.pledgesMade.slice(0, pageSize(first))),
    },
    Commitment: kind,
    Person: kind,
    Organization: kind,
    Deal: kind,
    Demand: kind,
    TariffMeasure: kind,
    Event: kind,
    Statement: kind,
    Project: kind,
    Source: kind,
  };
}

/** Starts the peer on 127.0.0.1:`port` over `data`; resolves to its origin and a stop function. */
export async function startPeer(data, { port = 0 } = {}) {
  const server = new ApolloServer({
    typeDefs,
    resolvers: makeResolvers(data),
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port } });
  return { origin: `http://127.0.0.1:${new URL(url).port}`, stop: () => server.stop() };
}

async function main() {
  const { values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' } } });
  const port = Number(values.port ?? 0);
  if (!values.data || !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    console.error('usage: node server.mjs --data FILE [--port N]');
    process.exit(2);
  }
  const { origin } = await startPeer(JSON.parse(readFileSync(values.data, 'utf8')), { port });
  console.error(`listening on ${origin}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err.stack || err.message);
    process.exit(1);
  });
}
