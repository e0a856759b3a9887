#!/usr/bin/python3
"""The account page in a real browser: headless Chromium driven by Selenium (Debian's chromium, chromium-driver
and python3-selenium). Run by AccountPageBrowserTests against a real `rotor serve`:

    /usr/bin/python3 Tests/Browser/account_page.py BASE_URL ARTIFACTS_DIR

Two browser profiles stand for two devices of one person. Exits non-zero, with the reason, at the first thing
that is not as a person would expect; writes screenshots of the device list into ARTIFACTS_DIR.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from page_race import retried

BASE, ARTIFACTS = sys.argv[1].rstrip("/"), sys.argv[2]
EMAIL, PASSWORD, NEW_PASSWORD = "grace.hopper@example.com", "correct horse battery", "staple battery horse"
os.makedirs(ARTIFACTS, exist_ok=True)


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--lang=en-US"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def wait(driver, condition, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout).until(retried(condition))
    except Exception as error:
        problem = driver.find_element(By.ID, "problem")
        shown = problem.text if problem.is_displayed() else "(no message on the page)"
        raise AssertionError(f"waited {timeout} s for {what}; the page says: {shown}") from error


def visible(element_id):
    return seen.visibility_of_element_located((By.ID, element_id))


def no_token_in_scripts_reach(driver, when):
    """The refresh token must never be readable from JavaScript: not in document.cookie, not in storage."""
    cookie = driver.execute_script("return document.cookie")
    stored = driver.execute_script(
        "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    check("rotor_refresh" not in cookie and "rtr_" not in cookie, f"{when}: document.cookie shows {cookie!r}")
    check("rtr_" not in stored, f"{when}: a refresh token is in web storage: {stored}")


def browser_cookies(driver):
    """Every cookie the browser holds, whatever its path (WebDriver's own list shows only the page's path)."""
    return {c["name"]: c for c in driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"]}


def devices(driver):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#devices li"), "the device list")
    return driver.find_elements(By.CSS_SELECTOR, "#devices li")


def sign_in(driver, device_name, password=PASSWORD):
    driver.get(BASE + "/account")
    wait(driver, visible("signin-form"), "the sign-in form")
    driver.find_element(By.ID, "signin-email").send_keys(EMAIL)
    driver.find_element(By.ID, "signin-password").send_keys(password)
    device = driver.find_element(By.ID, "signin-device")
    device.send_keys(device_name)
    device.send_keys(Keys.ENTER)  # the keyboard alone submits
    wait(driver, visible("account"), "the account after signing in")


laptop = browser()
phone = browser(390, 844)  # a phone's width: another person's device of the same account
try:
    # A first visit: nobody is signed in, the sign-in form is shown, without an error.
    laptop.get(BASE + "/account")
    wait(laptop, visible("signin-form"), "the sign-in form on a first visit")
    check(not laptop.find_element(By.ID, "problem").is_displayed(), "a first visit shows an error")
    headers = laptop.execute_script(
        "return fetch('/account').then(r => [r.headers.get('content-security-policy'), r.headers.get('referrer-policy'),"
        " r.headers.get('x-content-type-options')])")
    check("frame-ancestors 'none'" in (headers[0] or "") and "script-src 'self'" in headers[0],
          f"Content-Security-Policy: {headers[0]}")
    check(headers[1] == "no-referrer" and headers[2] == "nosniff", f"headers: {headers}")

    # Sign up on the page; the page signs in at once, in cookie mode.
    laptop.find_element(By.CSS_SELECTOR, "#signup summary").click()
    laptop.find_element(By.ID, "signup-email").send_keys(EMAIL)
    laptop.find_element(By.ID, "signup-password").send_keys(PASSWORD)
    laptop.find_element(By.CSS_SELECTOR, "#signup-form button").click()
    wait(laptop, visible("account"), "the account after signing up")
    check(EMAIL in laptop.find_element(By.ID, "who").text, "the page does not say who is signed in")
    no_token_in_scripts_reach(laptop, "after sign-up")
    # Secure by default: the __Host- prefixed name, which the browser accepts only with Secure, no Domain and Path=/.
    cookie = browser_cookies(laptop).get("__Host-rotor_refresh", {})
    check(cookie.get("httpOnly") is True and cookie.get("path") == "/", f"the refresh cookie: {cookie}")
    check(cookie.get("sameSite") == "Strict" and cookie.get("secure") is True, f"the refresh cookie: {cookie}")

    # A second device signs in to the same account.
    sign_in(phone, "Phone")
    no_token_in_scripts_reach(phone, "after sign-in on the phone")

    # Back on the laptop, a reload keeps the person signed in (the cookie refreshes) and lists both devices.
    laptop.refresh()
    wait(laptop, visible("account"), "the account after a reload")
    listed = devices(laptop)
    wait(laptop, lambda d: len(devices(d)) == 2, "two devices in the list")
    listed = devices(laptop)
    current = [item for item in listed if item.get_attribute("data-current") == "true"]
    check(len(current) == 1 and "This device" in current[0].text, "the current device is not marked")
    check(any("Phone" in item.text for item in listed), "the phone is not in the list")
    check(all("Last used" in item.text for item in listed), "a device has no last-use time")
    laptop.save_screenshot(os.path.join(ARTIFACTS, "account-devices.png"))
    phone.save_screenshot(os.path.join(ARTIFACTS, "account-phone-width.png"))

    # Two tabs reloading at once (each page refreshes on load) must both stay signed in: single-flight in a page,
    # the grace window between pages.
    first_tab = laptop.current_window_handle
    laptop.switch_to.new_window("tab")
    laptop.get(BASE + "/account")
    wait(laptop, visible("account"), "the account in a second tab")
    second_tab = laptop.current_window_handle
    laptop.execute_script("location.reload()")
    laptop.switch_to.window(first_tab)
    laptop.execute_script("location.reload()")
    for tab in (first_tab, second_tab):
        laptop.switch_to.window(tab)
        wait(laptop, visible("account"), "the account in both tabs after reloading them together")
    laptop.switch_to.window(second_tab)
    laptop.close()
    laptop.switch_to.window(first_tab)

    # Revoke the phone from the laptop: it leaves the list, and the phone is signed out.
    phone_item = next(item for item in devices(laptop) if "Phone" in item.text)
    phone_item.find_element(By.TAG_NAME, "button").click()
    wait(laptop, lambda d: len(devices(d)) == 1, "the phone to leave the list")
    phone.refresh()
    wait(phone, visible("signin-form"), "the phone to be signed out")

    # Change the password: this device stays signed in, through the new cookie.
    laptop.find_element(By.ID, "password-current").send_keys(PASSWORD)
    laptop.find_element(By.ID, "password-new").send_keys(NEW_PASSWORD)
    laptop.find_element(By.ID, "password-repeat").send_keys(NEW_PASSWORD)
    laptop.find_element(By.CSS_SELECTOR, "#password-form button[type=submit]").click()
    wait(laptop, lambda d: "password has been changed" in d.find_element(By.ID, "notice").text, "the change to be confirmed")
    no_token_in_scripts_reach(laptop, "after the password change")
    laptop.refresh()
    wait(laptop, visible("account"), "the account after the password change and a reload")

    # The security events tell the story in words.
    wait(laptop, lambda d: "Password changed" in d.find_element(By.ID, "events").text, "the password event")
    events = laptop.find_element(By.ID, "events").text
    check("Signed in" in events and "Device signed out" in events, f"events: {events}")

    # A wrong current password is said in words, and changes nothing.
    laptop.find_element(By.ID, "password-current").send_keys("not the password")
    laptop.find_element(By.ID, "password-new").send_keys("another password 1")
    laptop.find_element(By.ID, "password-repeat").send_keys("another password 1")
    laptop.find_element(By.CSS_SELECTOR, "#password-form button[type=submit]").click()
    wait(laptop, visible("problem"), "an error for a wrong password")
    check("do not match" in laptop.find_element(By.ID, "problem").text, "the wrong-password message is unclear")

    # Sign out: the page shows the sign-in form, and a reload does not sign back in (the cookie is gone).
    laptop.find_element(By.ID, "signout-this").click()
    wait(laptop, visible("signin-form"), "the sign-in form after signing out")
    laptop.refresh()
    wait(laptop, visible("signin-form"), "the sign-in form after signing out and reloading")
    check("__Host-rotor_refresh" not in browser_cookies(laptop), "the cookie survived the sign-out")

    # The new password signs in; a wrong one gets a sentence, not a code.
    sign_in(phone, "Phone again", NEW_PASSWORD)
    phone.find_element(By.ID, "signout-all").click()
    wait(phone, visible("signin-form"), "the sign-in form after signing out everywhere")
    phone.find_element(By.ID, "signin-email").send_keys(EMAIL)
    phone.find_element(By.ID, "signin-password").send_keys(PASSWORD + Keys.ENTER)
    wait(phone, visible("problem"), "an error for the old password")
    check("do not match" in phone.find_element(By.ID, "problem").text, "the sign-in error is unclear")
    print("account page: every step as expected")
finally:
    laptop.quit()
    phone.quit()
