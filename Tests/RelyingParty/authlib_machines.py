#!/usr/bin/env python3
"""Machines through a client library no one here wrote: Authlib's OAuth 2.0 client, against a running Rotor.
Run by RelyingPartyTests:

    python authlib_machines.py BASE_URL SECRET_CLIENT SECRET KEY_CLIENT PRIVATE_KEY_PEM

Configured by discovery, it asks for client_credentials tokens with a secret (HTTP Basic) and with private_key_jwt
(an ES256 assertion signed by Authlib), verifies each token with Authlib's JOSE against Rotor's JWKS (sub = the
client id, no sid, no roles), and checks the refusals a client meets: a wrong secret, a person's scope, a replayed
assertion, and Authlib's default one-hour assertion (Rotor takes five minutes at most). Exits non-zero with the
reason at the first surprise.
"""
import sys

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from joserfc.jwk import ECKey

from pages import expect

BASE, SECRET_CLIENT, SECRET, KEY_CLIENT, PEM_FILE = sys.argv[1].rstrip("/"), *sys.argv[2:6]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"




def refused(session, error, **params):
    try:
        session.fetch_token(TOKEN, grant_type="client_credentials", **params)
    except OAuthError as failure:
        expect(failure.error == error, f"{error} expected, got {failure.error}: {failure.description}")
        return
    expect(False, f"{error} expected, got a token")


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """Authlib's private_key_jwt with assertions valid for two minutes instead of its default hour."""

    def sign(self, auth, token_endpoint):
        return private_key_jwt_sign(
            auth.client_secret, auth.client_id, token_endpoint, alg=self.alg, expires_in=120
        )


metadata = requests.get(BASE + "/.well-known/openid-configuration", timeout=10).json()
TOKEN = metadata["token_endpoint"]
expect("client_credentials" in metadata["grant_types_supported"], "client_credentials advertised")
expect("private_key_jwt" in metadata["token_endpoint_auth_methods_supported"], "private_key_jwt advertised")
expect("ES256" in metadata["token_endpoint_auth_signing_alg_values_supported"], "ES256 for assertions")
jwks = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())


def machine_claims(token, client_id):
    expect("refresh_token" not in token and "id_token" not in token, f"an access token only: {sorted(token)}")
    expect(token["token_type"] == "Bearer", f"token_type {token['token_type']}")
    claims = JsonWebToken(["ES256", "EdDSA", "RS256"]).decode(token["access_token"], jwks)
    expect(claims["sub"] == client_id and claims["client_id"] == client_id, f"sub {claims['sub']}")
    expect("sid" not in claims and claims["roles"] == [], f"no session, no roles: {claims}")
    return claims


# 1. A secret, by HTTP Basic.
session = OAuth2Session(SECRET_CLIENT, SECRET, token_endpoint_auth_method="client_secret_basic")
token = session.fetch_token(TOKEN, grant_type="client_credentials", scope="jobs.run")
machine_claims(token, SECRET_CLIENT)
expect(token["scope"] == "jobs.run", f"scope {token['scope']}")
refused(session, "invalid_scope", scope="openid")
refused(OAuth2Session(SECRET_CLIENT, "rcs_wrong", token_endpoint_auth_method="client_secret_basic"), "invalid_client")

# 2. private_key_jwt, signed by Authlib.
pem = ECKey.import_key(open(PEM_FILE).read())  # Authlib reads a bare PEM as an RSA key
signed = OAuth2Session(KEY_CLIENT, pem, token_endpoint_auth_method=ShortLivedPrivateKeyJWT(TOKEN, alg="ES256"))
for _ in range(3):
    machine_claims(signed.fetch_token(TOKEN, grant_type="client_credentials"), KEY_CLIENT)
# Authlib's own default makes an assertion valid for an hour: more than Rotor accepts.
hourly = OAuth2Session(KEY_CLIENT, pem, token_endpoint_auth_method=PrivateKeyJWT(TOKEN, alg="ES256"))
refused(hourly, "invalid_client")

# 3. One assertion, sent twice: accepted once.
assertion = private_key_jwt_sign(pem, KEY_CLIENT, TOKEN, alg="ES256", expires_in=120)
form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}
first = requests.post(TOKEN, data=form, timeout=10)
again = requests.post(TOKEN, data=form, timeout=10)
expect(first.status_code == 200, f"first use {first.status_code} {first.text}")
expect(again.status_code == 401 and again.json()["error"] == "invalid_client", f"replay {again.status_code}")

print("every step as expected")
