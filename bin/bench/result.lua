-- Shared by the wrk scripts here (loaded with dofile from the script's own folder): keeps every thread, counts the
-- answers by status, and prints one RESULT line with wrk's own latency percentiles (from its HDR histogram).
threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
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
