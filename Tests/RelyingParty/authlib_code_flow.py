#!/usr/bin/env python3
"""A relying party no one here wrote: Authlib's OAuth 2.0 / OpenID Connect client, against a running Rotor.
Run by RelyingPartyTests:

    python authlib_code_flow.py BASE_URL CLIENT_ID CLIENT_SECRET EMAIL PASSWORD

Configured with nothing but the issuer (discovery), it does the authorization-code flow with PKCE S256 and a
nonce (a requests session plays the browser: the sign-in form is filled in as a person would), checks `iss` in
the redirect (RFC 9207), exchanges the code with HTTP Basic, validates the ID token with Authlib's own OpenID
rules (signature from the JWKS, iss, aud, exp, iat, nonce, at_hash), reads userinfo, and refreshes: rotation, the
grace window's same child, and a replayed code refused. Exits non-zero with the reason at the first surprise.
"""
import sys
from urllib.parse import parse_qs, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oidc.core import CodeIDToken

from pages import expect, hidden_fields

BASE, CLIENT_ID, SECRET, EMAIL, PASSWORD = sys.argv[1].rstrip("/"), *sys.argv[2:6]
REDIRECT = "https://app.example/callback"





metadata = requests.get(BASE + "/.well-known/openid-configuration", timeout=10).json()
expect(metadata["issuer"] == BASE, f"issuer {metadata['issuer']}")
expect("S256" in metadata["code_challenge_methods_supported"], "S256 advertised")

client = OAuth2Session(
    CLIENT_ID,
    SECRET,
    scope="openid email",
    redirect_uri=REDIRECT,
    code_challenge_method="S256",
    token_endpoint_auth_method="client_secret_basic",
)
verifier, nonce = generate_token(48), generate_token(20)
url, state = client.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce)

browser = requests.Session()
page = browser.get(url, allow_redirects=False, timeout=10)
expect(page.status_code == 200 and "<form" in page.text, f"the sign-in page: {page.status_code}")
answer = browser.post(
    BASE + "/oauth/authorize/sign-in",
    data=hidden_fields(page.text) + [("email", EMAIL), ("password", PASSWORD)],
    allow_redirects=False,
    timeout=30,
)
expect(answer.status_code == 303, f"signed in: {answer.status_code} {answer.text[:300]}")
location = answer.headers["Location"]
expect(location.startswith(REDIRECT + "?"), f"back to the app: {location}")
query = parse_qs(urlparse(location).query)
expect(query["iss"] == [metadata["issuer"]], "iss in the authorization response (RFC 9207)")

token = client.fetch_token(
    metadata["token_endpoint"], authorization_response=location, code_verifier=verifier, state=state
)
expect(token["token_type"] == "Bearer" and token.get("refresh_token"), f"a token response: {sorted(token)}")

jwks = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
claims = JsonWebToken(["RS256"]).decode(
    token["id_token"],
    jwks,
    claims_cls=CodeIDToken,
    claims_options={"iss": {"essential": True, "value": metadata["issuer"]}},
    claims_params={"nonce": nonce, "client_id": CLIENT_ID, "access_token": token["access_token"]},
)
claims.validate(leeway=30)
expect(claims["email"] == EMAIL and claims["aud"] == CLIENT_ID, f"ID token claims {dict(claims)}")

info = client.get(metadata["userinfo_endpoint"], timeout=10).json()
expect(info == {"sub": claims["sub"], "email": EMAIL, "email_verified": False}, f"userinfo {info}")

first = token["refresh_token"]
rotated = client.refresh_token(metadata["token_endpoint"], refresh_token=first)
expect(rotated["refresh_token"] != first, "the refresh token rotates")
again = client.refresh_token(metadata["token_endpoint"], refresh_token=first)
expect(again["refresh_token"] == rotated["refresh_token"], "inside the grace window: the same child")

replayed = requests.post(
    metadata["token_endpoint"],
    data={"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
          "code_verifier": verifier},
    auth=(CLIENT_ID, SECRET),
    timeout=10,
)
expect(replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant", f"replayed code {replayed.text}")
try:
    client.refresh_token(metadata["token_endpoint"], refresh_token=rotated["refresh_token"])
    expect(False, "the session of a replayed code goes on")
except OAuthError as error:
    expect(error.error == "invalid_grant", f"after the replay: {error.error}")

print("every step as expected")
