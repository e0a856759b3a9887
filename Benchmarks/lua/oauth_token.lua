-- POST to an OAuth token endpoint (Rotor's /oauth/token, DOT's /o/token/), every request with a body of the pool
-- file that was never sent before: a fresh code, or a refresh token used once. Thread k of n takes lines k, k+n,
-- k+2n, ... If a thread runs out, it sends GET /__pool_exhausted__ (a 404), so the run shows non-2xx > 0 and
-- pool_exhausted > 0 and must be discarded. Counting and the WRKJSON line come from the SimpleJWT peer's common.lua.
-- args: <pool file, one form body a line> <number of wrk threads>
-- env:  TOKEN_PATH (the endpoint's path), TOKEN_AUTH (the Authorization header: Basic …, the client's secret),
--       WRK_COMMON_LUA (the path of the peer's common.lua)
dofile(os.getenv("WRK_COMMON_LUA"))

local reqs, i = {}, 0
local path = os.getenv("TOKEN_PATH") or "/oauth/token"
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Authorization"] = os.getenv("TOKEN_AUTH"),
}

function init(args)
  local nthreads = tonumber(args[2])
  assert(nthreads and nthreads > 0, "usage: oauth_token.lua <pool file> <threads>")
  local n = 0
  for line in io.lines(args[1]) do
    if #line > 0 then
      if n % nthreads == id then reqs[#reqs + 1] = wrk.format("POST", path, headers, line) end
      n = n + 1
    end
  end
  assert(#reqs > 0, "empty pool slice for thread " .. id)
end

function request()
  i = i + 1
  if i > #reqs then
    exhausted = exhausted + 1
    return wrk.format("GET", "/__pool_exhausted__")
  end
  return reqs[i]
end
