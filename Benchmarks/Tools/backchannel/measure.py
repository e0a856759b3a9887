#!/usr/bin/env python3
"""How long one event takes to reach an app by back-channel logout (scripts/bench-oauth): listens on 127.0.0.1:PORT
as the app's backchannel_logout_uri, signs the user out everywhere at Rotor (POST /v1/auth/logout, scope global,
with ACCESS_TOKEN), and waits (at most 60 s) until COUNT logout tokens, one per session, have arrived. Prints one
JSON line: how many arrived, distinct sessions (sid claims are the SSO session; sub is the user: the jti counts),
and the seconds from the logout's answer to the first and to the last delivery.

    measure.py PORT BASE_URL ACCESS_TOKEN COUNT
"""
import base64
import json
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

PORT, BASE, ACCESS, COUNT = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3], int(sys.argv[4])
arrivals, jtis, lock = [], set(), threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        token = parse_qs(body).get("logout_token", [""])[0]
        payload = token.split(".")[1] if token.count(".") == 2 else ""
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)) or b"{}")
        with lock:
            arrivals.append(time.monotonic())
            jtis.add(claims.get("jti"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
request = urllib.request.Request(
    BASE + "/v1/auth/logout", data=json.dumps({"scope": "global"}).encode(), method="POST",
    headers={"Content-Type": "application/json", "Authorization": "Bearer " + ACCESS},
)
with urllib.request.urlopen(request, timeout=60) as answer:
    assert answer.status == 204, answer.status
start = time.monotonic()
deadline = start + 60
while time.monotonic() < deadline:
    with lock:
        if len(arrivals) >= COUNT:
            break
    time.sleep(0.01)
server.shutdown()
with lock:
    print(json.dumps({
        "sessions": COUNT, "delivered": len(arrivals), "distinct": len(jtis),
        "first_s": round(min(arrivals) - start, 3) if arrivals else None,
        "last_s": round(max(arrivals) - start, 3) if arrivals else None,
    }))
