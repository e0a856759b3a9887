#!/usr/bin/env python3
"""Fresh authorization codes from a running Rotor, through its real authorization endpoint, for one benchmark run
of the code exchange (scripts/bench-oauth). Each account signs in once on the hosted sign-in page (the SSO
session); every further GET /oauth/authorize then answers at once with a code, as it does for a second app. Codes
live 60 s: mint them right before the run. Prints one token request body a line (code, redirect URI, PKCE verifier).

    mint_codes.py BASE_URL CLIENT_ID REDIRECT_URI COUNT PASSWORD EMAIL...   (COUNT split over the accounts)

The codes' scope is "openid email" (an ID token at the exchange), or SCOPE from the environment.
"""
import base64
import hashlib
import http.client
import os
import re
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

BASE, CLIENT, REDIRECT, COUNT, PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
EMAILS = sys.argv[6:]
HOST = urlparse(BASE)
VERIFIER = secrets.token_urlsafe(48)
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
AUTHORIZE = "/oauth/authorize?" + urlencode({
    "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "scope": os.environ.get("SCOPE", "openid email"),
    "code_challenge": CHALLENGE, "code_challenge_method": "S256", "nonce": "bench",
})
THREADS = 8


def connection():
    return http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)


def cookies(response):
    return {c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0]
            for c in response.headers.get_all("Set-Cookie") or []}


def sign_in(email):
    """The SSO cookie of a fresh sign-in on the hosted page."""
    http = connection()
    http.request("GET", AUTHORIZE)
    page = http.getresponse()
    html = page.read().decode()
    jar = cookies(page)
    fields = [(unescape(n), unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)]
    body = urlencode(fields + [("email", email), ("password", PASSWORD)])
    http.request("POST", "/oauth/authorize/sign-in", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
    })
    answer = http.getresponse()
    answer.read()
    sso = {k: v for k, v in cookies(answer).items() if "sso" in k}
    assert answer.status == 303 and sso, f"sign-in for {email}: {answer.status}"
    return "; ".join(f"{k}={v}" for k, v in sso.items())


def codes(cookie, count):
    http, out = connection(), []
    for _ in range(count):
        http.request("GET", AUTHORIZE, headers={"Cookie": cookie})
        answer = http.getresponse()
        answer.read()
        code = parse_qs(urlparse(answer.headers.get("Location", "")).query).get("code", [None])[0]
        assert answer.status == 303 and code, f"authorize: {answer.status}"
        out.append(urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                              "code_verifier": VERIFIER}))
    return out


jobs = []
for index, email in enumerate(EMAILS):
    cookie = sign_in(email)
    share = COUNT // len(EMAILS) + (1 if index < COUNT % len(EMAILS) else 0)
    jobs += [(cookie, share // THREADS + (1 if k < share % THREADS else 0)) for k in range(THREADS)]
with ThreadPoolExecutor(THREADS) as pool:
    for lines in pool.map(lambda job: codes(*job), jobs):
        sys.stdout.write("".join(line + "\n" for line in lines))
