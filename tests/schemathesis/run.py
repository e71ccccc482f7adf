"""Runs schemathesis in GraphQL mode against the real server and prints a summary.

Starts `pledgegraph serve --addr 127.0.0.1:0` (the binary under CARGO_TARGET_DIR, else
target/), waits for the line that says where it listens, and runs `schemathesis run` on its
`/graphql` for a bounded number of generated queries per root field, queries and mutations
(the server has no data directory, so every mutation is refused cleanly). Judged by the
`no_server_error` check of hooks.py only. Fails when schemathesis fails, when the server
logged a panic, or when it no longer answers afterwards.

The seed is random and printed; PLEDGEGRAPH_SCHEMATHESIS_SEED replays a run, and
PLEDGEGRAPH_SCHEMATHESIS_EXAMPLES sets the number of queries per root field.
"""

import json
import os
import queue
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGET = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR") or "target")
BINARY = os.path.join(TARGET, "debug", "pledgegraph")
# Through the interpreter, so a virtual environment that moved still runs.
SCHEMATHESIS = [sys.executable, "-m", "schemathesis.cli"]

# Queries per root field (43 of them); about a minute on a loaded 2-core machine.
EXAMPLES = int(os.environ.get("PLEDGEGRAPH_SCHEMATHESIS_EXAMPLES") or 50)
# Generous: only a broken start should ever reach it.
START_SECONDS = 120


def start_server():
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: run `cargo build` first")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLEDGEGRAPH_")}
    env.update(RUST_LOG="info", NO_COLOR="1")
    server = subprocess.Popen(
        # One client asking as fast as it can: a rate limit would answer it 429 and
        # leave most of the schema untried.
        [BINARY, "serve", "--addr", "127.0.0.1:0", "--rate-limit-per-second", "0"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    lines = queue.Queue()
    log = []

    def drain():
        for line in server.stderr:
            log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            server.kill()
            sys.exit("the server did not say where it listens:\n" + "".join(log))
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return server, found.group(1), log


def still_answers(origin):
    request = urllib.request.Request(
        f"{origin}/graphql",
        data=json.dumps({"query": "{ __typename }"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response).get("data") == {"__typename": "QueryRoot"}
    except OSError:
        return False


def main():
    seed = int(os.environ.get("PLEDGEGRAPH_SCHEMATHESIS_SEED") or random.randrange(1 << 63))
    server, origin, log = start_server()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        tally_path = os.path.join(scratch, "tally.json")
        env = dict(os.environ)
        env.update(
            SCHEMATHESIS_HOOKS=os.path.join(HERE, "hooks.py"),
            PLEDGEGRAPH_SCHEMATHESIS_TALLY=tally_path,
            NO_COLOR="1",
        )
        command = [
            *SCHEMATHESIS, "--config-file", os.path.join(HERE, "schemathesis.toml"),
            "run", f"{origin}/graphql",
            "--checks", "no_server_error",
            "--max-examples", str(EXAMPLES),
            "--seed", str(seed),
            "--workers", "2",
            "--request-timeout", "60",
            "--no-color",
        ]
        try:
            code = subprocess.run(command, cwd=scratch, env=env, check=False).returncode
            answers = still_answers(origin)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        try:
            with open(tally_path, encoding="utf-8") as f:
                tally = json.load(f)
        except (OSError, ValueError):
            tally = {"statuses": {}, "codes": {}, "with_data": 0}
    elapsed = time.monotonic() - started
    panics = [line.rstrip() for line in log if "panicked" in line]
    total = sum(tally["statuses"].values())
    statuses = ", ".join(f"{n}× {s}" for s, n in tally["statuses"].items()) or "none"
    codes = ", ".join(f"{n}× {c}" for c, n in tally["codes"].items()) or "none"
    print(f"schemathesis: {total} requests in {elapsed:.0f} s, seed {seed} "
          f"(PLEDGEGRAPH_SCHEMATHESIS_SEED={seed} replays it)")
    print(f"  statuses: {statuses}; {tally['with_data']} answers with data")
    print(f"  error codes: {codes}")
    failed = []
    if code != 0:
        failed.append(f"schemathesis exited {code}")
    if panics:
        failed.append("the server logged a panic:\n    " + "\n    ".join(panics[:10]))
    if not answers:
        failed.append("the server no longer answers `{ __typename }`")
    if total == 0:
        failed.append("no request was checked")
    if failed:
        print("schemathesis: FAILED: " + "; ".join(failed))
        sys.exit(1)
    print("schemathesis: no server error")


if __name__ == "__main__":
    main()
