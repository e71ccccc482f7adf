// pledgegraph explorer: search an entity, draw its neighbourhood, expand it, read every
// fact's source. Plain JS, no build step; everything comes from this server: the page
// from /explore, the vendored cytoscape + fcose UMD builds from /assets/vendor/, the data
// from the GraphQL API at POST /graphql and nowhere else.
//
// The view lives in the URL hash (#entity=deal:us-jp-2025&depth=2&asOf=2025-07-01&...),
// so a view can be shared and reloaded: every control writes the hash, and `sync()` makes
// the page match the hash (it is the only place that loads data).
//
// "Open in playground" links to `/?query=…&variables=…` with the exact query the explorer
// ran; the playground opens it first, with its variables, ready to run. "Copy query" puts
// the query and its variables on the clipboard.
//
// Test hook: window.__explore (see the bottom of this file).
(function () {
  'use strict';

  // ===================================================================================
  // Constants
  // ===================================================================================

  const GRAPHQL_URL = '/graphql';
  const DEFAULT_ENTITY = 'deal:us-jp-2025';
  const DEFAULTS = { depth: 1, dir: 'BOTH', limit: 200 };
  // The time slider covers 2025 day by day; its last step means "today" (no asOf).
  const SLIDER_START = Date.UTC(2025, 0, 1);
  const SLIDER_DAYS = 365; // 0 = 2025-01-01 ... 364 = 2025-12-31, 365 = today
  // Past this many elements the graph drops edge labels and uses cheaper edges.
  const BIG_GRAPH = 300;

  // Node kinds: label, colour, cytoscape shape. Colours from the Tableau 10 palette,
  // shapes distinct so the legend does not rely on colour alone.
  const KINDS = {
    COUNTRY: { label: 'Country', color: '#4e79a7', shape: 'ellipse', size: 40 },
    PERSON: { label: 'Person', color: '#f28e2b', shape: 'round-triangle', size: 32 },
    ORGANIZATION: { label: 'Organization', color: '#76b7b2', shape: 'round-rectangle', size: 32 },
    DEAL: { label: 'Deal', color: '#e15759', shape: 'star', size: 46 },
    COMMITMENT: { label: 'Commitment', color: '#59a14f', shape: 'diamond', size: 36 },
    DEMAND: { label: 'Demand', color: '#d37295', shape: 'vee', size: 34 },
    TARIFF_MEASURE: { label: 'Tariff measure', color: '#b07aa1', shape: 'hexagon', size: 36 },
    EVENT: { label: 'Event', color: '#edc948', shape: 'pentagon', size: 30 },
    STATEMENT: { label: 'Statement', color: '#ff9da7', shape: 'rhomboid', size: 28 },
    PROJECT: { label: 'Project', color: '#9c755f', shape: 'octagon', size: 32 },
    SOURCE: { label: 'Source', color: '#bab0ac', shape: 'rectangle', size: 26 },
  };
  const KIND_NAMES = Object.keys(KINDS);

  // Relation kinds as in schema.graphql; replaced by the server's own list (introspection)
  // at start-up, so a new kind shows up in the filters without a page change.
  let RELATIONS = [
    'HOLDS_ROLE', 'BASED_IN', 'PART_OF', 'MEMBER_OF', 'PARTY_TO', 'PLEDGED', 'BENEFITS',
    'IN_EXCHANGE_FOR', 'SUPPLIES', 'REVISED', 'IMPOSES', 'TARGETS', 'ATTENDED', 'HELD_AT',
    'SAID', 'MADE_AT', 'ABOUT', 'REPORTED_BY', 'PUBLISHED_BY', 'PARTICIPATES_IN',
    'INVITED_TO', 'RIVAL_OF', 'ALLY_OF', 'PRESSURES',
  ].map((name) => ({ name, description: '' }));

  const words = (e) => String(e || '').toLowerCase().replace(/_/g, ' ');

  // Relation families: each drawn in a colour and a dash of its own (the legend shows
  // them), and each can be labelled for good from the legend. A kind not listed here (a new
  // one on the server) is drawn as context.
  const FAMILIES = {
    pledges: {
      label: 'Pledges and exchanges', color: '#15803d', dash: 'solid',
      kinds: ['PLEDGED', 'BENEFITS', 'IN_EXCHANGE_FOR', 'REVISED', 'SUPPLIES'],
    },
    tariffs: { label: 'Tariffs and pressure', color: '#c2410c', dash: 'solid', kinds: ['IMPOSES', 'TARGETS', 'PRESSURES'] },
    structure: {
      label: 'Part of, party to, roles', color: '#475569', dash: 'solid',
      kinds: ['PART_OF', 'PARTY_TO', 'MEMBER_OF', 'BASED_IN', 'HOLDS_ROLE', 'PUBLISHED_BY'],
    },
    ties: { label: 'Allies and rivals', color: '#1d4ed8', dash: 'dotted', kinds: ['ALLY_OF', 'RIVAL_OF'] },
    context: {
      label: 'Said, met, reported', color: '#8b8f98', dash: 'dashed',
      kinds: ['ATTENDED', 'HELD_AT', 'SAID', 'MADE_AT', 'ABOUT', 'REPORTED_BY', 'PARTICIPATES_IN', 'INVITED_TO'],
    },
  };
  const FAMILY_NAMES = Object.keys(FAMILIES);
  const familyOf = (kind) => FAMILY_NAMES.find((f) => FAMILIES[f].kinds.includes(kind)) || 'context';
  // The kinds whose value (an amount, a rate's change) the relations next to them repeat:
  // the value is drawn once, under the node's name.
  const VALUED = new Set(['COMMITMENT', 'TARIFF_MEASURE', 'PROJECT', 'DEMAND']);
  const SELECTED = '#d60590';

  // ===================================================================================
  // GraphQL
  // ===================================================================================

  const SUBGRAPH_FIELDS = `
fragment ExplorerSubgraph on Subgraph {
  truncated
  nodes { id kind label depth }
  edges { id kind source target label }
}`;

  const VIEW_QUERY = `query ExplorerView(
  $ids: [ID!]!, $depth: Int!, $direction: Direction!, $limit: Int!,
  $relations: [RelationKind!], $kinds: [NodeKind!], $asOf: Date,
  $expanded: [ID!]!, $withExpanded: Boolean!
) {
  view: neighborhood(ids: $ids, depth: $depth, direction: $direction, limit: $limit,
                     relations: $relations, kinds: $kinds, asOf: $asOf) {
    ...ExplorerSubgraph
  }
  expanded: neighborhood(ids: $expanded, depth: 1, direction: $direction, limit: $limit,
                         relations: $relations, kinds: $kinds, asOf: $asOf)
    @include(if: $withExpanded) {
    ...ExplorerSubgraph
  }
}
${SUBGRAPH_FIELDS}`;

  const EXPAND_QUERY = `query ExplorerExpand(
  $ids: [ID!]!, $direction: Direction!, $limit: Int!,
  $relations: [RelationKind!], $kinds: [NodeKind!], $asOf: Date
) {
  neighborhood(ids: $ids, depth: 1, direction: $direction, limit: $limit,
               relations: $relations, kinds: $kinds, asOf: $asOf) {
    ...ExplorerSubgraph
  }
}
${SUBGRAPH_FIELDS}`;

  // Every edge among the given nodes (depth 0 from all of them: the induced subgraph).
  // Used after merging an expansion into the drawn graph, whose separate neighbourhoods
  // miss the edges between a new node and a drawn node that is not next to the expanded one.
  const EDGES_AMONG_QUERY = `query ExplorerEdgesAmong(
  $ids: [ID!]!, $limit: Int!, $relations: [RelationKind!], $asOf: Date
) {
  neighborhood(ids: $ids, depth: 0, limit: $limit, relations: $relations, asOf: $asOf) {
    edges { id kind source target label }
  }
}`;

  const SEARCH_QUERY = `query ExplorerSearch($text: String!, $first: Int!) {
  search(text: $text, first: $first) {
    matched field text
    entity { id kind name }
  }
}`;

  const CLAIM_FIELDS = `
fragment ExplorerWhen on When { date precision inferred note display }
fragment ExplorerCitation on Citation {
  line text attribution note
  source { id title sourceKind }
}`;
  // The parts every claim type shares; spread into each claim selection below.
  const CLAIM = `key rank approximate supersedes caveat note
    validFrom { ...ExplorerWhen } validUntil { ...ExplorerWhen }
    attribution { text by { id name } }
    madeBy { id name }
    sources { ...ExplorerCitation }`;
  const REF = '{ id kind name }';

  const ENTITY_QUERY = `query ExplorerEntity($id: ID!, $asOf: Date) {
  entity(id: $id) {
    __typename id kind name aliases description
    sources { ...ExplorerCitation }
    ... on Country { code bloc }
    ... on Person {
      role(asOf: $asOf) { value { title organization ${REF} } }
      roles(includeDeprecated: true) { value { title organization ${REF} } ${CLAIM} }
      memberOf ${REF}
    }
    ... on Organization { organizationKind country ${REF} parent ${REF} }
    ... on Deal {
      parties ${REF}
      announced { ...ExplorerWhen } deadline { ...ExplorerWhen }
      status(asOf: $asOf) { value }
      statusHistory(includeDeprecated: true) { value ${CLAIM} }
    }
    ... on Commitment {
      commitmentKind period item
      pledger ${REF} beneficiaries ${REF} suppliers ${REF} deal ${REF}
      partOf ${REF} inExchangeFor ${REF} answers ${REF}
      amount(asOf: $asOf) { value { display } approximate validFrom { ...ExplorerWhen } }
      amountHistory(includeDeprecated: true) { value { display } ${CLAIM} }
      increase { display }
      baseline(asOf: $asOf) { value { display } }
      limit(asOf: $asOf) { value { display } }
      commitmentStatus: status(asOf: $asOf) { value }
      statusHistory(includeDeprecated: true) { value ${CLAIM} }
    }
    ... on Demand {
      item demander ${REF} demandedOf ${REF} deal ${REF} inExchangeFor ${REF}
      deadline { ...ExplorerWhen } attribution { text }
      demandStatus: status(asOf: $asOf) { value }
      statusHistory(includeDeprecated: true) { value ${CLAIM} }
      answeredBy ${REF}
    }
    ... on TariffMeasure {
      scope imposer ${REF} target ${REF} deal ${REF}
      rate(asOf: $asOf) { value { display } validFrom { ...ExplorerWhen } }
      rateHistory(includeDeprecated: true) { value { display } ${CLAIM} }
      tariffStatus: status(asOf: $asOf) { value }
      statusHistory(includeDeprecated: true) { value ${CLAIM} }
      volumeLimitHistory(includeDeprecated: true) {
        value { unlimited quantity { display } } ${CLAIM}
      }
      exchangedFor ${REF}
    }
    ... on Event {
      eventKind date { ...ExplorerWhen } place venue ${REF} deal ${REF}
      participants ${REF}
      durationHistory(includeDeprecated: true) { value { display } ${CLAIM} }
    }
    ... on Statement {
      statementKind speaker ${REF} quotes date { ...ExplorerWhen } caveat
      subjects ${REF} reportedBy ${REF} event ${REF}
    }
    ... on Project {
      place participants ${REF} invited ${REF}
      valueHistory(includeDeprecated: true) { value { display } ${CLAIM} }
    }
    ... on Source {
      sourceKind title file published { ...ExplorerWhen } publisher ${REF}
    }
  }
}
${CLAIM_FIELDS}`;

  // One relation, for the panel when an edge is clicked: read from its source entity's
  // relations of its kind (the API has no lookup of a relation by id).
  const RELATION_QUERY = `query ExplorerRelation($from: ID!, $kinds: [RelationKind!]) {
  entity(id: $from) {
    relations(kinds: $kinds, first: 100) {
      edges { node {
        id kind label note impliedBy
        from { id kind name } to { id kind name }
        validFrom { ...ExplorerWhen } validUntil { ...ExplorerWhen }
        attribution { text }
        sources { ...ExplorerCitation }
      } }
    }
  }
}
${CLAIM_FIELDS}`;

  // A source and the citations of the drawn nodes and relations (depth 0: the edges among
  // them), for the source view.
  const SOURCE_QUERY = `query ExplorerSource($id: ID!, $ids: [ID!]!, $limit: Int!, $asOf: Date) {
  source(id: $id) {
    id title file sourceKind description
    published { ...ExplorerWhen } publisher { id kind name }
  }
  neighborhood(ids: $ids, depth: 0, limit: $limit, asOf: $asOf) {
    nodes { id kind label entity { sources { ...ExplorerCitation } } }
    edges { id kind source target relation { sources { ...ExplorerCitation } } }
  }
}
${CLAIM_FIELDS}`;

  const PATHS_QUERY = `query ExplorerPaths($from: ID!, $to: ID!, $maxLength: Int!, $relations: [RelationKind!]) {
  paths(from: $from, to: $to, maxLength: $maxLength, relations: $relations, limit: 5) {
    length
    nodes { id kind label depth }
    edges { id kind source target label }
  }
}`;

  // What a side gave: its commitments and the tariff cuts it conceded; what it got: the
  // tariff changes in its favour and the commitments made to it.
  const SIDE_FIELDS = `
fragment ExplorerCommitment on Commitment {
  id name commitmentKind period
  amount(asOf: $asOf) { value { display } approximate }
  status(asOf: $asOf) { value }
}
fragment ExplorerTariffChange on TariffChange {
  measure { id name scope }
  before { value { display } validFrom { date inferred display } }
  after { value { display } validFrom { date inferred display } }
}
fragment ExplorerSide on ExchangeSide {
  party { id kind name }
  gave { ...ExplorerCommitment }
  conceded { ...ExplorerTariffChange }
  got { ...ExplorerTariffChange }
  received { ...ExplorerCommitment }
}`;

  const DEAL_QUERY = `query ExplorerDeal($id: ID!, $asOf: Date) {
  deal(id: $id) {
    id name description
    parties { id name }
    status(asOf: $asOf) { value }
    announced { date inferred }
    exchange(asOf: $asOf) { ...ExplorerSide }
  }
}
${SIDE_FIELDS}`;

  const COMPARE_QUERY = `query ExplorerCompare($ids: [ID!]!, $asOf: Date) {
  compare(countries: $ids, asOf: $asOf) { ...ExplorerSide }
}
${SIDE_FIELDS}`;

  const RELATION_KINDS_QUERY = `query ExplorerRelationKinds {
  __type(name: "RelationKind") { enumValues { name description } }
}`;

  const TIMELINE_QUERY = `query ExplorerTimeline {
  timeline(from: "2025-01-01", to: "2025-12-31", first: 100) {
    edges { node {
      date { date precision inferred display notBefore { date } notAfter { date } }
      kind title entity { id name }
    } }
  }
}`;

  let inflight = 0;
  const requestLog = []; // [{ operationName, variables }] for the test hook
  const unanswered = new Map(); // request number -> operation name, while it is in flight
  let requestNumber = 0;

  class ApiError extends Error {
    constructor(message, code) {
      super(message);
      this.code = code;
    }
  }

  async function gql(query, variables) {
    const operationName = (/(?:query|mutation)\s+(\w+)/.exec(query) || [])[1];
    requestLog.push({ operationName, variables });
    inflight += 1;
    requestNumber += 1;
    const number = requestNumber;
    unanswered.set(number, operationName);
    try {
      const response = await fetch(GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables, operationName }),
      });
      let body = null;
      try {
        body = await response.json();
      } catch (_) {
        throw new ApiError(`the server answered HTTP ${response.status}`, 'HTTP');
      }
      serverAnswered();
      if (body.errors && body.errors.length) {
        const first = body.errors[0];
        throw new ApiError(
          body.errors.map((e) => e.message).join('; '),
          (first.extensions && first.extensions.code) || 'ERROR',
        );
      }
      return body.data;
    } finally {
      inflight -= 1;
      unanswered.delete(number);
    }
  }

  // ===================================================================================
  // Live: committed changes over graphql-ws (/graphql/ws, the graphql-transport-ws
  // protocol). A change that names a drawn entity reloads the view in place: what is drawn
  // keeps its place, new nodes are laid out beside their neighbours, what went is taken
  // away. A server without a data directory never sends one. A lost connection is opened
  // again once the server answers a request, from the last version seen.
  // ===================================================================================

  const LIVE_QUERY = `subscription ExplorerLive($since: Int) {
  changes(since: $since) { version entities { id } }
}`;
  let liveSocket = null;
  let liveVersion = null;
  let liveChanges = 0;
  let liveRefused = false; // closed before the server accepted it: not tried again

  function serverAnswered() {
    if (!liveSocket && !liveRefused && 'WebSocket' in window) openLive();
  }

  function openLive() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql/ws`, 'graphql-transport-ws');
    liveSocket = ws;
    const send = (msg) => ws.send(JSON.stringify(msg));
    let accepted = false;
    ws.addEventListener('open', () => send({ type: 'connection_init', payload: {} }));
    ws.addEventListener('message', (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (msg.type === 'connection_ack') {
        accepted = true;
        send({ id: 'live', type: 'subscribe', payload: { query: LIVE_QUERY, variables: { since: liveVersion } } });
      } else if (msg.type === 'ping') {
        send({ type: 'pong' });
      } else if (msg.type === 'next' && msg.payload && msg.payload.data) {
        const batch = msg.payload.data.changes;
        liveVersion = batch.version;
        liveChanged(batch.entities.map((e) => e.id));
      }
    });
    ws.addEventListener('close', () => {
      if (liveSocket === ws) liveSocket = null;
      if (!accepted) liveRefused = true;
    });
  }

  function liveChanged(ids) {
    liveChanges += 1;
    if (!ids.some((id) => cy.getElementById(id).nonempty())) return;
    loadedKey = null; // load the same view again; loadGraph keeps what is drawn in place
    if (ids.includes(state.sel)) panelKey = null;
    sync();
  }

  // ===================================================================================
  // Small DOM helpers (no innerHTML with data)
  // ===================================================================================

  const $ = (id) => document.getElementById(id);

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return el;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    return el;
  }

  // A small picture of a kind's node shape, for the legend and the panel.
  function kindIcon(kind, size = 16) {
    const k = KINDS[kind] || KINDS.SOURCE;
    const s = svg('svg', { width: size, height: size, viewBox: '0 0 20 20', 'aria-hidden': 'true', class: 'ex-icon' });
    const poly = (n, r, rot = -Math.PI / 2, cx = 10, cy = 10) => Array.from({ length: n }, (_, i) => {
      const a = rot + (i * 2 * Math.PI) / n;
      return `${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`;
    }).join(' ');
    const common = { fill: k.color, stroke: '#1f2937', 'stroke-width': '1' };
    let shape;
    switch (k.shape) {
      case 'ellipse': shape = svg('circle', { cx: 10, cy: 10, r: 8.5, ...common }); break;
      case 'round-triangle': shape = svg('polygon', { points: poly(3, 9.5, -Math.PI / 2, 10, 11.5), 'stroke-linejoin': 'round', ...common }); break;
      case 'round-rectangle': shape = svg('rect', { x: 2, y: 3.5, width: 16, height: 13, rx: 3.5, ...common }); break;
      case 'star': {
        const pts = Array.from({ length: 10 }, (_, i) => {
          const r = i % 2 ? 4 : 9.5;
          const a = -Math.PI / 2 + (i * Math.PI) / 5;
          return `${(10 + r * Math.cos(a)).toFixed(2)},${(10.5 + r * Math.sin(a)).toFixed(2)}`;
        }).join(' ');
        shape = svg('polygon', { points: pts, ...common });
        break;
      }
      case 'diamond': shape = svg('polygon', { points: '10,1 19,10 10,19 1,10', ...common }); break;
      case 'hexagon': shape = svg('polygon', { points: poly(6, 9, 0), ...common }); break;
      case 'pentagon': shape = svg('polygon', { points: poly(5, 9.5, -Math.PI / 2, 10, 10.8), ...common }); break;
      case 'rhomboid': shape = svg('polygon', { points: '5,3 19,3 15,17 1,17', ...common }); break;
      case 'octagon': shape = svg('polygon', { points: poly(8, 9.5, Math.PI / 8), ...common }); break;
      case 'vee': shape = svg('polygon', { points: '1,2 10,8 19,2 10,19', ...common }); break;
      default: shape = svg('rect', { x: 2.5, y: 2.5, width: 15, height: 15, ...common });
    }
    s.appendChild(shape);
    return s;
  }

  function whenText(w) {
    if (!w) return '';
    // `display` says "between A and B" for a date known only as a range.
    return w.display || (w.date + (w.inferred ? ' (inferred)' : ''));
  }

  function isoDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  // ===================================================================================
  // State <-> URL hash
  // ===================================================================================
  //
  // entity  the root (default deal:us-jp-2025)   depth  1..4        dir  BOTH|OUTGOING|INCOMING
  // limit   max nodes                             kinds  NodeKinds   rels RelationKinds (all when absent)
  // asOf    YYYY-MM-DD (today when absent)        sel    selected id (the root when absent)
  // x       expanded ids
  // from,to path endpoints  path  which path (0..)
  // deal    the deal whose exchange is open (or a country: what it gave and got, all deals)

  function parseHash(hash) {
    const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
    const list = (k) => (p.get(k) ? p.get(k).split(',').filter(Boolean) : null);
    const int = (k, d, lo, hi) => {
      const n = parseInt(p.get(k), 10);
      return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
    };
    const dir = p.get('dir');
    const asOf = p.get('asOf');
    const kinds = list('kinds');
    const rels = list('rels');
    const entity = p.get('entity') || DEFAULT_ENTITY;
    return {
      entity,
      depth: int('depth', DEFAULTS.depth, 1, 4),
      dir: ['BOTH', 'OUTGOING', 'INCOMING'].includes(dir) ? dir : DEFAULTS.dir,
      limit: int('limit', DEFAULTS.limit, 1, 2000),
      kinds: kinds ? kinds.filter((k) => KINDS[k]) : null,
      rels,
      asOf: asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null,
      sel: p.get('sel') || entity, // the root is selected unless another node is
      x: list('x') || [],
      from: p.get('from') || null,
      to: p.get('to') || null,
      path: int('path', 0, 0, 19),
      deal: p.get('deal') || null,
    };
  }

  function formatHash(s) {
    const parts = [['entity', s.entity]];
    if (s.depth !== DEFAULTS.depth) parts.push(['depth', s.depth]);
    if (s.dir !== DEFAULTS.dir) parts.push(['dir', s.dir]);
    if (s.limit !== DEFAULTS.limit) parts.push(['limit', s.limit]);
    if (s.kinds) parts.push(['kinds', s.kinds.join(',')]);
    if (s.rels) parts.push(['rels', s.rels.join(',')]);
    if (s.asOf) parts.push(['asOf', s.asOf]);
    if (s.x && s.x.length) parts.push(['x', s.x.join(',')]);
    if (s.sel && s.sel !== s.entity) parts.push(['sel', s.sel]);
    if (s.from) parts.push(['from', s.from]);
    if (s.to) parts.push(['to', s.to]);
    if ((s.from || s.to) && s.path) parts.push(['path', s.path]);
    if (s.deal) parts.push(['deal', s.deal]);
    // Ids stay readable: ':' and ',' need no escaping in a fragment.
    return '#' + parts
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%3A/gi, ':').replace(/%2C/gi, ',')}`)
      .join('&');
  }

  let state = parseHash(location.hash);

  // Changes the state, writes the URL (push: a new history entry, for a new root) and
  // brings the page in line.
  function setState(patch, { push = false } = {}) {
    state = { ...state, ...patch };
    const hash = formatHash(state);
    if (hash !== location.hash) {
      if (push) history.pushState(null, '', hash);
      else history.replaceState(null, '', hash);
    }
    return sync();
  }

  window.addEventListener('popstate', () => {
    state = parseHash(location.hash);
    sync();
  });
  window.addEventListener('hashchange', () => {
    const next = parseHash(location.hash);
    if (formatHash(next) !== formatHash(state)) {
      state = next;
      sync();
    }
  });

  // ===================================================================================
  // The graph (cytoscape + fcose)
  // ===================================================================================

  const statusEl = $('status');
  const missing = ['cytoscape', 'layoutBase', 'coseBase', 'cytoscapeFcose'].filter((g) => !(g in window));
  if (missing.length) {
    statusEl.textContent = `The explorer could not start: ${missing.join(', ')} did not load from /assets/vendor/.`;
    statusEl.classList.add('ex-error');
    return;
  }
  window.cytoscape.use(window.cytoscapeFcose);

  // Labels are sized in the graph's units and drawn only where they come out at 11 px or
  // more (min-zoomed-font-size). A small graph's labels are scaled, when it is fitted, to
  // come out at 12 px at that zoom (`labelScale`), and the nodes are then parted so that
  // no label overlaps another node or label.
  let labelScale = 1;
  const scaled = (px) => () => px * labelScale;

  function stylesheet(big) {
    const nodeStyles = KIND_NAMES.map((kind) => ({
      selector: `node[kind = "${kind}"]`,
      style: {
        'background-color': KINDS[kind].color,
        shape: KINDS[kind].shape,
        width: KINDS[kind].size * (big ? 0.5 : 1),
        height: KINDS[kind].size * (big ? 0.5 : 1),
      },
    }));
    const edgeStyles = FAMILY_NAMES.map((f) => ({
      selector: `edge[family = "${f}"]`,
      style: { 'line-color': FAMILIES[f].color, 'target-arrow-color': FAMILIES[f].color, 'line-style': FAMILIES[f].dash },
    }));
    const edgeLabel = {
      label: 'data(text)',
      'font-size': big ? 10 : scaled(11),
      'min-zoomed-font-size': 11,
      color: '#1f2937',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': 1,
      'text-wrap': 'ellipsis',
      'text-max-width': big ? 160 : scaled(200),
    };
    return [
      {
        selector: 'node',
        style: {
          // A big graph's labels are the bare names, on one line.
          label: big ? 'data(name)' : 'data(label)',
          'font-family': 'system-ui, sans-serif',
          'font-size': big ? 10 : scaled(12),
          color: '#111827',
          'text-valign': 'bottom',
          'text-halign': 'center',
          'text-margin-y': big ? 3 : scaled(3),
          // Big graphs cut each label to one line (the whole name is in the panel and the
          // node list): long names wrapped over several lines would cover crowded neighbours.
          'text-wrap': big ? 'ellipsis' : 'wrap',
          'text-max-width': big ? 80 : scaled(130),
          // Edges pass under a label, not across it.
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.85,
          'text-background-padding': 1,
          'border-width': 1,
          'border-color': '#374151',
          // Big graphs show node labels only once zoomed in past 1.5x; no label is ever
          // drawn under 11 px.
          'min-zoomed-font-size': big ? 15 : 11,
        },
      },
      ...nodeStyles,
      {
        selector: 'node.root',
        style: { 'border-width': 4, 'border-color': '#111827', 'border-style': 'double', 'font-weight': 'bold' },
      },
      {
        selector: 'edge',
        style: {
          width: big ? 0.8 : 1.6,
          'curve-style': big ? 'straight' : 'bezier',
          'target-arrow-shape': big ? 'none' : 'triangle',
          'arrow-scale': 0.9,
          opacity: big ? 0.7 : 0.9,
          // Only a bundle's count is drawn by default ("×2"); names and values on hover.
          label: 'data(short)',
          'font-size': big ? 10 : scaled(11),
          'min-zoomed-font-size': 11,
          color: '#1f2937',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.9,
          'text-background-padding': 1,
        },
      },
      ...edgeStyles,
      { selector: 'edge[family = "context"]', style: { width: big ? 0.6 : 1.1 } },
      { selector: 'edge[count > 1]', style: { width: big ? 1.6 : 3.2 } },
      { selector: 'edge.bundled', style: { display: 'none' } },
      // Labels that would come out under 11 px at this zoom (see `hideTinyLabels`).
      { selector: '.tiny', style: { 'text-opacity': 0 } },
      // ...but the centre's, the selection's and the one pointed at, sized for the zoom
      // when they take the class (or are pointed at).
      {
        selector: 'node.root.tiny, node.tiny:selected, node.tiny.hover',
        style: {
          'text-opacity': 1, 'z-index': 20,
          'font-size': () => Math.max(12, 12.5 / cy.zoom()), 'text-max-width': () => Math.max(130, 135 / cy.zoom()),
        },
      },
      { selector: 'edge.hover, edge.sel-label, edge.picked, edge:selected', style: { ...edgeLabel, opacity: 1, 'z-index': 5 } },
      {
        selector: 'node:selected',
        style: { 'border-width': 4, 'border-style': 'solid', 'border-color': SELECTED, 'overlay-opacity': 0 },
      },
      { selector: 'edge:selected', style: { 'line-color': SELECTED, 'target-arrow-color': SELECTED, 'line-style': 'solid' } },
      { selector: '.faded', style: { opacity: 0.18 } },
      {
        selector: 'node.on-path',
        style: { 'border-width': 5, 'border-color': SELECTED, opacity: 1, 'z-index': 10 },
      },
      {
        selector: 'edge.on-path',
        style: {
          ...edgeLabel, width: 4, 'line-color': SELECTED, 'target-arrow-color': SELECTED, opacity: 1, 'z-index': 10,
          color: '#7a0350', 'font-weight': 'bold',
        },
      },
    ];
  }

  let big = false;
  const cy = window.cytoscape({
    container: $('cy'),
    style: stylesheet(false),
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
  });

  // Cytoscape hit-tests a click against where it last saw its box on the page, and notices a
  // new size only 100 ms late (a move without one not at all): a status that wraps to a second
  // line moves the graph down, and a click in between lands on what lies a line above. So the
  // box is measured again at once whenever the graph's head or the graph itself changes size.
  let placed = null;
  function keepPlace() {
    const r = cy.container().getBoundingClientRect();
    if (placed && r.x === placed.x && r.y === placed.y && r.width === placed.width && r.height === placed.height) return;
    placed = r;
    cy.resize();
  }
  if (typeof ResizeObserver !== 'undefined') {
    const watch = new ResizeObserver(keepPlace);
    watch.observe($('cy'));
    watch.observe(document.querySelector('.ex-graph-head'));
  }

  function setBig(next) {
    if (next !== big) {
      big = next;
      cy.style(stylesheet(big));
    }
  }

  function nodeElement(n) {
    return { group: 'nodes', data: { id: n.id, kind: n.kind, name: n.label, label: n.label, depth: n.depth } };
  }

  function edgeElement(e) {
    return {
      group: 'edges',
      data: {
        id: e.id, source: e.source, target: e.target, kind: e.kind, family: familyOf(e.kind),
        value: e.label || '', text: words(e.kind), short: '',
      },
    };
  }

  // The node whose value a relation's value is: a commitment's amount on the relations
  // that name it (pledged, benefits, part of), a tariff's change on its own.
  function valueOwner(edge) {
    if (VALUED.has(edge.target().data('kind'))) return edge.target();
    if (VALUED.has(edge.source().data('kind'))) return edge.source();
    return null;
  }

  // Cytoscape's min-zoomed-font-size compares a label's size at the zoom rounded up to a
  // power of two, so it lets labels through at down to half of it: a small graph's labels
  // are hidden here instead, whenever the zoom makes them smaller than 11 px.
  let tinyLabels = false;
  function hideTinyLabels(force = false) {
    const tiny = !big && 12 * labelScale * cy.zoom() < 11;
    if (tiny === tinyLabels && !force) return;
    tinyLabels = tiny;
    cy.batch(() => cy.elements().toggleClass('tiny', tiny));
  }
  cy.on('zoom', () => hideTinyLabels());

  // Calms the drawn graph: a value repeated on a node's relations is drawn once, under the
  // node's name; relations between the same two nodes are drawn as one edge with their
  // count; and labels go to the edges that ask for them (see `refreshEdgeLabels`).
  function calm() {
    const votes = new Map();
    cy.edges().forEach((e) => {
      const owner = valueOwner(e);
      if (!owner || !e.data('value')) return;
      const tally = votes.get(owner.id()) || new Map();
      tally.set(e.data('value'), (tally.get(e.data('value')) || 0) + 1);
      votes.set(owner.id(), tally);
    });
    const valueOf = new Map();
    for (const [id, tally] of votes) {
      valueOf.set(id, [...tally].sort((a, b) => b[1] - a[1])[0][0]);
    }
    const pairs = new Map();
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const value = valueOf.get(n.id());
        n.data('label', value ? `${n.data('name')}\n${value}` : n.data('name'));
      });
      cy.edges().forEach((e) => {
        const owner = valueOwner(e);
        const value = e.data('value');
        const own = value && !(owner && valueOf.get(owner.id()) === value);
        e.data({ text: own ? `${words(e.data('kind'))}: ${value}` : words(e.data('kind')), short: '', count: 1, lead: null });
        e.removeClass('bundled');
        const key = [e.data('source'), e.data('target')].sort().join(' ');
        if (!pairs.has(key)) pairs.set(key, []);
        pairs.get(key).push(e);
      });
      for (const group of pairs.values()) {
        if (group.length < 2) continue;
        group.sort((a, b) => FAMILY_NAMES.indexOf(a.data('family')) - FAMILY_NAMES.indexOf(b.data('family')));
        const [lead, ...rest] = group;
        lead.data({ count: group.length, short: `×${group.length}`, text: group.map((e) => e.data('text')).join(' · ') });
        for (const e of rest) e.data('lead', lead.id()).addClass('bundled');
      }
    });
    refreshEdgeLabels();
    hideTinyLabels(true);
  }

  // The drawn edge that stands for a relation: itself, or the edge its bundle is drawn as.
  const drawnEdge = (e) => (e.data('lead') ? cy.getElementById(e.data('lead')) : e);
  const drawnEdges = (edges) => cy.collection(edges.map(drawnEdge));

  // Edge labels: on the edges under the pointer (`hover`), the selected node's edges when
  // the user chose it (not the centre the page starts on: its relations are all of them),
  // and the families ticked in the legend. Everything else is drawn without words.
  const pickedFamilies = new Set();
  let labelSelection = false;
  function refreshEdgeLabels() {
    cy.batch(() => {
      cy.edges().removeClass('sel-label picked');
      const sel = cy.nodes(':selected');
      if (sel.nonempty() && (labelSelection || sel.id() !== state.entity)) drawnEdges(sel.connectedEdges()).addClass('sel-label');
      drawnEdges(cy.edges().filter((e) => pickedFamilies.has(e.data('family')))).addClass('picked');
    });
  }

  // Merges subgraphs into one list of nodes and edges (nodes by id, least depth kept;
  // edges by id, only where both ends are present).
  function mergeSubgraphs(...subgraphs) {
    const nodes = new Map();
    const edges = new Map();
    for (const g of subgraphs) {
      if (!g) continue;
      for (const n of g.nodes) {
        const had = nodes.get(n.id);
        if (!had || n.depth < had.depth) nodes.set(n.id, n);
      }
    }
    for (const g of subgraphs) {
      if (!g) continue;
      for (const e of g.edges) {
        if (nodes.has(e.source) && nodes.has(e.target)) edges.set(e.id, e);
      }
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  const layoutTimes = [];

  // fcose's force phase (cose-base on layout-base) runs at least five iterations per node
  // (FDLayout.initSpringEmbedder: maxIterations = max(5 n, numIter)), whatever `numIter`
  // says: 5,000 iterations for 1,000 nodes, each costing milliseconds once a hub's many
  // neighbours crowd together; and its spectral start (randomize: true) stacks a hub's
  // structurally alike neighbours on one point, which makes them crowd. So for big graphs
  // the page seeds the positions itself (a spiral in depth-first order, O(n)) and lets
  // fcose refine them with a bounded number of iterations: this wrapper applies the bound
  // while `iterationCap` is set, and leaves the library alone otherwise.
  let iterationCap = null;
  (function capIterations() {
    const proto = window.coseBase.CoSELayout.prototype;
    const init = proto.initSpringEmbedder;
    const period = window.coseBase.layoutBase.FDLayoutConstants.CONVERGENCE_CHECK_PERIOD || 100;
    proto.initSpringEmbedder = function initSpringEmbedderCapped() {
      init.call(this);
      if (iterationCap) {
        this.maxIterations = Math.min(this.maxIterations, iterationCap);
        this.maxCoolingCycle = this.maxIterations / period;
      }
    };
  }());

  // Places the nodes on an Archimedean spiral around the root, in depth-first order, so
  // that linked nodes start side by side and ~`spacing` apart.
  function seedPositions(rootId, spacing) {
    const nodes = cy.nodes();
    const seen = new Set();
    const order = [];
    const visit = (start) => {
      const stack = [start];
      while (stack.length) {
        const n = stack.pop();
        if (seen.has(n.id())) continue;
        seen.add(n.id());
        order.push(n);
        const next = n.neighborhood('node').filter((m) => !seen.has(m.id()));
        for (let i = next.length - 1; i >= 0; i -= 1) stack.push(next[i]);
      }
    };
    const root = cy.getElementById(rootId);
    if (root.nonempty()) visit(root);
    nodes.forEach((n) => { if (!seen.has(n.id())) visit(n); });
    const b = spacing / (2 * Math.PI); // one turn further out per `spacing`
    cy.batch(() => {
      order.forEach((n, k) => {
        if (k === 0) {
          n.position({ x: 0, y: 0 });
          return;
        }
        const theta = Math.sqrt((2 * (k + 2) * spacing) / b);
        const r = b * theta;
        n.position({ x: r * Math.cos(theta), y: r * Math.sin(theta) });
      });
    });
  }

  // Buckets items (with x, y) on a grid of `cell`-wide cells, as placed now; `near(a)`
  // gives the items in a's cell and the eight around it, which holds every item closer
  // than `cell` to it.
  function cellGrid(items, cell) {
    const at = (v) => Math.floor(v / cell);
    const grid = new Map();
    items.forEach((it) => {
      const k = `${at(it.x)},${at(it.y)}`;
      if (!grid.has(k)) grid.set(k, []);
      grid.get(k).push(it);
    });
    return {
      near(a) {
        const out = [];
        for (let dx = -1; dx <= 1; dx += 1) {
          for (let dy = -1; dy <= 1; dy += 1) out.push(...(grid.get(`${at(a.x) + dx},${at(a.y) + dy}`) || []));
        }
        return out;
      },
    };
  }

  // Pushes apart nodes whose discs overlap or touch (fcose, capped, leaves them in dense
  // hubs), moving each only as far as needed. Nodes are bucketed on a grid of cells one node
  // wide, so a pass costs O(n); it stops when no pair is closer than `gap`.
  function separateNodes(nodes, gap = 2, maxPasses = 200) {
    const items = nodes.map((n, i) => ({
      n, i, x: n.position('x'), y: n.position('y'), r: Math.max(n.outerWidth(), n.outerHeight()) / 2,
    }));
    if (items.length < 2) return;
    const cell = 2 * items.reduce((m, it) => Math.max(m, it.r), 0) + gap;
    spreadDense(items, cell);
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const grid = cellGrid(items, cell);
      let moved = false;
      items.forEach((a) => {
        for (const b of grid.near(a)) {
          if (b.i <= a.i) continue;
          const min = a.r + b.r + gap;
          let ex = b.x - a.x;
          let ey = b.y - a.y;
          const d = Math.hypot(ex, ey);
          if (d >= min - 0.5) continue; // parted, give or take rounding
          if (d < 1e-6) {
            // On top of each other: part them along a direction fixed by their order.
            const angle = b.i * 2.399963;
            ex = Math.cos(angle);
            ey = Math.sin(angle);
          } else {
            ex /= d;
            ey /= d;
          }
          const half = (min - d) / 2;
          a.x -= ex * half;
          a.y -= ey * half;
          b.x += ex * half;
          b.y += ey * half;
          moved = true;
        }
      });
      if (!moved) break;
    }
    cy.batch(() => items.forEach((it) => it.n.position({ x: it.x, y: it.y })));
  }

  // Spreads a layout that packs nodes closer than `cell` (centre to centre) for most of them,
  // scaling it about its centre so the median nearest neighbour is `cell` away: pushing
  // pairs apart one at a time would take a pass per node across a crowded hub.
  function spreadDense(items, cell) {
    const grid = cellGrid(items, cell);
    const nearest = items.map((a) => grid.near(a).reduce(
      (best, b) => (b === a ? best : Math.min(best, Math.hypot(b.x - a.x, b.y - a.y))),
      cell,
    )).sort((a, b) => a - b);
    const median = Math.max(nearest[Math.floor(nearest.length / 2)], cell / 8);
    if (median >= cell) return;
    const scale = cell / median;
    const cx = items.reduce((t, it) => t + it.x, 0) / items.length;
    const cy0 = items.reduce((t, it) => t + it.y, 0) / items.length;
    items.forEach((it) => {
      it.x = cx + (it.x - cx) * scale;
      it.y = cy0 + (it.y - cy0) * scale;
    });
  }

  // Sizes a small graph's labels to come out at 12 px once fitted, and parts the nodes
  // (all but `fixed`) whose shapes and labels overlap. Parting them widens the graph, and
  // fitting it again shrinks the labels; a few rounds settle it. False when they do not:
  // the labels are then left at their own size.
  function readableLabels(fixed, fitTo, padding) {
    const readable = () => labelScale * cy.zoom() >= 1;
    const start = { zoom: cy.zoom(), pan: { ...cy.pan() }, at: cy.nodes().map((n) => ({ ...n.position() })) };
    for (let round = 0; round < 8 && !(round > 0 && readable()); round += 1) {
      // A little over: parting the nodes widens the graph a little.
      labelScale = Math.min(4, Math.max(1, 1.05 / cy.zoom()));
      cy.style().update();
      partLabels(fixed);
      if (!fitTo) break;
      cy.fit(fitTo, padding);
    }
    if (readable()) return true;
    // No room for the labels at a readable size (a narrow screen, a crowded graph): back
    // to the layout as it was, with labels drawn only once zoomed in enough to read them.
    labelScale = 1;
    cy.style().update();
    cy.batch(() => cy.nodes().forEach((n, i) => n.position(start.at[i])));
    cy.viewport({ zoom: start.zoom, pan: start.pan });
    return false;
  }

  // Pushes apart nodes whose boxes (shape and label, and a margin) overlap, along the axis
  // where they overlap least; a node in `fixed` stays and the other moves the whole way.
  function partLabels(fixed, gap = 6, maxPasses = 80) {
    const items = cy.nodes().map((n) => {
      const b = n.boundingBox({ includeNodes: true, includeLabels: true, includeEdges: false, includeOverlays: false });
      const { x, y } = n.position();
      return { n, x, y, l: x - b.x1, r: b.x2 - x, t: y - b.y1, b: b.y2 - y, fixed: Boolean(fixed && fixed.has(n.id())) };
    });
    for (let pass = 0; pass < maxPasses; pass += 1) {
      let moved = false;
      for (let i = 0; i < items.length; i += 1) {
        for (let j = i + 1; j < items.length; j += 1) {
          const a = items[i];
          const c = items[j];
          if (a.fixed && c.fixed) continue;
          const ox = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x - a.l, c.x - c.l) + gap;
          const oy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y - a.t, c.y - c.t) + gap;
          if (ox <= 0 || oy <= 0) continue;
          const alongX = ox < oy;
          const d = alongX ? ox : oy;
          const sign = (alongX ? c.x - a.x : c.y - a.y) >= 0 ? 1 : -1;
          const shareA = a.fixed ? 0 : (c.fixed ? 1 : 0.5);
          const axis = alongX ? 'x' : 'y';
          a[axis] -= sign * d * shareA;
          c[axis] += sign * d * (1 - shareA);
          moved = true;
        }
      }
      if (!moved) break;
    }
    cy.batch(() => items.forEach((it) => it.n.position({ x: it.x, y: it.y })));
  }

  // How many starts a fresh small graph is laid out from, at most, to find its labels
  // room at a readable size (about one start in twenty finds none).
  const LAYOUT_ATTEMPTS = 4;

  // fcose starts from random positions (Math.random, and layout-base's own RandomSeed):
  // `seeded` runs it with both seeded, so the same graph is drawn the same way every time
  // it is opened, on every machine.
  function seeded(seed, run) {
    const saved = Math.random;
    let s = seed >>> 0;
    // mulberry32: a small generator of 32-bit state, uniform enough for a layout's start.
    Math.random = () => {
      s = (s + 0x6D2B79F5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const baseSeed = window.layoutBase && window.layoutBase.RandomSeed;
    if (baseSeed) baseSeed.seed = 1 + (seed % 100000);
    try {
      return run();
    } finally {
      Math.random = saved;
    }
  }

  // A seed of the drawn graph: a hash (FNV-1a) of its node ids in order.
  function layoutSeed() {
    let h = 0x811c9dc5;
    for (const id of cy.nodes().map((n) => n.id()).sort()) {
      for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 10, 0x01000193);
    }
    return h >>> 0;
  }

  // One layout from the start `seed` gives, parted, fitted and its labels sized: false
  // when a small graph's labels found no room at a readable size.
  function placeOnce(options, { eles, keep, large, fit, seed }) {
    const kept = keep && keep.length ? keep : null;
    const layout = (eles || cy.elements()).layout(options);
    iterationCap = large ? 150 : null;
    try {
      seeded(seed, () => layout.run());
    } finally {
      iterationCap = null;
    }
    if (kept) {
      // The layout may still carry the whole graph somewhere else: bring it back by the
      // kept nodes' mean shift, then put each kept node exactly where it was.
      const fixed = options.fixedNodeConstraint;
      let dx = 0;
      let dy = 0;
      for (const f of fixed) {
        const now = cy.getElementById(f.nodeId).position();
        dx += now.x - f.position.x;
        dy += now.y - f.position.y;
      }
      dx /= fixed.length || 1;
      dy /= fixed.length || 1;
      cy.batch(() => {
        cy.nodes().positions((n) => ({ x: n.position('x') - dx, y: n.position('y') - dy }));
        for (const f of fixed) cy.getElementById(f.nodeId).position(f.position);
      });
    }
    separateNodes(kept ? cy.nodes().filter((n) => !kept.includes(n.id())) : cy.nodes());
    if (fit) cy.fit(eles || cy.elements(), options.padding);
    if (large) return true;
    return readableLabels(kept ? new Set(kept) : null, fit ? eles || cy.elements() : null, options.padding);
  }

  // Lays the graph out with fcose (synchronously: animate false), parts any nodes it left
  // overlapping, and reports how long it took; the nodes in `keep` stay where they are.
  // `start` picks the starts a fresh layout is tried from (see `seeded`).
  function runLayout({ randomize = true, fit = true, eles = null, keep = null, start = 0 } = {}) {
    const n = cy.nodes().length;
    if (n === 0) return 0;
    const large = n > BIG_GRAPH;
    if (large && randomize) {
      seedPositions(state.entity, 60);
      randomize = false;
    }
    const options = {
      name: 'fcose',
      quality: 'default',
      randomize,
      animate: false,
      fit: false, // fitted below, once overlaps are parted
      padding: 24,
      // Labels count as part of a node only in small graphs (it costs time in big ones).
      nodeDimensionsIncludeLabels: !large,
      uniformNodeDimensions: large,
      packComponents: true,
      tile: true,
      nodeRepulsion: () => (large ? 4500 : 12000),
      idealEdgeLength: () => (large ? 50 : 110),
      edgeElasticity: () => 0.45,
      nodeSeparation: 90,
      gravity: large ? 0.25 : 0.6,
      numIter: 2500,
    };
    if (keep && keep.length) {
      // Packing and tiling move whole components, fixed nodes with them.
      options.packComponents = false;
      options.tile = false;
      options.fixedNodeConstraint = keep
        .map((id) => cy.getElementById(id))
        .filter((n) => n.nonempty())
        .map((n) => ({ nodeId: n.id(), position: { ...n.position() } }));
    }
    const t0 = performance.now();
    // A fresh small graph fitted to the screen is laid out again from another start when
    // its labels find no room at a readable size; most starts give them room.
    const attempts = !large && fit && randomize && !(keep && keep.length) ? LAYOUT_ATTEMPTS : 1;
    const seed = layoutSeed() + start * LAYOUT_ATTEMPTS;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (placeOnce(options, { eles, keep, large, fit, seed: seed + attempt })) break;
    }
    hideTinyLabels(true);
    const ms = performance.now() - t0;
    // A big graph is not fitted closer than 1:1 (its labels appear from 1.5x on).
    if (large && fit && cy.zoom() > 1) cy.zoom({ level: 1, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    const record = { ms: Math.round(ms), nodes: n, edges: cy.edges().length, quality: options.quality, iterationCap: large ? 150 : null };
    layoutTimes.push(record);
    if (layoutTimes.length > 50) layoutTimes.shift();
    return record;
  }

  let graphGeneration = 0; // bumps on every graph (re)load; stale answers are dropped
  let loadedKey = null; // what the drawn graph shows (all but x)
  let loadedX = []; // the expanded ids it includes
  let truncated = false;
  let graphError = null;
  let graphLoads = 0;

  function graphKey(s) {
    return JSON.stringify([s.entity, s.depth, s.dir, s.limit, s.kinds, s.rels, s.asOf]);
  }

  function viewVariables(s) {
    return {
      ids: [s.entity],
      depth: s.depth,
      direction: s.dir,
      limit: s.limit,
      relations: s.rels,
      kinds: s.kinds,
      asOf: s.asOf,
      expanded: s.x,
      withExpanded: s.x.length > 0,
    };
  }

  async function loadGraph(s) {
    const generation = ++graphGeneration;
    setStatus('Loading…');
    let data;
    try {
      data = await gql(VIEW_QUERY, viewVariables(s));
    } catch (err) {
      if (generation !== graphGeneration) return;
      graphError = err;
      loadedKey = graphKey(s);
      loadedX = s.x.slice();
      cy.elements().remove();
      setStatus(`Could not load the graph: ${err.message}${err.code ? ` (${err.code})` : ''}`, true, retryGraph);
      updatePlaygroundLink(s);
      return;
    }
    if (generation !== graphGeneration) return;
    graphError = null;
    const merged = mergeSubgraphs(data.view, data.expanded);
    if (data.expanded) {
      const more = await edgesAmong(s, merged.nodes.map((n) => n.id));
      if (generation !== graphGeneration) return;
      const have = new Set(merged.edges.map((e) => e.id));
      for (const e of more) if (!have.has(e.id)) merged.edges.push(e);
    }
    truncated = Boolean(data.view.truncated || (data.expanded && data.expanded.truncated));
    // Nodes drawn before keep their places; new ones start beside a neighbour drawn
    // before, and only they are laid out. A view with nothing in common is laid out anew.
    const kept = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
    const near = new Map();
    for (const e of merged.edges) {
      if (kept.has(e.source) && !near.has(e.target)) near.set(e.target, kept.get(e.source));
      if (kept.has(e.target) && !near.has(e.source)) near.set(e.source, kept.get(e.target));
    }
    let fresh = 0;
    const elements = [...merged.nodes.map((n) => {
      const el = nodeElement(n);
      if (kept.has(n.id)) return { ...el, position: kept.get(n.id) };
      const at = near.get(n.id) || { x: 0, y: 0 };
      fresh += 1;
      return { ...el, position: { x: at.x + 40 * Math.cos(fresh), y: at.y + 40 * Math.sin(fresh) } };
    }), ...merged.edges.map(edgeElement)];
    const stays = merged.nodes.filter((n) => kept.has(n.id)).map((n) => n.id);
    setBig(elements.length > BIG_GRAPH);
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
      cy.getElementById(s.entity).addClass('root');
    });
    calm();
    loadedKey = graphKey(s);
    loadedX = s.x.slice();
    if (!stays.length) runLayout({ randomize: true, fit: true });
    else if (fresh) runLayout({ randomize: false, fit: true, keep: stays });
    graphLoads += 1;
    afterGraphChange(s);
  }

  async function edgesAmong(s, ids) {
    if (ids.length < 2) return [];
    const data = await gql(EDGES_AMONG_QUERY, {
      ids: ids.slice(0, 2000), limit: Math.min(2000, ids.length), relations: s.rels, asOf: s.asOf,
    });
    return data.neighborhood.edges;
  }

  // Adds the neighbours of newly expanded nodes to the drawn graph, keeping what is there
  // where it is: new nodes start at the node they hang off, then fcose runs from the
  // current positions.
  async function expandGraph(s, ids) {
    const generation = graphGeneration;
    setStatus('Expanding…');
    let data;
    try {
      data = await gql(EXPAND_QUERY, {
        ids, direction: s.dir, limit: s.limit, relations: s.rels, kinds: s.kinds, asOf: s.asOf,
      });
    } catch (err) {
      if (generation !== graphGeneration) return;
      setStatus(`Could not expand: ${err.message}`, true);
      loadedX = s.x.slice();
      return;
    }
    if (generation !== graphGeneration) return;
    const sub = data.neighborhood;
    const present = new Set(cy.nodes().map((n) => n.id()));
    const newNodes = sub.nodes.filter((n) => !present.has(n.id));
    for (const n of newNodes) present.add(n.id);
    // The edges between the new nodes and everything drawn, not only the expanded node.
    const among = newNodes.length ? await edgesAmong(s, [...present]) : [];
    if (generation !== graphGeneration) return;
    const byId = new Map();
    for (const e of [...sub.edges, ...among]) byId.set(e.id, e);
    const newEdges = [...byId.values()].filter((e) => present.has(e.source) && present.has(e.target) && cy.getElementById(e.id).empty());
    const anchor = cy.getElementById(ids[0]);
    const at = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    const elements = [
      ...newNodes.map((n, i) => ({
        ...nodeElement(n),
        position: { x: at.x + 30 * Math.cos(i), y: at.y + 30 * Math.sin(i) },
      })),
      ...newEdges.map(edgeElement),
    ];
    truncated = truncated || sub.truncated;
    setBig(cy.elements().length + elements.length > BIG_GRAPH);
    cy.batch(() => cy.add(elements));
    calm();
    loadedX = s.x.slice();
    if (newNodes.length) runLayout({ randomize: false, fit: true, keep: [...present].filter((id) => !newNodes.some((n) => n.id === id)) });
    graphLoads += 1;
    afterGraphChange(s);
  }

  function afterGraphChange(s) {
    applySelection(s);
    applyPath();
    renderStatus(s);
    renderLegendCounts();
    renderNodeList();
    updatePlaygroundLink(s);
  }

  // The status line; with `retry`, a Retry button after the text runs it.
  function setStatus(text, error = false, retry = null) {
    statusEl.replaceChildren(text);
    if (retry) {
      statusEl.append(' ', h('button', { type: 'button', id: 'status-retry', class: 'ex-retry', onclick: retry }, 'Retry'));
    }
    statusEl.classList.toggle('ex-error', error);
    keepPlace();
  }

  // Loads the view again after a failure.
  function retryGraph() {
    loadedKey = null;
    sync();
  }

  function renderStatus(s) {
    if (graphError) return;
    const n = cy.nodes().length;
    const e = cy.edges().length;
    const root = cy.getElementById(s.entity);
    const name = root.nonempty() ? root.data('name') : s.entity;
    if (n === 0) {
      setStatus(`Nothing to show for ${s.entity}: no entity has that id, or the filters hide it.`, true);
      return;
    }
    let text = `${name}: ${n} node${n === 1 ? '' : 's'}, ${e} relation${e === 1 ? '' : 's'}, depth ${s.depth}, as of ${s.asOf || 'today'}`;
    if (truncated) text += ` — cut at ${s.limit} nodes (raise “At most” to see more)`;
    setStatus(text);
    $('cy').setAttribute('aria-label', `Graph around ${name}: ${n} nodes and ${e} relations`);
  }

  function applySelection(s) {
    cy.batch(() => {
      cy.$(':selected').unselect();
      if (s.sel) cy.getElementById(s.sel).select();
    });
    refreshEdgeLabels();
  }

  // ----- graph events -----

  // A click selects; adding a node's neighbours and taking them away again are actions
  // of their own (the panel's Expand and Collapse), each a step back and forward go through.
  cy.on('tap', 'node', (evt) => select(evt.target.id()));
  cy.on('dbltap', 'node', (evt) => focusEntity(evt.target.id()));
  cy.on('tap', 'edge', (evt) => showRelation(evt.target));
  // Pointing at a node labels its edges; pointing at an edge labels it.
  cy.on('mouseover', 'node', (evt) => drawnEdges(evt.target.connectedEdges()).add(evt.target).addClass('hover'));
  cy.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
  cy.on('mouseout', 'node, edge', () => cy.elements('.hover').removeClass('hover'));

  // A node the user chose: selected, and its edges labelled (even the centre's).
  function select(id) {
    labelSelection = true;
    return setState({ sel: id });
  }

  // Expanding and collapsing are steps of the view's history (Back undoes them).
  function expand(id) {
    if (!state.x.includes(id)) setState({ x: [...state.x, id] }, { push: true });
  }
  function collapse(id) {
    if (state.x.includes(id)) setState({ x: state.x.filter((x) => x !== id) }, { push: true });
  }

  // E expands the selected node and C collapses it, unless the keys are typing somewhere.
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest('input, select, textarea, dialog')) return;
    const id = state.sel;
    if (!id || id === state.entity || cy.getElementById(id).empty()) return;
    const key = e.key.toLowerCase();
    if (key === 'e') expand(id);
    else if (key === 'c') collapse(id);
    else return;
    e.preventDefault();
  });

  function focusEntity(id) {
    labelSelection = false;
    return setState({ entity: id, sel: id, x: [] }, { push: true });
  }

  $('zoom-in').addEventListener('click', () => zoomBy(1.3));
  $('zoom-out').addEventListener('click', () => zoomBy(1 / 1.3));
  $('zoom-fit').addEventListener('click', () => cy.fit(undefined, 30));
  // Each Re-layout starts from starts not tried before on this page.
  let relayouts = 0;
  $('relayout').addEventListener('click', () => {
    relayouts += 1;
    runLayout({ randomize: true, fit: true, start: relayouts });
  });
  function zoomBy(f) {
    cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  // ===================================================================================
  // Legend, node list
  // ===================================================================================

  // A short line in a family's colour and dash, with the arrowhead the graph draws.
  function lineIcon(color, dash, width = 2) {
    const s = svg('svg', { width: 28, height: 12, viewBox: '0 0 28 12', 'aria-hidden': 'true', class: 'ex-icon' });
    const line = svg('line', { x1: 1, y1: 6, x2: 20, y2: 6, stroke: color, 'stroke-width': width });
    if (dash === 'dashed') line.setAttribute('stroke-dasharray', '5 3');
    if (dash === 'dotted') line.setAttribute('stroke-dasharray', '2 2');
    s.append(line, svg('polygon', { points: '19,1.5 27,6 19,10.5', fill: color }));
    return s;
  }

  // A node's mark: the selected ring, the centre's double border.
  function ringIcon(color, double) {
    const s = svg('svg', { width: 16, height: 16, viewBox: '0 0 20 20', 'aria-hidden': 'true', class: 'ex-icon' });
    s.append(svg('circle', { cx: 10, cy: 10, r: 7.5, fill: '#e5e7eb', stroke: color, 'stroke-width': double ? 1.2 : 3 }));
    if (double) s.append(svg('circle', { cx: 10, cy: 10, r: 5, fill: 'none', stroke: color, 'stroke-width': 1.2 }));
    return s;
  }

  function renderLegend() {
    $('legend').replaceChildren(...KIND_NAMES.map((kind) => h('li', { 'data-kind': kind },
      kindIcon(kind), h('span', { text: KINDS[kind].label }), h('span', { class: 'ex-count ex-muted' }))));
    $('legend-relations').replaceChildren(...FAMILY_NAMES.map((f) => h('li', { title: FAMILIES[f].kinds.map(words).join(', ') },
      h('label', { class: 'ex-check' },
        h('input', {
          type: 'checkbox', value: f,
          onchange: (e) => {
            if (e.target.checked) pickedFamilies.add(f);
            else pickedFamilies.delete(f);
            refreshEdgeLabels();
          },
        }),
        lineIcon(FAMILIES[f].color, FAMILIES[f].dash), ` ${FAMILIES[f].label}`))));
    $('legend-marks').replaceChildren(
      h('li', null, lineIcon('#475569', 'solid'), ' An arrow points from the one who acts: Japan → its pledge'),
      h('li', null, lineIcon('#475569', 'solid', 4), ' ×2: that many relations between the two, drawn as one'),
      h('li', null, ringIcon('#111827', true), ' The centre of the view'),
      h('li', null, ringIcon(SELECTED, false), ' Selected: its relations are labelled'));
  }

  function renderLegendCounts() {
    const counts = {};
    cy.nodes().forEach((n) => { counts[n.data('kind')] = (counts[n.data('kind')] || 0) + 1; });
    for (const li of $('legend').children) {
      const c = counts[li.dataset.kind] || 0;
      li.querySelector('.ex-count').textContent = c ? String(c) : '';
      li.classList.toggle('ex-absent', !c);
    }
  }

  const nodeList = $('node-list');
  nodeList.addEventListener('toggle', renderNodeList);
  function renderNodeList() {
    $('node-count').textContent = `(${cy.nodes().length})`;
    const ul = $('node-items');
    if (!nodeList.open) {
      ul.replaceChildren();
      return;
    }
    const nodes = cy.nodes().map((n) => n.data())
      .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
    ul.replaceChildren(...nodes.map((d) => h('li', null,
      kindIcon(d.kind, 12),
      h('button', {
        type: 'button', class: 'ex-link', 'data-id': d.id,
        'aria-current': d.id === state.sel ? 'true' : null,
        onclick: () => select(d.id),
      }, d.name),
      h('span', { class: 'ex-muted', text: ` ${KINDS[d.kind] ? KINDS[d.kind].label.toLowerCase() : d.kind}` }))));
  }

  // ===================================================================================
  // Search comboboxes (the header search and the path finder's ends)
  // ===================================================================================

  class Combobox {
    constructor(input, list, onPick) {
      this.input = input;
      this.list = list;
      this.onPick = onPick;
      this.items = [];
      this.active = -1;
      this.seq = 0;
      this.timer = null;
      this.pendingSearch = null;
      // The last search's failure, when the server could not answer it.
      this.failed = null;
      input.addEventListener('input', () => {
        this.input.dataset.id = '';
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.search(), 120);
      });
      input.addEventListener('keydown', (e) => this.key(e));
      input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
      input.addEventListener('focus', () => { if (this.items.length && this.input.value.trim()) this.open(); });
    }

    async search() {
      this.timer = null;
      const text = this.input.value.trim();
      const seq = ++this.seq;
      if (!text) {
        this.items = [];
        this.close();
        return;
      }
      this.pendingSearch = gql(SEARCH_QUERY, { text, first: 8 }).then((data) => {
        if (seq !== this.seq) return;
        this.failed = null;
        this.items = data.search;
        this.active = this.items.length ? 0 : -1;
        this.render();
      }).catch((err) => {
        if (seq !== this.seq) return;
        this.failed = err.message;
        this.items = [];
        this.render();
      }).finally(() => {
        if (seq === this.seq) this.pendingSearch = null;
      });
      await this.pendingSearch;
    }

    busy() {
      return Boolean(this.timer || this.pendingSearch);
    }

    render() {
      const base = this.list.id;
      if (!this.items.length) {
        // "No match" only when the server answered; otherwise what went wrong.
        const text = this.failed ? `Could not search: ${this.failed}` : 'No match';
        this.list.replaceChildren(h('li', { class: 'ex-option ex-muted', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', id: `${base}-none` }, text));
      } else {
        this.list.replaceChildren(...this.items.map((hit, i) => h('li', {
          id: `${base}-${i}`,
          class: 'ex-option',
          role: 'option',
          'aria-selected': i === this.active ? 'true' : 'false',
          'data-id': hit.entity.id,
          onmousedown: (e) => e.preventDefault(),
          onclick: () => this.pick(i),
        },
        kindIcon(hit.entity.kind, 14),
        h('span', { class: 'ex-option-name' }, hit.entity.name),
        h('span', { class: 'ex-option-kind' }, KINDS[hit.entity.kind] ? KINDS[hit.entity.kind].label : hit.entity.kind),
        hit.field !== 'NAME' && hit.text && hit.text !== hit.entity.name
          ? h('span', { class: 'ex-option-match' }, `${hit.field === 'ALIAS' ? 'also' : 'mentions'} “${hit.text}”`)
          : null)));
      }
      this.open();
    }

    open() {
      this.list.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
      this.markActive();
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.input.removeAttribute('aria-activedescendant');
    }

    markActive() {
      [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', i === this.active ? 'true' : 'false'));
      if (this.active >= 0 && this.items.length) {
        const li = this.list.children[this.active];
        this.input.setAttribute('aria-activedescendant', li.id);
        li.scrollIntoView({ block: 'nearest' });
      } else {
        this.input.removeAttribute('aria-activedescendant');
      }
    }

    key(e) {
      const openNow = !this.list.hidden;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (!this.items.length) return;
        if (!openNow) { this.open(); return; }
        const n = this.items.length;
        this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
        this.markActive();
      } else if (e.key === 'Enter') {
        if (openNow && this.active >= 0 && this.items.length) {
          e.preventDefault();
          this.pick(this.active);
        }
      } else if (e.key === 'Escape') {
        if (openNow) {
          e.preventDefault();
          this.close();
        }
      } else if (e.key === 'Home' || e.key === 'End') {
        // leave caret movement to the input
      }
    }

    pick(i) {
      const hit = this.items[i];
      if (!hit) return;
      this.input.value = hit.entity.name;
      this.input.dataset.id = hit.entity.id;
      this.close();
      this.onPick(hit.entity);
    }

    set(entity) {
      this.input.value = entity ? entity.name : '';
      this.input.dataset.id = entity ? entity.id : '';
    }
  }

  // On a phone the controls wait in a drawer, and a chosen result scrolls the graph into view.
  const narrow = window.matchMedia('(max-width: 820px)');
  const drawer = $('controls');
  function setDrawer(open) {
    const was = drawer.classList.contains('ex-open');
    drawer.classList.toggle('ex-open', open);
    $('controls-toggle').setAttribute('aria-expanded', String(open));
    if (open && !was) $('depth').focus();
    if (!open && was) $('controls-toggle').focus();
  }
  $('controls-toggle').addEventListener('click', () => setDrawer(!drawer.classList.contains('ex-open')));
  $('controls-close').addEventListener('click', () => setDrawer(false));
  drawer.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented && drawer.classList.contains('ex-open')) setDrawer(false);
  });
  function showGraph() {
    if (!narrow.matches) return;
    if (drawer.classList.contains('ex-open')) setDrawer(false);
    $('graph-panel').scrollIntoView({ block: 'start' });
  }

  const search = new Combobox($('search-input'), $('search-list'), (entity) => {
    focusEntity(entity.id);
    showGraph();
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (search.items.length) search.pick(Math.max(0, search.active));
  });

  const pathFrom = new Combobox($('path-from'), $('path-from-list'), (entity) => setState({ from: entity.id, path: 0 }));
  const pathTo = new Combobox($('path-to'), $('path-to-list'), (entity) => setState({ to: entity.id, path: 0 }));
  const comboboxes = [search, pathFrom, pathTo];

  // ===================================================================================
  // Controls: depth, direction, limit, filters, time slider
  // ===================================================================================

  $('depth').addEventListener('change', (e) => setState({ depth: Number(e.target.value) }));
  $('direction').addEventListener('change', (e) => setState({ dir: e.target.value }));
  $('limit').addEventListener('change', (e) => setState({ limit: Number(e.target.value) }));

  function renderFilters() {
    $('kind-checks').replaceChildren(...KIND_NAMES.map((kind) => h('label', { class: 'ex-check' },
      h('input', { type: 'checkbox', value: kind, 'data-filter': 'kinds', onchange: filtersChanged }),
      kindIcon(kind, 12), ` ${KINDS[kind].label}`)));
    $('relation-checks').replaceChildren(...RELATIONS.map((r) => h('label', { class: 'ex-check', title: r.description || null },
      h('input', { type: 'checkbox', value: r.name, 'data-filter': 'rels', onchange: filtersChanged }),
      ` ${words(r.name)}`)));
    syncFilterControls();
  }

  function checked(group) {
    const boxes = [...document.querySelectorAll(`input[data-filter="${group}"]`)];
    const on = boxes.filter((b) => b.checked).map((b) => b.value);
    return on.length === boxes.length ? null : on;
  }

  function filtersChanged() {
    setState({ kinds: checked('kinds'), rels: checked('rels') });
  }

  $('rel-all').addEventListener('click', () => setState({ rels: null }));
  $('rel-none').addEventListener('click', () => setState({ rels: [] }));

  function syncFilterControls() {
    for (const box of document.querySelectorAll('input[data-filter]')) {
      const list = state[box.dataset.filter];
      box.checked = !list || list.includes(box.value);
    }
    const off = [];
    if (state.kinds) off.push(`${state.kinds.length}/${KIND_NAMES.length} kinds`);
    if (state.rels) off.push(`${state.rels.length}/${RELATIONS.length} relations`);
    $('filter-summary').textContent = off.length ? `(${off.join(', ')})` : '(all shown)';
  }

  const slider = $('asof');
  const sliderOut = $('asof-out');
  const sliderDate = (v) => (Number(v) >= SLIDER_DAYS ? null : isoDay(SLIDER_START + Number(v) * 86400000));
  const sliderValue = (asOf) => {
    if (!asOf) return SLIDER_DAYS;
    const v = Math.round((Date.parse(`${asOf}T00:00:00Z`) - SLIDER_START) / 86400000);
    return Math.min(SLIDER_DAYS - 1, Math.max(0, v));
  };
  // The date is shown at once, and the view asked for once the slider rests: a drag or
  // a run of arrow keys (each key fires both `input` and `change`) makes one request.
  const SLIDER_REST_MS = 350;
  let sliderTimer = null;
  function sliderText(asOf) {
    return asOf || 'today';
  }
  function sliderMoved() {
    const asOf = sliderDate(slider.value);
    sliderOut.textContent = sliderText(asOf);
    slider.setAttribute('aria-valuetext', sliderText(asOf));
    clearTimeout(sliderTimer);
    sliderTimer = setTimeout(() => {
      sliderTimer = null;
      setState({ asOf: sliderDate(slider.value) });
    }, SLIDER_REST_MS);
  }
  slider.addEventListener('input', sliderMoved);
  slider.addEventListener('change', sliderMoved);
  $('asof-today').addEventListener('click', () => setState({ asOf: null }));

  // The days a date may be: itself to its precision (a month is all its days), or the
  // range it is known to lie in. Null when nothing is known.
  function dateSpan(w) {
    const last = (y, m) => isoDay(Date.UTC(y, m, 0)); // m is 1-based: day 0 of the next month
    if (w.date) {
      const [y, m] = w.date.split('-').map(Number);
      if (w.precision === 'YEAR') return [`${y}-01-01`, `${y}-12-31`];
      if (w.precision === 'MONTH') return [`${w.date}-01`, last(y, m)];
      return [w.date, w.date];
    }
    if (!w.notBefore && !w.notAfter) return null;
    return [w.notBefore ? w.notBefore.date : isoDay(SLIDER_START), w.notAfter ? w.notAfter.date : sliderDate(SLIDER_DAYS - 1)];
  }

  // Marks under the slider for the dated events, statements and changes (a band where the
  // date is a month or a range), and the same as a list that moves the slider to one.
  async function loadTimelineTicks() {
    let data;
    try {
      data = await gql(TIMELINE_QUERY, {});
    } catch (_) {
      return; // marks are a nicety; the slider works without them
    }
    const marks = new Map();
    for (const { node } of data.timeline.edges) {
      const span = node.date && dateSpan(node.date);
      if (!span) continue;
      const key = `${span[0]} ${span[1]} ${node.date.inferred}`;
      if (!marks.has(key)) marks.set(key, { span, inferred: node.date.inferred, display: node.date.display, titles: [] });
      marks.get(key).titles.push(node.title);
    }
    const sorted = [...marks.values()].sort((a, b) => a.span[1].localeCompare(b.span[1]) || a.span[0].localeCompare(b.span[0]));
    const at = (day) => `calc(8px + (100% - 16px) * ${sliderValue(day) / SLIDER_DAYS})`;
    $('asof-ticks').replaceChildren(...sorted.map((m) => {
      const range = m.span[0] !== m.span[1];
      const el = h('span', {
        class: `ex-tick${range ? ' ex-tick-range' : ''}${m.inferred && !range ? ' ex-tick-inferred' : ''}`,
        title: `${m.display}: ${m.titles.join('; ')}`,
      });
      el.style.left = at(m.span[0]);
      if (range) el.style.width = `calc((100% - 16px) * ${(sliderValue(m.span[1]) - sliderValue(m.span[0]) + 1) / SLIDER_DAYS})`;
      return el;
    }));
    $('asof-marks-count').textContent = `(${sorted.length})`;
    $('asof-marks-list').replaceChildren(...sorted.map((m) => h('li', null,
      h('button', {
        type: 'button', class: 'ex-link', 'data-asof': m.span[1],
        onclick: () => setState({ asOf: m.span[1] }),
      }, m.display),
      h('span', { class: 'ex-muted' }, `: ${m.titles.join('; ')}`))));
  }

  function syncControls() {
    $('depth').value = String(state.depth);
    $('direction').value = state.dir;
    const limit = $('limit');
    if (![...limit.options].some((o) => o.value === String(state.limit))) {
      limit.appendChild(h('option', { value: state.limit }, `${state.limit} nodes`));
    }
    limit.value = String(state.limit);
    if (!sliderTimer) {
      slider.value = String(sliderValue(state.asOf));
      sliderOut.textContent = sliderText(state.asOf);
      slider.setAttribute('aria-valuetext', sliderText(state.asOf));
    }
    syncFilterControls();
  }

  // ===================================================================================
  // Side panel: the selected entity's facts, claims with history and rank, sources
  // ===================================================================================

  let panelKey = null;
  let panelGeneration = 0;
  const entityCache = new Map(); // id -> { id, kind, name } learnt from answers

  function ref(entity) {
    if (!entity) return null;
    entityCache.set(entity.id, entity);
    return h('button', {
      type: 'button',
      class: 'ex-ref',
      'data-id': entity.id,
      title: `Show ${entity.name}`,
      onclick: () => selectOrVisit(entity.id),
    }, entity.kind ? kindIcon(entity.kind, 12) : null, entity.name);
  }

  // Selects the entity when it is drawn; otherwise makes it the new root.
  function selectOrVisit(id) {
    if ($('deal-dialog').open) $('deal-dialog').close();
    if ($('source-dialog').open) $('source-dialog').close();
    if (cy.getElementById(id).nonempty()) select(id);
    else focusEntity(id);
  }

  function refs(list) {
    if (!list || !list.length) return null;
    return h('span', { class: 'ex-refs' }, list.map(ref));
  }

  function citationText(c) {
    const where = c.line ? `¶ ${c.line}` : 'curator note';
    return where;
  }

  function citations(list, { compact = false } = {}) {
    if (!list || !list.length) return null;
    if (compact) {
      return h('span', { class: 'ex-cites' }, list.map((c, i) => [i ? ', ' : '', h('span', {
        title: [c.source && c.source.title, c.attribution, c.note].filter(Boolean).join(' — '),
      }, citationText(c))]));
    }
    // Each source once, with the paragraphs cited from it; a paragraph opens its text.
    const groups = new Map();
    for (const c of list) {
      const key = c.source ? c.source.id : '';
      if (!groups.has(key)) groups.set(key, { source: c.source, cites: [] });
      const group = groups.get(key);
      if (!group.cites.some((d) => d.line === c.line && d.attribution === c.attribution && d.note === c.note)) group.cites.push(c);
    }
    return h('ul', { class: 'ex-sources' }, [...groups.values()].map(({ source, cites }) => h('li', null,
      source ? h('button', {
        type: 'button', class: 'ex-ref ex-cite-title', title: 'Every paragraph of it cited in this view',
        onclick: () => showSource(source.id),
      }, source.title) : h('span', { class: 'ex-muted' }, 'Curator notes'),
      h('ul', { class: 'ex-paragraphs' }, cites.map((c) => h('li', null, paragraph(c)))))));
  }

  // How many sources a list of citations names, each once.
  function distinctSources(list) {
    return new Set((list || []).map((c) => (c.source ? c.source.id : ''))).size;
  }

  // A cited paragraph: its number, as a button that shows or hides its text.
  function paragraph(c) {
    const meta = [
      c.attribution ? h('span', { class: 'ex-attr' }, ` — ${c.attribution}`) : null,
      c.note ? h('div', { class: 'ex-note' }, c.note) : null,
    ];
    if (!c.line) return [h('span', { class: 'ex-line' }, citationText(c)), ...meta];
    const text = h('blockquote', { class: 'ex-paragraph', hidden: true },
      c.text || h('span', { class: 'ex-muted' },
        'The text of this paragraph is not available: the server was started without the source documents (--sources-dir).'));
    const open = h('button', {
      type: 'button', class: 'ex-ref ex-line', 'aria-expanded': 'false',
      onclick: () => {
        text.hidden = !text.hidden;
        open.setAttribute('aria-expanded', String(!text.hidden));
      },
    }, citationText(c));
    return [open, ...meta, text];
  }

  function claimList(title, claims, valueText) {
    if (!claims || !claims.length) return null;
    return h('section', { class: 'ex-claims' },
      h('h4', null, title),
      h('ol', null, claims.map((c) => {
        const meta = [];
        if (c.validFrom) meta.push(`from ${whenText(c.validFrom)}`);
        if (c.validUntil) meta.push(`until ${whenText(c.validUntil)}`);
        return h('li', { class: `ex-claim ex-rank-${c.rank.toLowerCase()}` },
          h('div', { class: 'ex-claim-head' },
            h('span', { class: 'ex-claim-value' }, (c.approximate ? '≈ ' : '') + valueText(c)),
            h('span', { class: `ex-badge ex-badge-${c.rank.toLowerCase()}` }, words(c.rank))),
          meta.length ? h('div', { class: 'ex-claim-meta' }, meta.join(' · ')) : null,
          c.madeBy ? h('div', { class: 'ex-claim-meta' }, 'set by ', ref(c.madeBy)) : null,
          c.attribution && (c.attribution.text || c.attribution.by)
            ? h('div', { class: 'ex-claim-meta' }, c.attribution.text || '', c.attribution.by && !c.attribution.text ? ref(c.attribution.by) : null)
            : null,
          c.caveat ? h('div', { class: 'ex-caveat' }, `Caveat: ${c.caveat}`) : null,
          c.note ? h('div', { class: 'ex-note' }, c.note) : null,
          c.sources && c.sources.length ? h('div', { class: 'ex-claim-meta' }, 'sources: ', citations(c.sources, { compact: true })) : null);
      })));
  }

  // When a value took effect, said where that date is inferred or known only as a range
  // (a stated day needs no word here: the history below has it).
  function since(claim) {
    const w = claim.validFrom;
    if (!w || (w.date && !w.inferred)) return null;
    return h('span', { class: 'ex-claim-meta ex-since' }, ` since ${whenText(w)}`);
  }

  function facts(rows) {
    const items = rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length));
    if (!items.length) return null;
    return h('dl', { class: 'ex-facts' }, items.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
  }

  function typeFacts(e) {
    switch (e.__typename) {
      case 'Country':
        return facts([['Code', e.code], ['Bloc', e.bloc ? 'yes' : null]]);
      case 'Person':
        return facts([
          ['Role', e.role ? [e.role.value.title, e.role.value.organization ? [' at ', ref(e.role.value.organization)] : null] : null],
          ['Member of', refs(e.memberOf)],
        ]);
      case 'Organization':
        return facts([['Kind', words(e.organizationKind)], ['Country', ref(e.country)], ['Part of', ref(e.parent)]]);
      case 'Deal':
        return facts([
          ['Parties', refs(e.parties)], ['Status', e.status ? words(e.status.value) : null],
          ['Announced', whenText(e.announced)], ['Deadline', whenText(e.deadline)],
        ]);
      case 'Commitment':
        return facts([
          ['Kind', words(e.commitmentKind)], ['Amount', e.amount ? [(e.amount.approximate ? '≈ ' : '') + e.amount.value.display, since(e.amount)] : null],
          ['Baseline', e.baseline ? e.baseline.value.display : null], ['Increase', e.increase ? e.increase.display : null],
          ['Limit', e.limit ? e.limit.value.display : null],
          ['Period', words(e.period)], ['Item', e.item], ['Status', e.commitmentStatus ? words(e.commitmentStatus.value) : null],
          ['Pledged by', ref(e.pledger)], ['For', refs(e.beneficiaries)], ['Suppliers', refs(e.suppliers)],
          ['Deal', ref(e.deal)], ['Part of', ref(e.partOf)], ['In exchange for', refs(e.inExchangeFor)],
          ['Answers', ref(e.answers)],
        ]);
      case 'Demand':
        return facts([
          ['Demanded by', ref(e.demander)], ['Of', refs(e.demandedOf)], ['Item', e.item],
          ['Status', e.demandStatus ? words(e.demandStatus.value) : null],
          ['By whose account', e.attribution ? e.attribution.text : null],
          ['Deal', ref(e.deal)], ['In exchange for', refs(e.inExchangeFor)], ['Deadline', whenText(e.deadline)],
          ['Answered by', refs(e.answeredBy)],
        ]);
      case 'TariffMeasure':
        return facts([
          ['Rate', e.rate ? [e.rate.value.display, since(e.rate)] : null], ['Status', e.tariffStatus ? words(e.tariffStatus.value) : null],
          ['Scope', e.scope], ['Imposed by', ref(e.imposer)], ['On', ref(e.target)], ['Deal', ref(e.deal)],
          ['Exchanged for', refs(e.exchangedFor)],
        ]);
      case 'Event':
        return facts([
          ['Kind', words(e.eventKind)], ['Date', whenText(e.date)], ['Place', e.place], ['Venue', ref(e.venue)],
          ['Deal', ref(e.deal)], ['Participants', refs(e.participants)],
        ]);
      case 'Statement':
        return facts([
          ['Kind', words(e.statementKind)], ['Speaker', ref(e.speaker)], ['Date', whenText(e.date)],
          ['Quotes', e.quotes && e.quotes.length ? h('ul', { class: 'ex-quotes' }, e.quotes.map((q) => h('li', null, h('q', null, q)))) : null],
          ['About', refs(e.subjects)], ['Reported by', refs(e.reportedBy)], ['At', ref(e.event)],
          ['Caveat', e.caveat],
        ]);
      case 'Project':
        return facts([['Place', e.place], ['Participants', refs(e.participants)], ['Invited', refs(e.invited)]]);
      case 'Source':
        return facts([
          ['Kind', words(e.sourceKind)], ['Title', e.title], ['Published', whenText(e.published)],
          ['Publisher', ref(e.publisher)], ['File', e.file],
        ]);
      default:
        return null;
    }
  }

  function typeClaims(e) {
    const status = (c) => words(c.value);
    switch (e.__typename) {
      case 'Person':
        return claimList('Roles', e.roles, (c) => c.value.title + (c.value.organization ? ` — ${c.value.organization.name}` : ''));
      case 'Deal':
        return claimList('Status history', e.statusHistory, status);
      case 'Commitment':
        return [claimList('Amount history', e.amountHistory, (c) => c.value.display), claimList('Status history', e.statusHistory, status)];
      case 'Demand':
        return claimList('Status history', e.statusHistory, status);
      case 'TariffMeasure':
        return [
          claimList('Rate history', e.rateHistory, (c) => c.value.display),
          claimList('Status history', e.statusHistory, status),
          claimList('Volume limit', e.volumeLimitHistory, (c) => (c.value.unlimited ? 'unlimited' : (c.value.quantity ? c.value.quantity.display : '—'))),
        ];
      case 'Event':
        return claimList('Duration', e.durationHistory, (c) => c.value.display);
      case 'Project':
        return claimList('Value history', e.valueHistory, (c) => c.value.display);
      default:
        return null;
    }
  }

  // The panel for a clicked edge: each relation it stands for (a bundle stands for several),
  // with its ends, dates and sources. It stays until the selection or the date changes.
  async function showRelation(edge) {
    const members = [edge, ...cy.edges().filter((e) => e.data('lead') === edge.id())].map((e) => e.data());
    const body = $('panel-body');
    const generation = ++panelGeneration;
    panelKey = `edge:${edge.id()}`;
    $('panel-heading').textContent = members.length > 1 ? `${members.length} relations` : 'Selected relation';
    body.setAttribute('aria-busy', 'true');
    let found;
    try {
      found = await Promise.all(members.map(async (m) => {
        const data = await gql(RELATION_QUERY, { from: m.source, kinds: [m.kind] });
        const edges = (data.entity && data.entity.relations.edges) || [];
        return (edges.find((e) => e.node.id === m.id) || {}).node || { missing: m.id };
      }));
    } catch (err) {
      if (generation !== panelGeneration) return;
      body.removeAttribute('aria-busy');
      body.replaceChildren(h('p', { class: 'ex-error' }, `Could not load the relation: ${err.message}`));
      return;
    }
    if (generation !== panelGeneration) return;
    body.removeAttribute('aria-busy');
    body.replaceChildren(...found.map((r, i) => relationSection(r, i === 0)));
  }

  // One relation; the first on the panel carries the ids the tests and links use.
  function relationSection(found, first) {
    if (found.missing) return h('p', { class: 'ex-error' }, `No relation ${found.missing}.`);
    const id = (name) => (first ? name : null);
    const dates = [];
    if (found.validFrom) dates.push(`from ${whenText(found.validFrom)}`);
    if (found.validUntil) dates.push(`until ${whenText(found.validUntil)}`);
    return h('section', { class: 'ex-relation' }, ...[
      h('p', { class: 'ex-kind', id: id('relation-kind') }, words(found.kind)),
      h('p', { class: 'ex-relation-ends' }, ref(found.from), ' → ', ref(found.to)),
      found.label ? h('p', { class: 'ex-desc' }, found.label) : null,
      h('p', { class: 'ex-claim-meta', id: id('relation-dates') }, dates.length ? dates.join(' · ') : 'No dates recorded: it holds throughout.'),
      found.attribution && found.attribution.text ? h('p', { class: 'ex-claim-meta' }, found.attribution.text) : null,
      found.impliedBy ? h('p', { class: 'ex-muted' }, `Not recorded on its own: it follows from the field “${words(found.impliedBy)}”.`) : null,
      found.note ? h('div', { class: 'ex-note' }, found.note) : null,
      h('details', { class: 'ex-sources-box', id: id('relation-sources'), open: true },
        h('summary', null, `Sources (${distinctSources(found.sources)})`),
        citations(found.sources) || h('p', { class: 'ex-muted' }, 'None.')),
    ].filter(Boolean));
  }

  async function loadPanel(s) {
    // The actions depend on whether the selection is the centre or expanded, too.
    const key = JSON.stringify([s.sel, s.asOf, s.entity, s.x.includes(s.sel)]);
    if (key === panelKey) return;
    panelKey = key;
    const body = $('panel-body');
    const generation = ++panelGeneration;
    if (!s.sel) {
      body.replaceChildren(h('p', { class: 'ex-muted' }, 'Select a node to see its facts and sources.'));
      $('panel-heading').textContent = 'Selected entity';
      return;
    }
    body.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await gql(ENTITY_QUERY, { id: s.sel, asOf: s.asOf });
    } catch (err) {
      if (generation !== panelGeneration) return;
      body.replaceChildren(h('p', { class: 'ex-error' }, `Could not load ${s.sel}: ${err.message}`));
      body.removeAttribute('aria-busy');
      return;
    }
    if (generation !== panelGeneration) return;
    body.removeAttribute('aria-busy');
    const e = data.entity;
    if (!e) {
      body.replaceChildren(h('p', { class: 'ex-error' }, `No entity ${s.sel}.`));
      return;
    }
    entityCache.set(e.id, { id: e.id, kind: e.kind, name: e.name });
    $('panel-heading').textContent = `Selected entity: ${e.name}`;
    const k = KINDS[e.kind] || { label: e.kind };
    const isRoot = e.id === state.entity;
    const dealId = e.__typename === 'Deal' ? e.id : (e.deal && e.deal.id);
    body.replaceChildren(...[
      h('p', { class: 'ex-kind' }, kindIcon(e.kind, 16), ` ${k.label}`),
      h('h3', { class: 'ex-name', id: 'entity-name' }, e.name),
      h('p', { class: 'ex-id' }, h('code', null, e.id)),
      h('div', { class: 'ex-actions' },
        isRoot
          ? h('span', { class: 'ex-muted', id: 'act-centre-note' }, 'The centre of the view')
          : h('button', { type: 'button', id: 'act-focus', onclick: () => focusEntity(e.id) }, 'Centre on it'),
        isRoot ? null : state.x.includes(e.id)
          ? h('button', {
            type: 'button', id: 'act-collapse', 'aria-keyshortcuts': 'C', onclick: () => collapse(e.id),
          }, 'Collapse: hide its neighbours (C)')
          : h('button', {
            type: 'button', id: 'act-expand', 'aria-keyshortcuts': 'E', onclick: () => expand(e.id),
          }, 'Expand: show its neighbours (E)'),
        dealId ? h('button', { type: 'button', id: 'act-deal', onclick: () => setState({ deal: dealId }) }, 'Deal view: who gave and got what') : null,
        e.kind === 'COUNTRY' ? h('button', { type: 'button', id: 'act-compare', onclick: () => setState({ deal: e.id }) }, 'What it gave and got') : null,
        e.kind === 'SOURCE' ? h('button', { type: 'button', id: 'act-source', onclick: () => showSource(e.id) }, 'Its paragraphs cited in this view') : null,
        h('button', { type: 'button', class: 'ex-small', onclick: () => { pathFrom.set(e); setState({ from: e.id, path: 0 }); } }, 'Path from here'),
        h('button', { type: 'button', class: 'ex-small', onclick: () => { pathTo.set(e); setState({ to: e.id, path: 0 }); } }, 'Path to here')),
      h('p', { class: 'ex-desc' }, e.description),
      e.aliases.length ? h('p', { class: 'ex-aliases' }, h('span', { class: 'ex-muted' }, 'Also known as: '), e.aliases.join(' · ')) : null,
      typeFacts(e),
      typeClaims(e),
      h('details', { class: 'ex-sources-box', id: 'entity-sources' },
        h('summary', null, `Sources (${distinctSources(e.sources)})`),
        citations(e.sources) || h('p', { class: 'ex-muted' }, 'None.')),
    ].flat(Infinity).filter(Boolean));
  }

  // ===================================================================================
  // Path finder
  // ===================================================================================

  let pathsKey = null;
  let pathsGeneration = 0;
  let paths = [];

  $('paths-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    // An end typed but not picked from the list: take the best search hit.
    const resolve = async (box) => {
      if (box.input.dataset.id) return box.input.dataset.id;
      const text = box.input.value.trim();
      if (!text) return null;
      const data = await gql(SEARCH_QUERY, { text, first: 1 });
      const hit = data.search[0];
      if (hit) box.set(hit.entity);
      return hit ? hit.entity.id : null;
    };
    const [from, to] = await Promise.all([resolve(pathFrom), resolve(pathTo)]);
    if (!from || !to) {
      $('paths-status').textContent = 'Pick both ends from the suggestions.';
      return;
    }
    pathsKey = null; // search again even when the ends are the same
    showGraph();
    setState({ from, to, path: 0 });
  });
  $('path-clear').addEventListener('click', () => {
    pathFrom.set(null);
    pathTo.set(null);
    setState({ from: null, to: null, path: 0 });
  });

  async function loadPaths(s) {
    const key = JSON.stringify([s.from, s.to, s.rels]);
    if (key === pathsKey) {
      applyPath();
      return;
    }
    pathsKey = key;
    const generation = ++pathsGeneration;
    const list = $('paths-list');
    if (!s.from || !s.to) {
      paths = [];
      list.replaceChildren();
      $('paths-status').textContent = s.from || s.to ? 'Pick the other end too.' : '';
      applyPath();
      return;
    }
    for (const [box, id] of [[pathFrom, s.from], [pathTo, s.to]]) {
      if (box.input.dataset.id !== id) box.set(entityCache.get(id) || { id, name: id });
    }
    $('paths-status').textContent = 'Searching…';
    try {
      const data = await gql(PATHS_QUERY, { from: s.from, to: s.to, maxLength: 4, relations: s.rels });
      if (generation !== pathsGeneration) return;
      paths = data.paths;
    } catch (err) {
      if (generation !== pathsGeneration) return;
      paths = [];
      $('paths-status').textContent = err.code === 'WORK_BUDGET_EXCEEDED'
        ? 'Too many routes to search; narrow the relation filter.'
        : `Could not find paths: ${err.message}`;
      list.replaceChildren();
      applyPath();
      return;
    }
    for (const p of paths) for (const n of p.nodes) entityCache.set(n.id, { id: n.id, kind: n.kind, name: n.label });
    for (const [box, id] of [[pathFrom, s.from], [pathTo, s.to]]) {
      if (entityCache.has(id)) box.set(entityCache.get(id));
    }
    $('paths-status').textContent = paths.length
      ? `${paths.length} shortest path${paths.length === 1 ? '' : 's'} (up to 4 steps):`
      : 'No path of up to 4 steps.';
    renderPaths();
    applyPath();
  }

  function renderPaths() {
    $('paths-list').replaceChildren(...paths.map((p, i) => h('li', null,
      h('button', {
        type: 'button',
        class: 'ex-path-btn',
        'aria-pressed': i === state.path ? 'true' : 'false',
        onclick: () => setState({ path: i }),
      },
      h('span', { class: 'ex-muted' }, `${p.length} step${p.length === 1 ? '' : 's'}: `),
      p.nodes.map((n, j) => [j ? h('span', { class: 'ex-arrow' }, ` ${pathEdgeWord(p, j)} `) : null, n.label])))));
  }

  function pathEdgeWord(p, j) {
    const e = p.edges[j - 1];
    if (!e) return '—';
    const forward = e.source === p.nodes[j - 1].id;
    return forward ? `—${words(e.kind)}→` : `←${words(e.kind)}—`;
  }

  // Highlights the chosen path, adding its nodes and edges to the graph when missing.
  function applyPath() {
    cy.elements().removeClass('on-path faded');
    const p = (state.from && state.to && paths[state.path]) || null;
    for (const btn of document.querySelectorAll('.ex-path-btn')) {
      btn.setAttribute('aria-pressed', btn.parentElement === $('paths-list').children[state.path] ? 'true' : 'false');
    }
    if (!p) return;
    const missingNodes = p.nodes.filter((n) => cy.getElementById(n.id).empty());
    const missingEdges = p.edges.filter((e) => cy.getElementById(e.id).empty());
    if (missingNodes.length || missingEdges.length) {
      const placed = [];
      for (const n of missingNodes) {
        const idx = p.nodes.indexOf(n);
        const near = p.nodes.slice(0, idx).reverse().concat(p.nodes.slice(idx + 1))
          .map((m) => cy.getElementById(m.id)).find((m) => m.nonempty());
        const at = near ? near.position() : { x: 0, y: 0 };
        placed.push({ ...nodeElement(n), position: { x: at.x + 60, y: at.y + 40 * (placed.length + 1) } });
      }
      cy.batch(() => {
        cy.add(placed);
        cy.add(missingEdges.map(edgeElement));
      });
      calm();
      runLayout({ randomize: false, fit: true });
      renderLegendCounts();
      renderNodeList();
    }
    const ids = new Set([...p.nodes.map((n) => n.id), ...p.edges.map((e) => e.id)]);
    for (const e of p.edges) ids.add(drawnEdge(cy.getElementById(e.id)).id());
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (ids.has(el.id())) el.addClass('on-path');
        else el.addClass('faded');
      });
    });
  }

  // ===================================================================================
  // Source view: a document's paragraphs that the drawn graph cites, each with its text
  // (when the server has the documents) and what cites it
  // ===================================================================================

  const sourceDialog = $('source-dialog');
  let sourceGeneration = 0;
  $('source-close').addEventListener('click', () => sourceDialog.close());

  async function showSource(id) {
    const generation = ++sourceGeneration;
    $('source-title').textContent = 'Source';
    $('source-sub').textContent = 'Loading…';
    $('source-body').replaceChildren();
    if ($('deal-dialog').open) $('deal-dialog').close();
    if (!sourceDialog.open) sourceDialog.showModal();
    const ids = cy.nodes().map((n) => n.id());
    let data;
    try {
      data = await gql(SOURCE_QUERY, { id, ids, limit: Math.max(1, ids.length), asOf: state.asOf });
    } catch (err) {
      if (generation !== sourceGeneration) return;
      $('source-sub').textContent = `Could not load the source: ${err.message}`;
      return;
    }
    if (generation !== sourceGeneration) return;
    const src = data.source;
    if (!src) {
      $('source-sub').textContent = `No source ${id}.`;
      return;
    }
    // Each cited paragraph once, with what cites it.
    const names = new Map(data.neighborhood.nodes.map((n) => [n.id, n.label]));
    const byLine = new Map();
    const cite = (sources, what) => {
      for (const c of sources) {
        if (!c.source || c.source.id !== id) continue;
        const key = c.line || 0;
        if (!byLine.has(key)) byLine.set(key, { c, what: [] });
        const entry = byLine.get(key);
        if (!entry.what.some((w) => w.key === what.key)) entry.what.push(what);
      }
    };
    for (const n of data.neighborhood.nodes) {
      cite(n.entity.sources, { key: n.id, el: () => ref({ id: n.id, kind: n.kind, name: n.label }) });
    }
    for (const e of data.neighborhood.edges) {
      const text = `${names.get(e.source) || e.source} — ${words(e.kind)} → ${names.get(e.target) || e.target}`;
      cite(e.relation.sources, { key: e.id, el: () => h('span', null, text) });
    }
    const lines = [...byLine.entries()].sort((a, b) => a[0] - b[0]);
    $('source-title').textContent = src.title;
    $('source-sub').textContent = [
      words(src.sourceKind),
      src.published ? `published ${whenText(src.published)}` : null,
      src.publisher ? `by ${src.publisher.name}` : null,
      src.file ? `file ${src.file}` : null,
      `${lines.length} paragraph${lines.length === 1 ? '' : 's'} cited in this view`,
    ].filter(Boolean).join(' · ');
    $('source-body').replaceChildren(
      src.description ? h('p', { class: 'ex-desc' }, src.description) : null,
      lines.length ? h('ol', { class: 'ex-cited', id: 'source-lines' }, lines.map(([line, { c, what }]) => h('li', { 'data-line': line || null },
        h('strong', null, line ? `¶ ${line}` : 'Curator note'),
        c.attribution ? h('span', { class: 'ex-attr' }, ` — ${c.attribution}`) : null,
        line ? h('blockquote', { class: 'ex-paragraph' }, c.text || h('span', { class: 'ex-muted' },
          'The text of this paragraph is not available: the server was started without the source documents (--sources-dir).')) : null,
        h('div', { class: 'ex-cited-for' }, 'Cited for: ', what.map((w, i) => [i ? '; ' : '', w.el()])))))
        : h('p', { class: 'ex-muted' }, 'Nothing drawn now cites it.'));
  }

  // ===================================================================================
  // Deal view: what each side gave and got
  // ===================================================================================

  const dealDialog = $('deal-dialog');
  let dealKey = null;
  let dealGeneration = 0;
  $('deal-close').addEventListener('click', () => dealDialog.close());
  dealDialog.addEventListener('close', () => {
    dealKey = null;
    if (state.deal) setState({ deal: null });
  });

  async function loadDeal(s) {
    if (!s.deal) {
      dealKey = null;
      if (dealDialog.open) dealDialog.close();
      return;
    }
    const key = JSON.stringify([s.deal, s.asOf]);
    if (key === dealKey) return;
    dealKey = key;
    const generation = ++dealGeneration;
    $('deal-title').textContent = 'Deal';
    $('deal-sub').textContent = 'Loading…';
    $('deal-body').replaceChildren();
    if (!dealDialog.open) dealDialog.showModal();
    let data;
    const isDeal = s.deal.startsWith('deal:');
    try {
      data = isDeal
        ? await gql(DEAL_QUERY, { id: s.deal, asOf: s.asOf })
        : await gql(COMPARE_QUERY, { ids: [s.deal], asOf: s.asOf });
    } catch (err) {
      if (generation !== dealGeneration) return;
      $('deal-sub').textContent = `Could not load what was exchanged: ${err.message}`;
      return;
    }
    if (generation !== dealGeneration) return;
    if (!isDeal) {
      // A country or body: what it gave and got across all its deals.
      const side = data.compare[0];
      const name = side ? side.party.name : (entityCache.get(s.deal) || { name: s.deal }).name;
      $('deal-title').textContent = `${name}: what it gave and got`;
      $('deal-sub').textContent = `Across all deals, as of ${s.asOf || 'today'}`;
      $('deal-body').replaceChildren(...(side ? [exchangeSide(side)] : [h('p', { class: 'ex-muted' }, 'Nothing recorded.')]));
      return;
    }
    const d = data.deal;
    if (!d) {
      $('deal-sub').textContent = `No deal ${s.deal}.`;
      return;
    }
    $('deal-title').textContent = d.name;
    $('deal-sub').textContent = [
      d.status ? `Status: ${words(d.status.value)}` : null,
      d.announced ? `announced ${whenText(d.announced)}` : null,
      `as of ${s.asOf || 'today'}`,
    ].filter(Boolean).join(' · ');
    $('deal-body').replaceChildren(...d.exchange.map(exchangeSide));
  }

  function commitmentItem(c) {
    return h('li', { class: 'ex-commitment' },
      ref({ id: c.id, kind: 'COMMITMENT', name: c.name }),
      h('div', { class: 'ex-deal-meta' }, [
        c.amount ? (c.amount.approximate ? '≈ ' : '') + c.amount.value.display : 'amount not disclosed',
        words(c.commitmentKind),
        c.period !== 'UNSPECIFIED' ? words(c.period) : null,
        c.status ? words(c.status.value) : null,
      ].filter(Boolean).join(' · ')));
  }

  // A tariff's latest change as of the view's date, said as a change of the rate: "cut
  // from 27.5% to 15%", or, before any change, the rate it stands at.
  function tariffItem(t) {
    const rate = (c) => c.value.display;
    const since = t.after && t.after.validFrom ? ` (from ${whenText(t.after.validFrom)})` : '';
    let change;
    if (!t.after) change = ['no rate recorded'];
    else if (!t.before) change = ['stands at ', h('span', null, rate(t.after)), since, '; not changed yet'];
    else {
      const [was, now] = [parseFloat(t.before.value.display), parseFloat(t.after.value.display)];
      const verb = now < was ? 'cut' : (now > was ? 'raised' : 'unchanged');
      change = verb === 'unchanged'
        ? ['unchanged at ', rate(t.after), since]
        : [`${verb} from `, rate(t.before), ' to ', h(verb === 'cut' ? 'strong' : 'span', null, rate(t.after)), since];
    }
    return h('li', { class: 'ex-tariff' },
      t.measure ? ref({ id: t.measure.id, kind: 'TARIFF_MEASURE', name: t.measure.name }) : 'a tariff measure',
      h('div', { class: 'ex-deal-meta ex-rate' }, 'Rate ', change),
      t.measure && t.measure.scope ? h('div', { class: 'ex-deal-meta ex-muted' }, t.measure.scope) : null);
  }

  function exchangeSide(side) {
    const name = side.party.name;
    const gave = [...side.gave.map(commitmentItem), ...side.conceded.map(tariffItem)];
    const got = [...side.got.map(tariffItem), ...side.received.map(commitmentItem)];
    return h('section', { class: 'ex-side', 'data-party': side.party.id, 'aria-label': name },
      h('h3', null, kindIcon(side.party.kind, 16), ` ${name}`),
      h('h4', null, `${name} gave`),
      gave.length ? h('ul', { class: 'ex-gave' }, gave) : h('p', { class: 'ex-muted ex-gave' }, 'Nothing recorded.'),
      h('h4', null, `${name} got`),
      got.length ? h('ul', { class: 'ex-got' }, got) : h('p', { class: 'ex-muted ex-got' }, 'Nothing recorded.'));
  }

  // ===================================================================================
  // Open in playground / copy query
  // ===================================================================================

  let lastQuery = { query: VIEW_QUERY, variables: viewVariables(state) };
  function updatePlaygroundLink(s) {
    lastQuery = { query: VIEW_QUERY, variables: viewVariables(s) };
    const params = new URLSearchParams({ query: lastQuery.query, variables: JSON.stringify(lastQuery.variables, null, 2) });
    $('open-playground').href = `/?${params}`;
  }

  // ===================================================================================
  // sync(): make the page match `state`
  // ===================================================================================

  let syncing = Promise.resolve();
  let pendingSyncs = 0;

  function sync() {
    pendingSyncs += 1;
    const s = state;
    syncControls();
    const run = async () => {
      const tasks = [];
      if (graphKey(s) !== loadedKey) {
        await loadGraph(s);
      } else if (s.x.join(',') !== loadedX.join(',')) {
        const added = s.x.filter((id) => !loadedX.includes(id));
        const removed = loadedX.filter((id) => !s.x.includes(id));
        if (removed.length || !added.length) await loadGraph(s);
        else await expandGraph(s, added);
      } else {
        applySelection(s);
        renderNodeList();
      }
      if (s === state) {
        tasks.push(loadPanel(s), loadPaths(s), loadDeal(s));
        await Promise.all(tasks);
      }
    };
    const guarded = async () => {
      try {
        await run();
      } catch (err) {
        // Never leave a rejected promise behind a click: say what failed instead.
        setStatus(`Something went wrong: ${err && err.message ? err.message : err}`, true);
      }
    };
    syncing = syncing.then(guarded).finally(() => { pendingSyncs -= 1; });
    return syncing;
  }

  // ===================================================================================
  // Start
  // ===================================================================================

  renderLegend();
  renderFilters();
  $('copy-query') && $('copy-query').addEventListener('click', async () => {
    const text = `${lastQuery.query}\n\n# variables\n# ${JSON.stringify(lastQuery.variables)}\n`;
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Copied the query and its variables.');
    } catch (_) {
      setStatus('Could not copy: the browser refused clipboard access.', true);
    }
  });

  const relationKinds = gql(RELATION_KINDS_QUERY, {}).then((data) => {
    const values = data.__type && data.__type.enumValues;
    if (values && values.length) {
      RELATIONS = values.map((v) => ({ name: v.name, description: v.description || '' }));
      renderFilters();
    }
  }).catch(() => {});
  const ticks = loadTimelineTicks();
  const first = sync();

  let started = false;
  Promise.all([relationKinds, ticks, first]).finally(() => { started = true; });

  // ===================================================================================
  // Test hook (read-only view of the page for the browser tests)
  // ===================================================================================

  window.__explore = {
    cy,
    get state() { return { ...state }; },
    get graphLoads() { return graphLoads; },
    // Committed batches received over the websocket, and whether it is open.
    get liveChanges() { return liveChanges; },
    get live() { return Boolean(liveSocket && liveSocket.readyState === WebSocket.OPEN); },
    get layouts() { return layoutTimes.slice(); },
    get requests() { return requestLog.slice(); },
    get truncated() { return truncated; },
    get paths() { return paths.slice(); },
    // The edge a relation is drawn as (its bundle's, when it has one), with the count.
    drawnEdge(id) {
      const e = cy.getElementById(id);
      if (e.empty()) return null;
      const d = drawnEdge(e);
      return { id: d.id(), count: d.data('count'), text: d.data('text'), visible: d.visible() };
    },
    // What keeps the page from being idle, for a test that waited too long to say.
    get busy() {
      return {
        started,
        inflight,
        unanswered: [...unanswered.values()],
        pendingSyncs,
        slider: Boolean(sliderTimer),
        comboboxes: comboboxes.filter((c) => c.busy()).length,
        status: $('status') ? $('status').textContent : null,
      };
    },
    // True when nothing is loading or waiting to load.
    idle() {
      return started && inflight === 0 && pendingSyncs === 0 && !sliderTimer
        && comboboxes.every((c) => !c.busy());
    },
    nodeIds() { return cy.nodes().map((n) => n.id()).sort(); },
    edgeIds() { return cy.edges().map((e) => e.id()).sort(); },
    onPath() { return cy.elements('.on-path').map((e) => e.id()); },
    // A node's place in the graph's own coordinates (unchanged by zoom and pan).
    position(id) {
      const n = cy.getElementById(id);
      return n.empty() ? null : { ...n.position() };
    },
    // The rendered position of a node, relative to the cy container (for real clicks).
    renderedPosition(id) {
      const n = cy.getElementById(id);
      if (n.empty()) return null;
      const p = n.renderedPosition();
      return { x: p.x, y: p.y };
    },
  };
})();
