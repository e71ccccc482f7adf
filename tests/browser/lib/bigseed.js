// Writes a generated seed of about `size` nodes around one hub country, in the format of
// seed/README.md: one source (the default), the hub, half the rest as countries allied to
// the hub (`[[relation]] ally-of`) and half as commitments the hub pledged to them (each a
// PLEDGED edge from the hub plus a BENEFITS edge to its country, with a money amount).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const HUB = 'country:hub';

function writeBigSeed(dir, size = 1000) {
  const countries = Math.floor((size - 1) / 2);
  const commitments = size - 1 - countries;
  const out = [];
  out.push('[seed]\ndefault_source = "source:generated"\n');
  out.push(`[[source]]
id = "source:generated"
kind = "document"
name = "Generated test source"
title = "Generated test source for the explorer's performance test"
description = "A source made up by the browser tests; every generated fact cites its line 1."
sources = [1]
`);
  out.push(`[[country]]
id = "${HUB}"
name = "Hubland"
aliases = ["Hub"]
description = "The hub of the generated graph: allied to every other country and pledging to each."
sources = [1]
`);
  const pad = (i) => String(i).padStart(4, '0');
  for (let i = 0; i < countries; i += 1) {
    out.push(`[[country]]
id = "country:c${pad(i)}"
name = "Country ${pad(i)}"
description = "Generated country number ${i}."
sources = [1]

[[relation]]
kind = "ally-of"
from = "${HUB}"
to = "country:c${pad(i)}"
sources = [1]
`);
  }
  for (let i = 0; i < commitments; i += 1) {
    out.push(`[[commitment]]
id = "commitment:p${pad(i)}"
name = "Pledge ${pad(i)}"
description = "Generated pledge number ${i}."
kind = "investment"
pledger = "${HUB}"
beneficiaries = ["country:c${pad(i % countries)}"]
period = "one-off"
sources = [1]

[[commitment.amount]]
key = "only"
money = { amount = "${(i + 1) * 1000000}", currency = "USD" }
sources = [1]
`);
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'generated.toml'), out.join('\n'));
  return { hub: HUB, nodes: 1 + countries + commitments };
}

module.exports = { writeBigSeed };
