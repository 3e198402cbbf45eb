-- wrk script: GET paths read from the file $BENCH_PATHS (one a line), each request a random one of them, with the
-- bearer token from $BENCH_TOKEN. Counts the answers by status and prints latency percentiles (wrk's own, from its HDR
-- histogram) in one line, as topics.lua does. Used by e2e's ViewBenchmark (GET of one topic, one request, a list page).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua") -- setup, response, done
local token = os.getenv("BENCH_TOKEN") or ""
local file = os.getenv("BENCH_PATHS") or error("BENCH_PATHS: the file of paths to GET")

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

