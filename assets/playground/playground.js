// pledgegraph playground: GraphiQL 4 + the explorer plugin, everything served same-origin.
// Loaded with `defer` after the vendored React, ReactDOM, GraphiQL and explorer UMD bundles
// (see index.html), which define window.React, window.ReactDOM, window.GraphiQL and
// window.GraphiQLPluginExplorer.
(function () {
  'use strict';

  // =====================================================================================
  // EXAMPLE QUERIES — the tabs the playground opens with. Edit freely; each entry is
  // { query, variables? } (variables as a JSON string). When you change them, bump
  // STORAGE_NAMESPACE below so returning visitors see the new set instead of the tabs
  // GraphiQL saved in their browser.
  // =====================================================================================
  const EXAMPLE_TABS = [
    {
      query: `# Who pledged what to the United States, largest first
query PledgesToTheUS {
  commitments(
    filter: { beneficiary: { eq: "country:us" } }
    orderBy: [{ field: AMOUNT, direction: DESC }]
    first: 10
  ) {
    totalCount
    edges {
      node {
        id
        name
        commitmentKind
        period
        pledger { name }
        amount {
          value { display money { amount currency } }
          sources { line attribution }
        }
      }
    }
  }
}
`,
    },
    {
      query: `# How Japan's investment figure changed, and by whose hand
query InvestmentHistory {
  commitment(id: "commitment:jp-us-investment-2025") {
    name
    amountHistory {
      value { display }
      validFrom { date inferred }
      madeBy { name }
      rank
      sources { line attribution }
    }
  }
}
`,
    },
    {
      query: `# The car tariff before and after the deal
query CarTariff {
  tariffMeasure(id: "tariff:us-jp-autos-2025") {
    name
    scope
    rateHistory {
      value {
        totalPercent
        components { kind percent label }
      }
      validFrom { date inferred }
      validUntil { date }
    }
    volumeLimit { value { unlimited } }
  }
}
`,
    },
    {
      query: `# Find an entity by any of its names
query Search {
  search(text: "Seoul", first: 5) {
    score
    matched
    text
    entity { id name __typename }
  }
}
`,
    },
    {
      query: `# Who said what about South Korea
query AboutKorea {
  statements(filter: { subject: { eq: "country:kr" } }) {
    edges {
      node {
        name
        description
        quotes
        speaker { name }
        date { date precision inferred }
      }
    }
  }
}
`,
    },
  ];

  // Same-origin GraphQL endpoint (POST, JSON).
  const GRAPHQL_URL = '/graphql';

  // GraphiQL keeps tabs, history and settings in localStorage under this prefix; saved tabs
  // win over EXAMPLE_TABS, so bump the suffix when the examples change.
  const STORAGE_NAMESPACE = 'pledgegraph-playground-v1';

  const mount = document.getElementById('graphiql');

  function fail(message) {
    mount.replaceChildren();
    const p = document.createElement('p');
    p.className = 'pg-loading pg-error';
    p.textContent = message;
    mount.appendChild(p);
  }

  const missing = ['React', 'ReactDOM', 'GraphiQL', 'GraphiQLPluginExplorer'].filter(
    (name) => !(name in window),
  );
  if (missing.length > 0) {
    fail('The playground could not start: ' + missing.join(', ') +
      ' did not load from /assets/vendor/.');
    return;
  }

  const { React, ReactDOM, GraphiQL, GraphiQLPluginExplorer } = window;

  // Plain JSON POST; pledgegraph does not do incremental delivery (@defer/@stream) or
  // subscriptions, so GraphiQL's multipart and websocket paths are not needed.
  const fetcher = GraphiQL.createFetcher({
    url: GRAPHQL_URL,
    enableIncrementalDelivery: false,
    headers: { accept: 'application/json' },
  });

  // A link such as /?query=…&variables=… (the explorer's "Open in playground") opens that
  // query first, with its variables. GraphiQL only honours default tabs when it has no
  // saved ones, so such a visit keeps its tabs in memory and leaves the visitor's saved
  // tabs alone. Its editors start from the `query` and `variables` props, not from the
  // first tab: without them the variables editor opens empty and Run answers that a
  // variable was not provided.
  const params = new URLSearchParams(window.location.search);
  const linked = params.get('query');
  const linkedVariables = params.get('variables') || undefined;
  const tabs = linked
    ? [{ query: linked, variables: linkedVariables }, ...EXAMPLE_TABS]
    : EXAMPLE_TABS;
  const opened = linked ? { query: linked, variables: linkedVariables } : {};
  const storage = linked ? memoryStorage() : GraphiQL.createLocalStorage({ namespace: STORAGE_NAMESPACE });

  function memoryStorage() {
    const items = new Map();
    return {
      getItem: (key) => (items.has(key) ? items.get(key) : null),
      setItem: (key, value) => { items.set(key, String(value)); },
      removeItem: (key) => { items.delete(key); },
      clear: () => { items.clear(); },
      key: (i) => Array.from(items.keys())[i] ?? null,
      get length() { return items.size; },
    };
  }

  const explorer = GraphiQLPluginExplorer.explorerPlugin();

  const root = ReactDOM.createRoot(mount);
  mount.replaceChildren();
  root.render(
    React.createElement(
      GraphiQL,
      {
        fetcher,
        ...opened,
        plugins: [explorer],
        defaultTabs: tabs,
        defaultEditorToolsVisibility: false,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        storage,
      },
      React.createElement(GraphiQL.Logo, null, 'pledgegraph'),
    ),
  );
})();
