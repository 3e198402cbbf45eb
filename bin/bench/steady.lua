-- wrk script for a steady intake: each connection creates topics and, once it has made $BENCH_WINDOW of them, deletes
-- the one it created $BENCH_WINDOW creates earlier after each new create, so the topics on the broker stay about
-- constant while requests keep coming. $BENCH_DELAY_MS paces each connection (wrk waits that long before its next
-- request). Prints the same RESULT line as topics.lua.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua") -- setup, response, done
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local window = tonumber(os.getenv("BENCH_WINDOW") or "200")
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "")

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

