-- wrk script: every request is POST /v1/messages with one new ~330-byte envelope (a unique msg_id),
-- the shape the reference web client sends. Usage: wrk -t2 -c16 -d20s -s wrk-post-message.lua http://127.0.0.1:PORT
-- Optional: HINT=<circle hint> in the environment.
local hint = os.getenv("HINT") or "e03c84dccc271635"
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local counter = 0
local prefix

function init(args)
  -- a per-run, per-thread prefix keeps ids unique across runs on the same database
  prefix = string.format("%08x%02x", os.time() % 0xffffffff, tid or 0)
  wrk.method = "POST"
  wrk.path = "/v1/messages"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local id = prefix .. string.format("%014x", counter)
  local body = '{"circle_hint":"' .. hint .. '","messages":[{"msg_id":"' .. id ..
    '","circle_id":"630dcd2966c4336691125448","channel_id":"general",' ..
    '"author_node_id":"0123456789abcdef01234567","created_ts":1767225600,"enc":{"alg":"AES-256-GCM",' ..
    '"key_id":"epoch-0","nonce":"AAECAwQFBgcICQoL","ciphertext":"P+qAgq7+/8wc0tBDIRdixIF9acii+xplJavx' ..
    'ON37gZgiV68RQgL/MgdkbUPMQX9vgxtUQvDjTA=="}}]}'
  return wrk.format(nil, nil, nil, body)
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests %d, non-2xx %d, socket errors %d\n", summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
