-- The load scripts/bench gives wrk: POST /graphql with the JSON bodies of a file, one a
-- line, in turn (a file of one line sends the same body every time, prepared once).
-- Environment: BENCH_BODIES (the file), BENCH_NO_CACHE=1 (adds `Cache-Control: no-cache`),
-- BENCH_ALIAS_BASE=N (replaces `@ALIAS@` in each body with a unique alias, aN+1, aN+2, …:
-- no two requests share a document). Prints one line at the end:
-- `BENCH requests seconds p50_us p99_us errors`.

local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  bodies[#bodies + 1] = line
end
local alias_base = tonumber(os.getenv("BENCH_ALIAS_BASE") or "")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if os.getenv("BENCH_NO_CACHE") == "1" then
  wrk.headers["Cache-Control"] = "no-cache"
end

if #bodies == 1 and not alias_base then
  wrk.body = bodies[1]
else
  local sent = 0
  function request()
    sent = sent + 1
    local body = bodies[(sent - 1) % #bodies + 1]
    if alias_base then
      body = body:gsub("@ALIAS@", "a" .. (alias_base + sent), 1)
    end
    return wrk.format(nil, nil, nil, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %.3f %d %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
