-- wrk script: POST /api/v1/topics, each request its own topic name, with the bearer token from $BENCH_TOKEN.
-- Counts the answers by status and prints latency percentiles (wrk's own, from its HDR histogram) in one line.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua") -- setup, response, done
local counter = 0
local prefix = ""
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())

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

