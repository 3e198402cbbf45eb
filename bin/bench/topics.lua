-- wrk script: POST /api/v1/topics, each request its own topic name, with the bearer token from $BENCH_TOKEN.
-- Counts the answers by status and prints latency percentiles (wrk's own, from its HDR histogram) in one line.
local threads = {}
local counter = 0
local prefix = ""
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = "wrk." .. run .. "." .. tostring(tid) .. "."
  statuses = {}
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"cluster":"local","name":"%s%d","partitions":1,"replicationFactor":1,' ..
    '"config":{"retention.ms":"3600000","cleanup.policy":"delete"},"owner":"demo"}', prefix, counter)
  return wrk.format("POST", "/api/v1/topics",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
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
