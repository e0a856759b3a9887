#!/usr/bin/env python3
"""Two apps behind Apache httpd's mod_auth_openidc (Tests/RelyingParty/apache/httpd.conf), against a running Rotor.
Run by ApacheRelyingPartyTests:

    python apache_sso.py ISSUER WIKI_URL BLOG_URL EMAIL PASSWORD

A requests session plays the browser (cookies, redirects; the sign-in form filled in as a person would). Apache
is configured with nothing of Rotor but its issuer. The script checks, in order: the first app sends the person
to Rotor's sign-in page and, after it, shows its page (code + PKCE, done by mod_auth_openidc); the second app
shows its page with no password asked (single sign-on); the first app refreshes its tokens on demand (rotation: a
new refresh token, and the new access token works at Rotor); RP-initiated logout at the first app ends the SSO
session at Rotor and the second app's session through back-channel logout; after a second sign-in, "sign out
everywhere" at Rotor's own API ends both apps' sessions through back-channel logout. Exits non-zero with the
reason at the first surprise.
"""
import sys
import time
from urllib.parse import quote

import requests

from pages import expect as _expect, hidden_fields


def expect(condition, what):
    _expect(condition, what, say_ok=True)

ISSUER, WIKI, BLOG = (url.rstrip("/") for url in sys.argv[1:4])
EMAIL, PASSWORD = sys.argv[4:6]
BACKCHANNEL_SECONDS = 15



def at_rotor(response):
    return response.url.startswith(ISSUER + "/")


def is_sign_in_page(response):
    return at_rotor(response) and response.status_code == 200 and 'name="password"' in response.text


def visited_rotor_pages(response):
    """The pages of Rotor the browser was shown on the way (not the redirects it passed through)."""
    return [hop for hop in response.history if at_rotor(hop) and hop.status_code < 300]


def open_app(browser, app):
    return browser.get(app + "/app/index.html", timeout=30)


def sign_in(browser, page):
    """Fills in Rotor's sign-in page; the browser follows the redirects back to the app."""
    expect(is_sign_in_page(page), f"Rotor's sign-in page ({page.status_code} {page.url})")
    fields = [(n, v) for (n, v) in hidden_fields(page.text) if n not in ("email", "password")]
    return browser.post(
        ISSUER + "/oauth/authorize/sign-in",
        data=fields + [("email", EMAIL), ("password", PASSWORD)],
        timeout=30,
    )


def info(browser, app):
    """mod_auth_openidc's view of the app's session: its tokens and the ID token's claims (None without one)."""
    answer = browser.get(app + "/redirect_uri?info=json", timeout=30)
    if answer.status_code == 401:
        return None
    expect(answer.status_code == 200, f"{app}'s session info answers ({answer.status_code})")
    return answer.json()


def signed_in_to(browser, app, response):
    expect(
        response.status_code == 200 and response.url == app + "/app/index.html" and "Signed in to the app" in response.text,
        f"{app} shows its page ({response.status_code} {response.url})",
    )


def wait_until_signed_out(browser, app):
    deadline = time.monotonic() + BACKCHANNEL_SECONDS
    while time.monotonic() < deadline:
        if info(browser, app) is None:
            return True
        time.sleep(0.2)
    return False


browser = requests.Session()
metadata = requests.get(ISSUER + "/.well-known/openid-configuration", timeout=10).json()
expect(metadata.get("backchannel_logout_supported") is True, "discovery says back-channel logout is supported")

# 1. The wiki: to Rotor's sign-in page, then back, signed in (code + PKCE by mod_auth_openidc).
page = open_app(browser, WIKI)
expect(page.history and page.history[0].status_code == 302, "the wiki sends the browser to Rotor")
location = page.history[0].headers["Location"]
expect("code_challenge_method=S256" in location and "code_challenge=" in location, "mod_auth_openidc asks with PKCE S256")
wiki_page = sign_in(browser, page)
signed_in_to(browser, WIKI, wiki_page)
wiki = info(browser, WIKI)
expect(wiki is not None and wiki["id_token"]["iss"] == ISSUER, "the wiki holds an ID token from Rotor")
expect(wiki["userinfo"].get("email") == EMAIL, "the wiki read the person's email from userinfo")
expect(wiki.get("refresh_token", "").startswith("rtr_"), "the wiki holds one of Rotor's refresh tokens")
subject = wiki["id_token"]["sub"]

# 2. The blog: single sign-on, no password asked.
blog_page = open_app(browser, BLOG)
signed_in_to(browser, BLOG, blog_page)
expect(not visited_rotor_pages(blog_page), "the blog signed the person in without showing a Rotor page")
blog = info(browser, BLOG)
expect(blog is not None and blog["id_token"]["sub"] == subject, "the blog knows the same person")
expect(blog["id_token"]["sid"] == wiki["id_token"]["sid"], "both ID tokens name the same SSO session (sid)")

# 3. The wiki refreshes on demand: a rotated refresh token and a new access token that Rotor accepts.
refreshed = browser.get(
    WIKI + "/redirect_uri?refresh=" + quote(WIKI + "/app/index.html", safe="") + "&access_token=" + wiki["access_token"],
    timeout=30,
)
signed_in_to(browser, WIKI, refreshed)
after = info(browser, WIKI)
expect(after["refresh_token"] != wiki["refresh_token"], "the refresh rotated the refresh token")
expect(after["access_token"] != wiki["access_token"], "the refresh gave a new access token")
userinfo = requests.get(
    metadata["userinfo_endpoint"], headers={"Authorization": "Bearer " + after["access_token"]}, timeout=10
)
expect(userinfo.status_code == 200 and userinfo.json()["sub"] == subject, "Rotor accepts the new access token")

# 4. RP-initiated logout at the wiki: Rotor ends the SSO session; the blog hears of it by back-channel.
out = browser.get(WIKI + "/redirect_uri?logout=" + quote(WIKI + "/signed-out.html", safe=""), timeout=30)
expect(
    out.status_code == 200 and out.url == WIKI + "/signed-out.html" and "Signed out of the app" in out.text,
    f"the logout went through Rotor and back to the wiki's signed-out page ({out.status_code} {out.url})",
)
expect(
    any(hop.url.startswith(metadata["end_session_endpoint"]) for hop in out.history),
    "the wiki sent the browser to Rotor's end_session_endpoint",
)
expect(info(browser, WIKI) is None, "the wiki's own session is gone")
expect(wait_until_signed_out(browser, BLOG), "the blog's session ended by back-channel logout")
again = open_app(browser, BLOG)
expect(is_sign_in_page(again), "the blog now asks for the password: the SSO session is over")

# 5. Signed in to both again, then "sign out everywhere" at Rotor: both apps hear of it by back-channel.
signed_in_to(browser, BLOG, sign_in(browser, again))
signed_in_to(browser, WIKI, open_app(browser, WIKI))
login = requests.post(ISSUER + "/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30)
expect(login.status_code == 200, f"a login at Rotor's API ({login.status_code})")
everywhere = requests.post(
    ISSUER + "/v1/auth/logout",
    json={"scope": "global"},
    headers={"Authorization": "Bearer " + login.json()["access_token"]},
    timeout=30,
)
expect(everywhere.status_code == 204, f"sign out everywhere ({everywhere.status_code} {everywhere.text})")
expect(wait_until_signed_out(browser, WIKI), "the wiki's session ended by back-channel logout")
expect(wait_until_signed_out(browser, BLOG), "the blog's session ended by back-channel logout")
expect(is_sign_in_page(open_app(browser, WIKI)), "the wiki asks for the password again")
print("every step as expected")
