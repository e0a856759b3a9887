-- POST one form body to an OAuth token endpoint (Rotor's /oauth/token, DOT's /o/token/) on every request: the
-- client_credentials grant, where nothing in a request is single-use, so every request is alike.
-- There is no request() and no response() function, on purpose. wrk's SCRIPTING: "Parsing the headers and body is
-- expensive, so if the response global is nil after the call to init() wrk will ignore the headers and body." The
-- load generator shares the server's two cores; at 20,000 answers a second, a Lua call and a parsed response per
-- answer took a tenth of Rotor's rate away, where at DOT's 1,100 a second it costs nothing (docs/benchmarks.md,
-- *Machines*). wrk still counts every answer that is not 2xx or 3xx itself (summary.errors.status), and the token
-- endpoint never answers 3xx, so a bad answer still makes the run invalid.
-- Prints the same WRKJSON line as the SimpleJWT peer's common.lua.
-- env: TOKEN_PATH (the endpoint's path), TOKEN_AUTH (the Authorization header: Basic …), TOKEN_BODY (the form)
wrk.method = "POST"
wrk.path = os.getenv("TOKEN_PATH") or "/oauth/token"
wrk.body = os.getenv("TOKEN_BODY") or "grant_type=client_credentials&scope=reports.read"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("TOKEN_AUTH")

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"ok":%d,"non2xx":%d,"pool_exhausted":0,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"first_bad":""}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    summary.requests - e.status, e.status,
    e.connect, e.read, e.write, e.timeout))
end
