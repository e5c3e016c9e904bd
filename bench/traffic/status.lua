-- wrk script: counts responses by status code in each thread and prints "status CODE COUNT" lines at the end
-- (done() runs in the main Lua state, so it reads each thread's counts through thread:get).
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
counts = {}
response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("counts")) do
      total[code] = (total[code] or 0) + n
    end
  end
  for code, n in pairs(total) do
    io.write(string.format("status %d %d\n", code, n))
  end
end
