#!/usr/bin/env python3
"""Devices through a client library no one here wrote: Authlib's OAuth 2.0 client polling RFC 8628's device grant
against a running Rotor, while a person approves in headless Chromium (Tests/Browser/device_approval.py). Run by
RelyingPartyTests:

    python authlib_device.py BASE_URL CLIENT_ID EMAIL PASSWORD BROWSER_PYTHON ARTIFACTS_DIR

Configured by discovery, two devices of the public client CLIENT_ID start an authorization each; the browser
approves the first and denies the second. Each device polls through Authlib's fetch_token: `authorization_pending`
while the person decides, `slow_down` when it polls too fast (and then waits longer), `access_denied` for the
denied one; the approved one gets an access token, a rotating refresh token (refreshed through Authlib) and an ID
token verified with Authlib's JOSE. Its device code presented again is refused and ends the session: the rotated
refresh token stops working. Exits non-zero with the reason at the first surprise.
"""
import os
import subprocess
import sys
import time

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, JsonWebToken

from pages import expect

BASE, CLIENT, EMAIL, PASSWORD, BROWSER_PYTHON, ARTIFACTS = sys.argv[1].rstrip("/"), *sys.argv[2:7]
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
APPROVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Browser", "device_approval.py")

metadata = requests.get(BASE + "/.well-known/openid-configuration", timeout=10).json()
TOKEN, DEVICE = metadata["token_endpoint"], metadata["device_authorization_endpoint"]
expect(DEVICE_GRANT in metadata["grant_types_supported"], "the device grant advertised")
session = OAuth2Session(CLIENT, token_endpoint_auth_method="none")


def start(scope="openid email"):
    answer = requests.post(DEVICE, data={"client_id": CLIENT, "scope": scope}, timeout=10)
    expect(answer.status_code == 200, f"device authorization {answer.status_code} {answer.text}")
    body = answer.json()
    expect(body["verification_uri"] == BASE + "/device", f"verification_uri {body['verification_uri']}")
    expect(body["verification_uri_complete"].endswith("?user_code=" + body["user_code"]), "the complete URI")
    expect(body["expires_in"] == 600 and body["interval"] == 5, f"lifetime and interval {body}")
    return body


def poll(device_code):
    """One poll through Authlib: the token, or the RFC 8628 error code."""
    try:
        return session.fetch_token(TOKEN, grant_type=DEVICE_GRANT, device_code=device_code), None
    except OAuthError as failure:
        return None, failure.error


def poll_until_decided(authorization, deadline, person):
    """Polls at the interval the server asks, honouring slow_down, until the person decides."""
    interval = authorization["interval"]
    while time.monotonic() < deadline:
        if person.poll() not in (None, 0):
            expect(False, f"the browser failed: {person.stdout.read()}")
        time.sleep(interval)
        token, error = poll(authorization["device_code"])
        if error == "slow_down":
            interval += 5
        elif error != "authorization_pending":
            return token, error
    expect(False, "the person never decided")


# Bad input first: an unknown client and a scope the client may not have.
unknown = requests.post(DEVICE, data={"client_id": "nobody"}, timeout=10)
expect(unknown.json()["error"] == "invalid_client", f"unknown client {unknown.text}")
greedy = requests.post(DEVICE, data={"client_id": CLIENT, "scope": "admin"}, timeout=10)
expect(greedy.status_code == 400 and greedy.json()["error"] == "invalid_scope", f"foreign scope {greedy.text}")
expect(poll("rdc_" + "A" * 43)[1] == "invalid_grant", "an unknown device code")

approved, denied = start(), start()
expect(approved["user_code"] != denied["user_code"], "two devices, two codes")
# Polling at once: pending; polling again at once: too fast.
expect(poll(approved["device_code"])[1] == "authorization_pending", "pending before the person decides")
expect(poll(approved["device_code"])[1] == "slow_down", "slow_down when polling faster than the interval")
approved["interval"] += 5

person = subprocess.Popen(
    [BROWSER_PYTHON, APPROVER, BASE, ARTIFACTS, EMAIL, PASSWORD,
     approved["user_code"] + ":allow", denied["user_code"] + ":deny"],
    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    deadline = time.monotonic() + 150
    token, error = poll_until_decided(approved, deadline, person)
    expect(error is None, f"tokens after the approval, got {error}")
    _, error = poll_until_decided(denied, deadline, person)
    expect(error == "access_denied", f"access_denied after the denial, got {error}")
    said, _ = person.communicate(timeout=60)
    expect(person.returncode == 0 and "every step as expected" in said, f"the browser: {said}")
finally:
    if person.poll() is None:
        person.kill()

# The tokens: a session of Rotor's in every respect.
expect(token["token_type"] == "Bearer" and token["refresh_token"].startswith("rtr_"), f"token {sorted(token)}")
# Read now: the ID token's RS256 key is made on its first use, after this script started.
jwks = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
claims = JsonWebToken(["ES256", "EdDSA", "RS256"]).decode(token["id_token"], jwks)
claims.validate()
expect(claims["iss"] == BASE and claims["aud"] == CLIENT and claims["email"] == EMAIL, f"ID token {claims}")
expect("sid" not in claims, "the device's session is its own, not the browser's SSO session")
access = JsonWebToken(["ES256", "EdDSA", "RS256"]).decode(token["access_token"], jwks)
expect(access["sub"] == claims["sub"] and access["client_id"] == CLIENT, f"access token {access}")
refreshed = session.refresh_token(TOKEN, refresh_token=token["refresh_token"])
expect(refreshed["refresh_token"] != token["refresh_token"], "the refresh token rotates")
time.sleep(denied["interval"])
expect(poll(denied["device_code"])[1] == "access_denied", "a denied code stays denied")

# The device code again: refused, and the session it started ends (someone else holds the code).
expect(poll(approved["device_code"])[1] == "invalid_grant", "a device code is redeemed once")
try:
    session.refresh_token(TOKEN, refresh_token=refreshed["refresh_token"])
    expect(False, "the session survived a replayed device code")
except OAuthError as failure:
    expect(failure.error == "invalid_grant", f"invalid_grant after the replay, got {failure.error}")

print("every step as expected")
