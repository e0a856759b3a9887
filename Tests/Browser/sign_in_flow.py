#!/usr/bin/python3
"""Single sign-on in a real browser: headless Chromium driven by Selenium (Debian's chromium, chromium-driver and
python3-selenium), against a real `rotor serve`. Run by OpenIDBrowserTests:

    /usr/bin/python3 Tests/Browser/sign_in_flow.py BASE_URL ARTIFACTS_DIR WIKI_SECRET FORUM_SECRET

Two registered apps: Wiki (first-party) and Forum (third-party, asks for consent). The browser signs in once at
Rotor's page for the Wiki — from the keyboard, on a phone's width —, passes to the Forum without a password
(consent only), sees both apps on the account page, signs out of the Forum there, and finally signs out of
everything through RP-initiated logout. No token is ever readable by a page's script. The apps' back ends are
played by this script: it exchanges the codes at the token endpoint. Exits non-zero, with the reason, at the first
thing that is not as a person would expect; writes screenshots into ARTIFACTS_DIR.
"""
import base64
import hashlib
import json
import os
import secrets
import sys
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from page_race import retried

BASE, ARTIFACTS, WIKI_SECRET, FORUM_SECRET = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
EMAIL, PASSWORD = "ada.lovelace@example.com", "correct horse battery"
os.makedirs(ARTIFACTS, exist_ok=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def browser(width, height):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=en-US"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    # Headless Chromium keeps windows at least 500 px wide: a phone's viewport is emulated instead.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    return driver


def wait(driver, condition, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout).until(retried(condition))
    except Exception as error:
        problems = [e.text for e in driver.find_elements(By.ID, "problem") if e.is_displayed()]
        raise AssertionError(f"waited {timeout} s for {what}; at {driver.current_url}; the page says {problems}: "
                             f"{driver.find_element(By.TAG_NAME, 'main').text[:600]!r}") from error


def post(path, form, auth=None):
    request = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(form).encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def authorize_url(client, verifier, state):
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return BASE + "/oauth/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client, "redirect_uri": f"https://{client}.example/cb",
        "scope": "openid email", "state": state, "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge, "code_challenge_method": "S256"})


def code_from(driver, client, state):
    """The browser was sent to the app's callback (which does not exist here): read the code from the address."""
    wait(driver, lambda d: d.current_url.startswith(f"https://{client}.example/cb?"), f"the redirect to {client}")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
    check(query["state"] == [state] and query["iss"] == [BASE], f"the redirect's state and iss: {query}")
    return query["code"][0]


def exchange(client, secret, code, verifier):
    return post("/oauth/token", {"grant_type": "authorization_code", "code": code,
                                 "redirect_uri": f"https://{client}.example/cb", "code_verifier": verifier},
                auth=(client, secret))


def listed_apps(driver):
    """The apps on the account page, read in one script call (the list is re-rendered under WebDriver's feet)."""
    return driver.execute_script("return [...document.querySelectorAll('#apps li[data-app]')].map(e => e.dataset.app)")


def no_token_in_scripts_reach(driver, when):
    cookie = driver.execute_script("return document.cookie")
    stored = driver.execute_script(
        "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    check("rotor_sso" not in cookie and "rss_" not in cookie and "rtr_" not in cookie,
          f"{when}: document.cookie shows {cookie!r}")
    check("rss_" not in stored and "rtr_" not in stored, f"{when}: a token is in web storage: {stored}")


phone = browser(390, 844)
try:
    # 1. The Wiki sends the browser to Rotor: the sign-in page, on a phone's width, no horizontal scrolling.
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(8)
    phone.get(authorize_url("wiki", verifier, state))
    wait(phone, seen.visibility_of_element_located((By.ID, "email")), "the sign-in page")
    check("Wiki" in phone.find_element(By.TAG_NAME, "header").text, "the page does not name the app")
    width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    check(viewport == 390 and width <= viewport, f"the sign-in page is {width} px wide in a {viewport} px viewport")
    check(phone.find_element(By.CSS_SELECTOR, "label[for=email]").text == "Email", "the email field has no label")
    phone.save_screenshot(os.path.join(ARTIFACTS, "sign-in-phone.png"))
    no_token_in_scripts_reach(phone, "on the sign-in page")

    # A wrong password: the page says so in words, the form is kept.
    phone.find_element(By.ID, "email").send_keys(EMAIL)
    password = phone.find_element(By.ID, "password")
    password.send_keys("wrong horse battery")
    password.send_keys(Keys.ENTER)
    wait(phone, seen.visibility_of_element_located((By.ID, "problem")), "the reason for the refusal")
    shown = phone.find_element(By.ID, "problem").text
    check("not right" in shown, f"the refusal is not in words: {shown!r}")
    check(phone.find_element(By.ID, "email").get_attribute("value") == EMAIL, "the email was lost")

    # The right password, from the keyboard alone: back at the Wiki with a code, which its back end redeems.
    password = phone.find_element(By.ID, "password")
    password.send_keys(PASSWORD)
    password.send_keys(Keys.ENTER)
    wiki = exchange("wiki", WIKI_SECRET, code_from(phone, "wiki", state), verifier)
    check(wiki.get("id_token") and wiki.get("refresh_token"), f"the Wiki's tokens: {sorted(wiki)}")
    cookies = {c["name"]: c for c in phone.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]}
    sso = cookies.get("__Host-rotor_sso", {})
    check(sso.get("httpOnly") is True and sso.get("sameSite") == "Lax" and sso.get("secure") is True,
          f"the SSO cookie: {sso}")

    # 2. The Forum: no password (single sign-on), but a third-party app asks for consent.
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(8)
    phone.get(authorize_url("forum", verifier, state))
    wait(phone, seen.visibility_of_element_located((By.CSS_SELECTOR, "button[value=allow]")), "the consent page")
    check("See your email address" in phone.page_source, "the consent page does not say what the app may do")
    check(not phone.find_elements(By.ID, "password"), "the second app asked for the password again")
    phone.save_screenshot(os.path.join(ARTIFACTS, "consent-phone.png"))
    phone.find_element(By.CSS_SELECTOR, "button[value=allow]").click()
    exchange("forum", FORUM_SECRET, code_from(phone, "forum", state), verifier)

    # 3. The account page lists both apps; signing out of the Forum there leaves the Wiki.
    phone.get(BASE + "/account")
    wait(phone, seen.visibility_of_element_located((By.ID, "signin-form")), "the account page's sign-in")
    phone.find_element(By.ID, "signin-email").send_keys(EMAIL)
    field = phone.find_element(By.ID, "signin-password")
    field.send_keys(PASSWORD)
    field.send_keys(Keys.ENTER)
    wait(phone, lambda d: listed_apps(d) == ["forum", "wiki"], "two apps listed")
    names = [item.find_element(By.CLASS_NAME, "name").text for item in phone.find_elements(By.CSS_SELECTOR, "#apps li")]
    check(names == ["Forum", "Wiki"], f"the apps: {names}")
    devices = [item.text for item in phone.find_elements(By.CSS_SELECTOR, "#devices li")]
    check(len(devices) == 1 and "This device" in devices[0], f"an app is listed as a device: {devices}")
    phone.save_screenshot(os.path.join(ARTIFACTS, "account-apps.png"))
    phone.find_element(By.CSS_SELECTOR, "#apps li[data-app=forum] button").click()
    wait(phone, lambda d: listed_apps(d) == ["wiki"], "the Forum gone from the list")
    try:
        post("/oauth/token", {"grant_type": "refresh_token", "refresh_token": wiki["refresh_token"]},
             auth=("wiki", WIKI_SECRET))
    except Exception as error:
        raise AssertionError(f"the Wiki's session ended with the Forum's: {error}")
    no_token_in_scripts_reach(phone, "on the account page")

    # 4. RP-initiated logout without a hint: the person confirms, then every app's session is over.
    phone.get(BASE + "/oauth/logout")
    wait(phone, seen.element_to_be_clickable((By.CSS_SELECTOR, "form button")), "the logout confirmation")
    phone.find_element(By.CSS_SELECTOR, "form button").click()
    wait(phone, seen.visibility_of_element_located((By.ID, "notice")), "the signed-out page")
    verifier, state = secrets.token_urlsafe(48), secrets.token_urlsafe(8)
    phone.get(authorize_url("wiki", verifier, state))
    wait(phone, seen.visibility_of_element_located((By.ID, "password")), "the password asked for again")
    print("every step as expected")
finally:
    phone.quit()
