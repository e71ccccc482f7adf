#!/usr/bin/env python3
"""The parts of scripts/bench that are easier in Python (standard library only): the request
bodies of each query, the check that every server gives the same answer, oha's summary, and
the report (tables, medians, ratios, goals) printed and written into BENCHMARKS.md.

  harness.py bodies URL QUERIES_DIR OUT_DIR [MAX]
                                                 bodies for every query, entities from URL,
                                                 at most MAX a query
  harness.py check OUT [--alias] [--errors-on NAME [--mean-size]] [--ceiling NAME] [--apart NAME]
                   BODIES NAME=URL ...
  harness.py oha FILE DB                         p50 and p99 (µs) of oha's JSON output, and
                                                 the longest pause in its sending (its --db-url)
  harness.py work-shape LOG OFFSET WORK_US BODIES OUT
                                                 the busy ceiling's work for each body: the
                                                 shape of pledgegraph's request times in LOG
                                                 from byte OFFSET, at a mean of WORK_US
  harness.py report WORK_DIR [--write BENCHMARKS.md]
"""

import contextlib
import json
import math
import os
import random
import re
import sqlite3
import statistics
import sys
import urllib.request

HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-cache"}
ALIAS = "@ALIAS@"


def post(url, body):
    """The raw answer of one POST /graphql."""
    request = urllib.request.Request(url + "/graphql", data=body.encode(), headers=HEADERS)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def ask(url, query, variables=None):
    answer = json.loads(post(url, json.dumps({"query": query, "variables": variables or {}})))
    if "errors" in answer:
        sys.exit(f"bench: listing entities failed: {json.dumps(answer['errors'])[:500]}")
    return answer["data"]


def pages(url, field, selection, extra=""):
    """Every node of a connection, by pages of 100."""
    nodes, after = [], None
    while True:
        data = ask(
            url,
            f"query ($after: String) {{ {field}(first: 100, after: $after{extra}) "
            f"{{ pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {selection} }} }} }} }}",
            {"after": after},
        )[field]
        nodes += [edge["node"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


def walk(items):
    """The items in a fixed stride (coprime to their count), so that neighbours differ."""
    stride = next(s for s in range(7, 10_000) if math.gcd(s, len(items)) == 1)
    return [items[k * stride % len(items)] for k in range(len(items))]


def with_alias(query):
    """The query with `@ALIAS@: ` before its first root field."""
    at = query.index("{") + 1
    return query[:at] + f" {ALIAS}:" + query[at:]


def bodies(url, queries_dir, out_dir, most=None):
    """Writes QUERY.jsonl (the fixed query), QUERY-vars.jsonl (one body per entity, in a
    stride, at most `most` of them) and QUERY-alias.jsonl (the same with an alias to
    replace) for q0..q5, and lists.txt (what the entities are)."""
    most = int(most) if most else None
    read = lambda name: open(f"{queries_dir}/{name}.graphql").read().strip()  # noqa: E731
    codes = [c["code"] for c in pages(url, "countries", "id code") if c["code"]]
    commitments = [c["id"] for c in pages(url, "commitments", "id", ", orderBy: [{field: ID}]")]
    totals = ask(url, "{ pledgeTotals(groupBy: [PLEDGER]) { pledger { id } } }")["pledgeTotals"]
    pledgers = sorted({t["pledger"]["id"] for t in totals})
    if not codes or len(commitments) < 100 or len(pledgers) < 2:
        sys.exit(f"bench: the graph at {url} is too small for the defeated runs")
    codes, commitments, pledgers = walk(codes), walk(commitments), walk(pledgers)
    half = len(pledgers) // 2
    windows = min(len(commitments) // math.gcd(50, len(commitments)), most or math.inf)
    variables = {
        "q1": [{"code": c} for c in codes],
        "q2": [
            {"ids": [commitments[(50 * k + j) % len(commitments)] for j in range(50)]}
            for k in range(windows)
        ],
        "q3": [{"id": p} for p in pledgers],
        "q4": [
            {"from": p, "to": pledgers[(k + half) % len(pledgers)]} for k, p in enumerate(pledgers)
        ],
        "q5": [{"pledger": p} for p in pledgers],
    }
    variables = {name: sets[:most] for name, sets in variables.items()}
    for name in ["q0", "q1", "q2", "q3", "q4", "q5"]:
        with open(f"{out_dir}/{name}.jsonl", "w") as out:
            out.write(json.dumps({"query": read(name)}) + "\n")
    for name, sets in variables.items():
        query = read(f"{name}-vars")
        for suffix, text in [("vars", query), ("alias", with_alias(query))]:
            with open(f"{out_dir}/{name}-{suffix}.jsonl", "w") as out:
                for v in sets:
                    out.write(json.dumps({"query": text, "variables": v}) + "\n")
    with open(f"{out_dir}/lists.txt", "w") as out:
        out.write(
            f"{len(variables['q1'])} country codes (Q1), {len(variables['q2'])} windows of 50 "
            f"of {len(commitments)} commitments (Q2), {len(variables['q3'])} pledgers (Q3, "
            "Q5; Q4 from each to the one half the list away)\n"
        )


def normal(raw, alias):
    """An answer as compared: keys sorted, the alias renamed back to the field."""
    answer = json.loads(raw)
    if alias and isinstance(answer.get("data"), dict) and "a1" in answer["data"]:
        answer["data"][alias] = answer["data"].pop("a1")
    return json.dumps(answer, sort_keys=True, indent=1)


def check(args):
    """Every server gives the same answer, without `errors`, to a few of the bodies (the
    first, and four spread over the list); the server of --errors-on answers every body
    without errors, and with --mean-size prints the mean length of those answers in bytes.
    Writes the first server's raw answer to the first body to OUT, for a ceiling. The
    --ceiling server only gets the first body. The --apart server's answers must hold no
    errors but may differ from the others' (the baseline: code from before changes to the
    API that its answers do not have); how they differ in size is printed."""
    out, alias, errors_on, ceiling, mean_size, apart = args[0], False, None, None, False, None
    args = args[1:]
    while args[0].startswith("--"):
        flag, args = args[0], args[1:]
        if flag == "--alias":
            alias = True
        elif flag == "--errors-on":
            errors_on, args = args[0], args[1:]
        elif flag == "--ceiling":
            ceiling, args = args[0], args[1:]
        elif flag == "--mean-size":
            mean_size = True
        elif flag == "--apart":
            apart, args = args[0], args[1:]
    lines = open(args[0]).read().splitlines()
    servers = dict(a.split("=", 1) for a in args[1:])
    field = None
    if alias:
        query = json.loads(lines[0])["query"]
        field = re.match(r"\s*:\s*(\w+)", query[query.index(ALIAS) + len(ALIAS) :]).group(1)
        lines = [line.replace(ALIAS, "a1", 1) for line in lines]
    picks = sorted({0, *(len(lines) * k // 5 for k in range(1, 5))})
    reference = {}
    for name, url in servers.items():
        for i in [0] if name == ceiling else picks:
            raw = post(url, lines[i])
            if not reference:
                with open(out, "wb") as f:
                    f.write(raw)
            mine = normal(raw, field)
            if "errors" in json.loads(raw) or "data" not in json.loads(raw):
                sys.exit(f"bench: {name} answered body {i} with errors:\n{lines[i]}\n{mine[:3000]}")
            if name == apart:
                if i in reference and mine != reference[i][1]:
                    print(f"bench: {name}'s answer to body {i} differs from {reference[i][0]}'s "
                          f"({len(mine):,} bytes against {len(reference[i][1]):,}, compared with "
                          "keys sorted), as the API has changed since", file=sys.stderr)
                continue
            first, theirs = reference.setdefault(i, (name, mine))
            if mine != theirs:
                sys.exit(
                    f"bench: {name} and {first} differ on body {i}:\n{lines[i]}\n"
                    f"--- {name}:\n{mine[:4000]}\n--- {first}:\n{theirs[:4000]}"
                )
    if errors_on:
        sizes = []
        for i, line in enumerate(lines):
            raw = post(servers[errors_on], line)
            if "errors" in json.loads(raw):
                sys.exit(f"bench: {errors_on} answered body {i} with errors:\n{line}")
            sizes.append(len(raw))
        if mean_size:
            print(round(statistics.mean(sizes)))


def oha(path, db):
    """p50 and p99 in µs, the count of responses that were not 200, and the longest pause
    in oha's sending in µs: the longest time between two requests sent one after the
    other (oha's `--db-url` file). oha sends whenever one of its 32 connections is free,
    so the server can hold it back for 32 requests' work at most (32 / peak: 0.7 ms at
    45,000 requests a second); a longer pause is oha or the machine stopping."""
    summary = json.load(open(path))
    pct = summary["latencyPercentiles"]
    codes = summary.get("statusCodeDistribution", {})
    bad = sum(n for code, n in codes.items() if code != "200") + sum(
        summary.get("errorDistribution", {}).values()
    )
    with contextlib.closing(sqlite3.connect(db)) as conn:
        sent = sorted(t for (t,) in conn.execute("SELECT start FROM oha"))
    pause = max((b - a for a, b in zip(sent, sent[1:])), default=0.0)
    print(round(pct["p50"] * 1e6), round(pct["p99"] * 1e6), bad, round(pause * 1e6))


def pace(path):
    """p50 and p99 in µs, the count of requests not answered with a 200, and pace's own
    stops on its core (examples/pace.rs): the longest, and all of them together, in µs."""
    summary = json.load(open(path))
    print(round(summary["p50_us"]), round(summary["p99_us"]), summary["not_200"],
          round(summary["longest_stop_us"]), round(summary["stopped_us"]))


DURATION = re.compile(rb"path=/graphql\b.*\bstatus=200\b.*\bduration_us=(\d+)")


def work_shape(log, offset, work_us, bodies_file, out):
    """Writes one number of µs a body of BODIES (`examples/pace.rs --work-file`): the times
    pledgegraph logged for its GraphQL requests from byte OFFSET of LOG (`duration_us`),
    taken at evenly spaced quantiles, one a body, scaled so that their mean is WORK_US, and
    shuffled. The busy ceiling then works as long as pledgegraph on average, as its constant
    work does, but varies from request to request as pledgegraph's time does. Prints how
    many times were read, and their p50 and p99 in µs."""
    with open(log, "rb") as f:
        f.seek(int(offset))
        times = sorted(int(m.group(1)) for m in map(DURATION.search, f) if m)
    count = sum(1 for line in open(bodies_file) if line.strip())
    work_us = int(work_us)
    if not times or count == 0:
        shape = [work_us] * max(count, 1)
    else:
        picked = [times[min(len(times) - 1, int((i + 0.5) * len(times) / count))] for i in range(count)]
        mean = sum(picked) / len(picked)
        shape = [round(t * work_us / mean) if mean else work_us for t in picked]
        random.Random(1).shuffle(shape)
    with open(out, "w") as f:
        f.write("\n".join(str(x) for x in shape) + "\n")
    p50 = times[len(times) // 2] if times else 0
    p99 = times[min(len(times) - 1, len(times) * 99 // 100)] if times else 0
    print(len(times), p50, p99)


# ---------------------------------------------------------------------------------------
# The report

MODES = {
    "repeated": "Repeated: the same query every time, answer caches on",
    "defeated": "Answer caches defeated: a different entity on every request, `Cache-Control: no-cache`",
    "alias": "Document caches defeated too: as above, with a unique alias on every request",
}
SERVERS = ["pledgegraph", "baseline", "peer", "ceiling"]
TITLES = {
    "q0": "Q0 `{ __typename }`",
    "q1": "Q1 a country's pledges",
    "q2": "Q2 50 commitments",
    "q3": "Q3 neighbourhood, depth 2, 200 nodes",
    "q4": "Q4 three shortest paths",
    "q5": "Q5 grouped `pledgeTotals`",
}


def fmt_rate(x):
    return f"{x:,.0f}"


def fmt_us(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def latency_medians(path, columns, control="ceiling"):
    """Per query, in the order run: (query, pledgegraph's, `control`'s), each the medians
    over the rounds of the rate, p50, p99 and p99 / p50 (`tail`), the smallest and largest
    rate and p99 / p50, the responses that were not 200 over all rounds, and for each of
    `columns` (the rest of a line of the file, after the not 200s) its median, or its
    largest for a column named `most_…`."""
    rows = [line.split("\t") for line in open(path).read().splitlines()] if os.path.exists(path) else []
    by, order = {}, []
    for query, rate, server, _round, p50, p99, bad, *rest in rows:
        if query not in order:
            order.append(query)
        by.setdefault((query, server), []).append(
            (float(rate), float(p50), float(p99), int(bad), [float(x) for x in rest[: len(columns)]])
        )

    def medians(runs):
        tails = [p99 / p50 for _, p50, p99, *_ in runs]
        m = {
            "rate": statistics.median(r[0] for r in runs),
            "rates": (min(r[0] for r in runs), max(r[0] for r in runs)),
            "p50": statistics.median(r[1] for r in runs),
            "p99": statistics.median(r[2] for r in runs),
            "tail": statistics.median(tails),
            "least": min(tails),
            "most": max(tails),
            "bad": sum(r[3] for r in runs),
        }
        for i, name in enumerate(columns):
            values = [r[4][i] for r in runs]
            m[name] = max(values) if name.startswith("most_") else statistics.median(values)
        return m

    return [
        (q, medians(by[(q, "pledgegraph")]), medians(by[(q, control)]))
        for q in order
        if (q, "pledgegraph") in by and (q, control) in by
    ]


def served_times(path):
    """Per query, pledgegraph's own request times in its paced rounds, from its log
    (`work-shape`'s counts): the medians over the rounds of p50 and p99 in µs, and of
    p99 / p50. Empty when none were written."""
    rows = [line.split("\t") for line in open(path).read().splitlines()] if os.path.exists(path) else []
    by = {}
    for query, _round, count, p50, p99 in rows:
        if int(count) and float(p50):
            by.setdefault(query, []).append((float(p50), float(p99)))
    return {q: {"p50": statistics.median(r[0] for r in runs),
                "p99": statistics.median(r[1] for r in runs),
                "tail": statistics.median(r[1] / r[0] for r in runs)}
            for q, runs in by.items()}


def idle_gaps(path):
    """examples/idle_gaps.rs's lines, by working set: (back to back, after a gap), each with
    p50 and p99 in µs and the gap as slept in µs; empty when it did not run."""
    if not os.path.exists(path):
        return {}
    runs = {}
    for line in open(path).read().splitlines():
        _, kib, gap, _runs, p50, p99 = line.split()
        runs.setdefault(int(kib), []).append(
            {"gap": float(gap), "p50": float(p50) / 1000, "p99": float(p99) / 1000}
        )
    return {kib: (r[0], r[-1]) for kib, r in runs.items() if len(r) >= 2}


def fmt_rates(m):
    """A median rate, with its smallest and largest over the rounds when they differ."""
    least, most = m["rates"]
    if least == most:
        return fmt_rate(m["rate"])
    return f"{fmt_rate(m['rate'])} ({fmt_rate(least)}–{fmt_rate(most)})"


def fmt_share(x):
    return f"{x * 100:.0f}%"


def fmt_tail(m):
    """A median p99 / p50, with its smallest and largest over the rounds when they differ."""
    if m["least"] == m["most"]:
        return f"{m['tail']:.2f}"
    return f"{m['tail']:.2f} ({m['least']:.2f}–{m['most']:.2f})"


def machine_info(work):
    """What scripts/bench wrote about the run and the machine, by key."""
    return dict(line.rstrip("\n").split("\t", 1) for line in open(f"{work}/machine.tsv"))


def medians(work):
    """Each (mode, query, server)'s rounds of results.tsv, with the medians of its rate,
    p50 and p99, its requests, errors and answer-cache hits summed."""
    rows = [line.split("\t") for line in open(f"{work}/results.tsv").read().splitlines()]
    runs = {}
    for mode, query, server, rps, p50, p99, requests, errors, hits in rows:
        run = runs.setdefault((mode, query, server), {"rps": [], "p50": [], "p99": [], "n": 0, "errors": 0, "hits": None})
        run["rps"].append(float(rps))
        run["p50"].append(float(p50))
        run["p99"].append(float(p99))
        run["n"] += int(requests)
        run["errors"] += int(errors)
        if hits != "n/a":
            run["hits"] = (run["hits"] or 0) + int(hits)
    return {k: v | {m: statistics.median(v[m]) for m in ["rps", "p50", "p99"]} for k, v in runs.items()}


def machine_section(info, w):
    w("#### Machine")
    w("")
    for key in ["cpu", "cores", "memory", "kernel", "load", "rustc", "node", "wrk", "oha", "commit", "binary", "pinning"]:
        w(f"- {key}: {info[key]}")


def publish(out, write, begin, end):
    """Prints the report, and writes it into the file `write` between its markers."""
    text = "\n".join(out) + "\n"
    print(text)
    if write:
        doc = open(write).read()
        if begin not in doc or end not in doc:
            sys.exit(f"bench: {write} lacks the markers {begin} and {end}")
        head, rest = doc.split(begin, 1)
        tail = rest.split(end, 1)[1]
        open(write, "w").write(head + begin + "\n\n" + text + "\n" + end + tail)
        print(f"bench: written to {write}", file=sys.stderr)


def run_of(info, rounds=""):
    """The report's first line: when, the command, the rounds (and how `rounds` takes them)."""
    return (f"Run of {info['date']}: `{info['command']}`, {info['rounds']} rounds of {info['seconds']} s "
            f"after a {info['warmup']} s warm-up per server, medians over the rounds{rounds}. "
            f"{info['took']}")


def report(work, write):
    med = medians(work)
    info = machine_info(work)
    out = []
    w = out.append
    w(run_of(info))
    w("")
    w("Graphs: the built-in seed for the repeated Q0, Q1, Q3, Q4, Q5; a generated graph of "
      "10,000 entities (`pledgegraph generate --entities 10000 --relations-per-entity 5 "
      f"--rng-seed 1`) for Q2 and every defeated run, with {info['lists']}")
    w("")
    w("Servers: **pledgegraph** (the binary timed, default configuration but "
      "`--rate-limit-per-second 0`, log and metrics on); **baseline** (the same at "
      f"{info['baseline']}, checked for errors only: it answers without what the API gained "
      "since, such as a tariff's `revised` relations, so its answers can be a little "
      "smaller); **peer** (Apollo Server, `bench/peers/apollo/`); **ceiling** "
      "(`examples/ceiling.rs`: the answer's bytes, precomputed; in a defeated run, the first "
      "entity's answer). " + info["peer_note"])
    w("")
    for mode, title in MODES.items():
        keys = [k for k in med if k[0] == mode]
        if not keys:
            continue
        w(f"#### {title}")
        w("")
        w("| query | server | req/s | p50 | p99 | / peer | / ceiling | answer-cache hits | errors |")
        w("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for query in TITLES:
            peer = med.get((mode, query, "peer"), {}).get("rps")
            ceiling = med.get((mode, query, "ceiling"), {}).get("rps")
            for server in SERVERS:
                r = med.get((mode, query, server))
                if not r:
                    continue
                hits = "n/a" if r["hits"] is None else f"{r['hits']:,} of {r['n']:,}"
                if server not in ("pledgegraph", "baseline"):
                    hits = ""
                w(f"| {TITLES[query]} | {server} | {fmt_rate(r['rps'])} | {fmt_us(r['p50'])} | "
                  f"{fmt_us(r['p99'])} | {'' if server == 'peer' else ratio(r['rps'], peer)} | "
                  f"{'' if server == 'ceiling' else ratio(r['rps'], ceiling)} | {hits} | {r['errors']} |")
        w("")
    latency = latency_medians(f"{work}/latency.tsv", ["most_pause", "busy", "most_steal"])
    paced = latency_medians(f"{work}/paced.tsv", ["most_stop", "stopped", "work"], "busy")
    varied = {q: m for q, _, m in latency_medians(f"{work}/paced.tsv", ["most_stop", "stopped", "work"], "varied")}
    served = served_times(f"{work}/served.tsv")
    if latency:
        w("#### Latency at a fixed rate: half of pledgegraph's peak, with oha")
        w("")
        w(f"oha, 32 connections, {info.get('latency_rounds', '1')} rounds of "
          f"{info['oha_seconds']} s at a fixed rate, each round pledgegraph then the ceiling, "
          "medians over the rounds (p99 / p50 the median of each round's; its smallest and "
          "largest in brackets); latency corrected for "
          "coordinated omission, against pledgegraph: Q0 as it is, the others in their defeated "
          "form, each request a body of the defeated run picked at random (`-Z`), without "
          "`Accept-Encoding` (`--disable-compression`), as wrk sends them (`Cache-Control: "
          "no-cache` except for Q0, whose answer cache is on as in its repeated run). Each "
          "round's rate is half of pledgegraph's peak measured with wrk "
          f"({info.get('peak_seconds', '?')} s, as in the runs above) right before it: the "
          "median rate, and the smallest and largest, in brackets.")
        w("")
        w("Beside each, the ceiling at the same rate: the tail that oha and this machine give an "
          "answer that costs nothing to make. Core 0 (the servers') busy: the median share of "
          "its time spent running anything during pledgegraph's runs; stolen: the largest "
          "share the hypervisor gave to other machines during any run of the query "
          "(`/proc/stat`). oha's longest pause: the longest time between two of its requests "
          "sent one after the other in any round, against pledgegraph / against the ceiling. "
          "With latency correction, each request due during such a pause counts it. oha sends "
          "whenever one of its 32 connections is free, so a server holds it back for 32 "
          "requests' work at most (32 / peak); a longer pause is oha or the machine stopping.")
        w("")
        w("| query | rate (req/s) | p50 | p99 | p99 / p50 | not 200 | core 0 busy | ceiling p50 | ceiling p99 | ceiling p99 / p50 | stolen | oha's longest pause |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for query, ours, ceiling in latency:
            w(f"| {TITLES[query]} | {fmt_rates(ours)} | {fmt_us(ours['p50'])} | {fmt_us(ours['p99'])} | "
              f"{fmt_tail(ours)} | {ours['bad']} | {fmt_share(ours['busy'])} | "
              f"{fmt_us(ceiling['p50'])} | {fmt_us(ceiling['p99'])} | {fmt_tail(ceiling)} | "
              f"{fmt_share(max(ours['most_steal'], ceiling['most_steal']))} | "
              f"{fmt_us(ours['most_pause'])} / {fmt_us(ceiling['most_pause'])} |")
        w("")
        if paced:
            w("The same rates sent evenly (`examples/pace.rs`, on core 1 as oha is): oha "
              "releases the requests of a fixed rate on tokio's timer, a millisecond's worth "
              "at a time, so a server on one core answers them in a queue; pace sends each "
              "request at its own time, to the microsecond, over 32 connections, the same "
              "bodies picked at random, and counts each request's latency from the time it was "
              "due (corrected for coordinated omission, as oha's).")
            w("")
            w("Beside each, the **busy ceiling** at the same rate: the ceiling made to keep its "
              "core busy for as long as a request costs pledgegraph at its peak, less the "
              "ceiling's own time (`x-ceiling-work-us`; the median over the rounds in the "
              "table), then answer with the same bytes. It is any server of pledgegraph's cost "
              "at that rate on this machine, with none of pledgegraph's work. pace spins "
              "between sends, so a gap of 100 µs or more between two turns of its loop is its "
              "core stopped: pace's stops, the longest in any round and the median total of a "
              "round, against pledgegraph / against the busy ceiling.")
            w("")
            w("Then the busy ceiling with **varied** work: the same mean work, but each request "
              "asks for its own (`pace --work-file`), drawn from the times pledgegraph logged "
              "for its requests in the round before (`duration_us`, at evenly spaced quantiles, "
              "one a body, scaled to that mean: `harness.py work-shape`). A server whose "
              "requests differ in cost queues longer at the same load than one whose requests "
              "cost the same; this is the control for that. Last, pledgegraph's own times for "
              "those requests, as its log has them (`duration_us`: from the moment the server "
              "took the request up to its answer, without the time the request waited before "
              "it was read).")
            w("")
            w("| query | rate (req/s) | p50 | p99 | p99 / p50 | not 200 | busy ceiling's work | busy ceiling p50 | p99 | p99 / p50 | varied: p50 | p99 | p99 / p50 | pace's longest stop | pace's stops in a round | pledgegraph's own: p50 | p99 | p99 / p50 |")
            w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for query, ours, busy in paced:
                mixed = varied.get(query)
                mixed_cells = (f"{fmt_us(mixed['p50'])} | {fmt_us(mixed['p99'])} | {fmt_tail(mixed)}"
                               if mixed else "– | – | –")
                own = served.get(query)
                own_cells = (f"{fmt_us(own['p50'])} | {fmt_us(own['p99'])} | {own['tail']:.2f}"
                             if own else "– | – | –")
                w(f"| {TITLES[query]} | {fmt_rates(ours)} | {fmt_us(ours['p50'])} | {fmt_us(ours['p99'])} | "
                  f"{fmt_tail(ours)} | {ours['bad']} | {fmt_us(busy['work'])} | "
                  f"{fmt_us(busy['p50'])} | {fmt_us(busy['p99'])} | {fmt_tail(busy)} | {mixed_cells} | "
                  f"{fmt_us(ours['most_stop'])} / {fmt_us(busy['most_stop'])} | "
                  f"{fmt_us(ours['stopped'])} / {fmt_us(busy['stopped'])} | {own_cells} |")
            w("")
        idle = idle_gaps(f"{work}/idle.txt")
        if idle:
            w("This machine's own tail (`examples/idle_gaps.rs`, on core 0, before the rounds "
              "above): the same work, 4,000 dependent reads over a working set, timed back to "
              "back and with the core left idle between runs, as a server at a fixed rate is "
              "between requests. A core's caches are taken by other work while it idles.")
            w("")
            w("| working set | back to back: p50 | p99 | p99 / p50 | after an idle gap of | p50 | p99 | p99 / p50 | p50 after / back to back |")
            w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for kib, (back, after) in idle.items():
                w(f"| {kib} KiB | {fmt_us(back['p50'])} | {fmt_us(back['p99'])} | "
                  f"{back['p99'] / back['p50']:.2f} | {after['gap']:.0f} µs | {fmt_us(after['p50'])} | "
                  f"{fmt_us(after['p99'])} | {after['p99'] / after['p50']:.2f} | "
                  f"{after['p50'] / back['p50']:.2f} |")
            w("")
    w("#### Goals")
    w("")
    w("| goal | figure | met? |")
    w("| --- | --- | --- |")

    def rps(mode, query, server):
        return med.get((mode, query, server), {}).get("rps")

    def goal(text, mode, query, other, at_least, aim=None):
        a, b = rps(mode, query, "pledgegraph"), rps(mode, query, other)
        if a is None or b is None:
            w(f"| {text} | not measured in this run | – |")
            return
        figure = f"{a / b:.2f}× ({fmt_rate(a)} / {fmt_rate(b)} req/s)"
        if mode == "defeated" and rps("alias", query, "pledgegraph") and rps("alias", query, other):
            figure += f"; {rps('alias', query, 'pledgegraph') / rps('alias', query, other):.2f}× with document caches defeated too"
        met = "met" if a / b >= at_least else "not met"
        if aim:
            met += f" (aim {aim}×: {'met' if a / b >= aim else 'not met'})"
        w(f"| {text} | {figure} | {met} |")

    goal("Q0: at least 0.4 of its ceiling", "repeated", "q0", "ceiling", 0.4)
    goal("Q1 repeated: at least 0.5 of its ceiling", "repeated", "q1", "ceiling", 0.5)
    goal("Q1, caching defeated: at least 4× the peer", "defeated", "q1", "peer", 4, 8)
    goal("Q2, caching defeated: at least 10× the peer", "defeated", "q2", "peer", 10)
    goal("Q3, caching defeated: at least 5× the baseline", "defeated", "q3", "baseline", 5)

    def tail_goal(runs, tool, control, also=None, own=None):
        if not runs:
            return f"not measured {tool}", None
        worst = max(runs, key=lambda r: r[1]["tail"])
        other = max(r[2]["tail"] for r in runs)
        text = (f"{tool}: worst {worst[1]['tail']:.2f}× ({worst[0].upper()}) over {len(runs)} "
                f"queries (medians over the rounds), {control} at the same rates worst "
                f"{other:.2f}×")
        if also:
            text += f", with varied work worst {max(m['tail'] for m in also.values()):.2f}×"
        if own:
            text += (f"; pledgegraph's own request times (its log) worst "
                     f"{max(m['tail'] for m in own.values()):.2f}×")
        return text, all(r[1]["tail"] <= 3 for r in runs)

    figures = [tail_goal(latency, "with oha", "the ceiling"),
               tail_goal(paced, "sent evenly (pace)", "the busy ceiling", varied, served)]
    measured = [ok for _, ok in figures if ok is not None]
    met = "not measured" if not measured else "met" if all(measured) else "not met"
    w(f"| at half of the peak rate, p99 at most 3× p50 for every query | "
      f"{'; '.join(text for text, _ in figures)} | {met} |")
    w("")
    machine_section(info, w)
    publish(out, write, "<!-- scripts/bench: begin -->", "<!-- scripts/bench: end -->")


def report_large(work, write):
    """The large run: each query on the 10k and the 1M graph, and how its rate fell."""
    med = medians(work)
    info = machine_info(work)
    out = []
    w = out.append
    w(run_of(info, ", each round taking the two graphs in turn"))
    w("")
    w("Graphs generated by `pledgegraph generate --relations-per-entity 5 --rng-seed 1`: "
      f"**10k**, 10,000 entities, with {info['lists']}; **1M**, 1,000,000 entities, with "
      f"{info['large']}. pledgegraph (the binary timed, default configuration but "
      "`--rate-limit-per-second 0`, log and metrics on) serves each; every request asks for "
      "a different entity, with `Cache-Control: no-cache`, so no answer comes from a cache.")
    w("")
    sizes = {}
    for line in open(f"{work}/sizes.tsv").read().splitlines():
        query, server, size = line.split("\t")
        sizes[(query, server)] = f"{int(size):,}"
    w("| query | 10k req/s | 1M req/s | 1M / 10k | 10k p50 | 1M p50 | 1M p99 | answer (B), 10k / 1M | answer-cache hits | errors |")
    w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for query in TITLES:
        small, large = med.get(("defeated", query, "g10k")), med.get(("defeated", query, "g1m"))
        if not small or not large:
            continue
        hits = sum(r["hits"] or 0 for r in (small, large))
        w(f"| {TITLES[query]} | {fmt_rate(small['rps'])} | {fmt_rate(large['rps'])} | "
          f"{ratio(large['rps'], small['rps'])} | {fmt_us(small['p50'])} | {fmt_us(large['p50'])} | "
          f"{fmt_us(large['p99'])} | {sizes.get((query, 'g10k'), '–')} / {sizes.get((query, 'g1m'), '–')} | "
          f"{hits:,} of {small['n'] + large['n']:,} | "
          f"{small['errors'] + large['errors']} |")
    w("")
    machine_section(info, w)
    publish(out, write, "<!-- scripts/bench --large: begin -->", "<!-- scripts/bench --large: end -->")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "bodies":
        bodies(*args)
    elif cmd == "check":
        check(args)
    elif cmd == "oha":
        oha(args[0], args[1])
    elif cmd == "pace":
        pace(args[0])
    elif cmd == "work-shape":
        work_shape(*args)
    elif cmd == "report":
        work, write = args[0], args[2] if args[1:2] == ["--write"] else None
        large = "large" in machine_info(work)
        (report_large if large else report)(work, write)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
