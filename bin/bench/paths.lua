-- wrk script: GET paths read from the file $BENCH_PATHS (one a line), each request a random one of them, with the
-- bearer token from $BENCH_TOKEN. Counts the answers by status and prints latency percentiles (wrk's own, from its HDR
-- histogram) in one line, as topics.lua does. Used by e2e's ViewBenchmark (GET of one topic, one request, a list page).
local threads = {}
local token = os.getenv("BENCH_TOKEN") or ""
local file = os.getenv("BENCH_PATHS") or error("BENCH_PATHS: the file of paths to GET")

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() * 100 + tid)
  statuses = {}
  headers = { ["Authorization"] = "Bearer " .. token }
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local answered = {}
  for status, n in pairs(counts) do table.insert(answered, status .. ":" .. n) end
  table.sort(answered)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rate=%.0f p50=%.1f p90=%.1f p99=%.1f max=%.1f errors=%d statuses=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(answered, ",")))
end
