-- wrk script for a steady intake: each connection creates topics and, once it has made $BENCH_WINDOW of them, deletes
-- the one it created $BENCH_WINDOW creates earlier after each new create, so the topics on the broker stay about
-- constant while requests keep coming. $BENCH_DELAY_MS paces each connection (wrk waits that long before its next
-- request). Prints the same RESULT line as topics.lua. With $BENCH_STATE (a file), each thread's counts are saved at
-- the end and read at the start of the next run of the same $BENCH_RUN: a run per minute goes on deleting what the
-- previous minute created, so the live topics stay at $BENCH_WINDOW per thread however many minutes run.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua") -- setup, response, done
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local window = tonumber(os.getenv("BENCH_WINDOW") or "200")
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")

local state_file = os.getenv("BENCH_STATE")
local saved = {}
if state_file then
  local f = io.open(state_file, "r")
  if f then
    for t, c, d in f:read("*a"):gmatch("(%d+) (%d+) (%d+)") do saved[tonumber(t)] = { tonumber(c), tonumber(d) } end
    f:close()
  end
end

local result_setup = setup
function setup(thread)
  result_setup(thread)
  local counts = saved[#threads] or { 0, 0 }
  thread:set("start_created", counts[1])
  thread:set("start_deleted", counts[2])
end

local result_done = done
function done(summary, latency, requests)
  result_done(summary, latency, requests)
  if state_file then
    local f = assert(io.open(state_file, "w"))
    for i, thread in ipairs(threads) do
      f:write(string.format("%d %d %d\n", i, thread:get("created"), thread:get("deleted")))
    end
    f:close()
  end
end

function init(args)
  prefix = "steady." .. run .. "." .. tostring(tid) .. "."
  statuses = {}
  created = start_created or 0
  deleted = start_deleted or 0
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

