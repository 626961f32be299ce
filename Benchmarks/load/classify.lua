-- wrk script for POST /v1/classify with one JPEG.
-- MODE=hit : every request sends the same bytes (after the first, cache hits).
-- MODE=miss: every request appends a unique suffix after the JPEG's end-of-image marker, so
--            the SHA-256 (the cache key) differs while the decoded image, and so the work,
--            stays the same: every request is a cache miss.
local mode = os.getenv("MODE") or "hit"
local file = assert(io.open(assert(os.getenv("PHOTO"), "set PHOTO"), "rb"))
local photo = file:read("*all")
file:close()

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failures = 0
  statuses = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "image/jpeg"
  wrk.body = photo
end

function request()
  if mode == "miss" then
    counter = counter + 1
    return wrk.format("POST", "/v1/classify", nil, photo .. string.format("load-%d-%d-%d", os.time(), id, counter))
  end
  return wrk.format("POST", "/v1/classify")
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("failures") end
  io.write(string.format(
    "RESULT mode=%s requests=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f non200=%d socket_errors=%d\n",
    mode, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
