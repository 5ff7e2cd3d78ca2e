-- wrk script: POST the vendor's sample body with a unique campaign name per request, so every one is a create.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["auth"] = os.getenv("BENCH_TOKEN")
  wrk.headers["accountid"] = os.getenv("BENCH_ACCOUNT")
  wrk.headers["iid"] = os.getenv("BENCH_STREAM")
  local file = io.open(os.getenv("BENCH_BODY"), "r")
  template = file:read("*a")
  file:close()
end

function request()
  counter = counter + 1
  local name = string.format("Bench %s t%d n%d", os.getenv("BENCH_RUN"), thread_id, counter)
  local body = template:gsub("__NAME__", name)
  return wrk.format(nil, nil, nil, body)
end
