"""Schemathesis hooks for pledgegraph: a strategy for the `Decimal` scalar, and the check
the run is judged by.

A random query rightly earns GraphQL errors (BAD_USER_INPUT, PAGE_SIZE_EXCEEDED,
GRAPHQL_VALIDATION_FAILED, FORBIDDEN for a write without a token, ...); those are the API
working. A server error is not: any 5xx status, an answer that is not JSON in the GraphQL
shape, or an error coded INTERNAL_SERVER_ERROR. Every answer's status and error codes are
tallied into the file named by PLEDGEGRAPH_SCHEMATHESIS_TALLY, for the run's summary.
"""

import atexit
import json
import os
import threading
from collections import Counter

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# `Decimal` travels as a string: mostly decimals (any size and exponent), some text that
# is not one.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.text(max_size=40),
    ).map(nodes.String),
)

_LOCK = threading.Lock()
_STATUSES: Counter = Counter()
_CODES: Counter = Counter()
# Answers whose `data` holds something other than nulls: queries that reached the graph.
_WITH_DATA = [0]


def _write_tally():
    path = os.environ.get("PLEDGEGRAPH_SCHEMATHESIS_TALLY")
    if not path:
        return
    with _LOCK:
        tally = {
            "statuses": {str(k): v for k, v in sorted(_STATUSES.items())},
            "codes": dict(_CODES.most_common()),
            "with_data": _WITH_DATA[0],
        }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(tally, out)


atexit.register(_write_tally)


def _errors(body):
    items = body if isinstance(body, list) else [body]
    for item in items:
        if not isinstance(item, dict):
            raise AssertionError(f"an answer is not a JSON object: {str(item)[:300]}")
        errors = item.get("errors") or []
        if not isinstance(errors, list):
            raise AssertionError(f"`errors` is not a list: {str(errors)[:300]}")
        yield from errors


@schemathesis.check
def no_server_error(ctx, response, case):
    """No 5xx, an answer in the GraphQL shape, and no error coded INTERNAL_SERVER_ERROR."""
    status = response.status_code
    with _LOCK:
        _STATUSES[status] += 1
    if status >= 500:
        raise AssertionError(f"status {status}: {response.text[:500]}")
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"status {status}, the answer is not JSON: {response.text[:300]}")
    codes = []
    for error in _errors(body):
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        codes.append(code or "<no code>")
        if code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"an internal server error: {json.dumps(error)[:500]}")
    items = body if isinstance(body, list) else [body]
    reached = sum(
        1
        for item in items
        if isinstance(item.get("data"), dict) and any(v is not None for v in item["data"].values())
    )
    with _LOCK:
        _CODES.update(codes)
        _WITH_DATA[0] += reached
    return None
