-- wrk script for a steady intake: each connection creates topics and, once it has made $BENCH_WINDOW of them, deletes
-- the one it created $BENCH_WINDOW creates earlier after each new create, so the topics on the broker stay about
-- constant while requests keep coming. $BENCH_DELAY_MS paces each connection (wrk waits that long before its next
-- request). Prints the same RESULT line as topics.lua.
local threads = {}
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local window = tonumber(os.getenv("BENCH_WINDOW") or "200")
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = "steady." .. run .. "." .. tostring(tid) .. "."
  statuses = {}
  created = 0
  deleted = 0
  delete_next = false
end

if delay_ms then
  function delay()
    return delay_ms
  end
end

local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }

function request()
  if delete_next then
    delete_next = false
    deleted = deleted + 1
    return wrk.format("DELETE", "/api/v1/topics/local/" .. prefix .. deleted, headers)
  end
  created = created + 1
  delete_next = created > window
  local body = string.format(
    '{"cluster":"local","name":"%s%d","partitions":1,"replicationFactor":1,' ..
    '"config":{"retention.ms":"3600000","cleanup.policy":"delete"},"owner":"demo"}', prefix, created)
  return wrk.format("POST", "/api/v1/topics", headers, body)
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
