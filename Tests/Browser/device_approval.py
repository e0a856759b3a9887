#!/usr/bin/python3
"""A person approving devices in a real browser: headless Chromium driven by Selenium (Debian's chromium,
chromium-driver and python3-selenium) on Rotor's /device page. Started by Tests/RelyingParty/authlib_device.py,
which plays the devices:

    /usr/bin/python3 Tests/Browser/device_approval.py BASE_URL ARTIFACTS_DIR EMAIL PASSWORD CODE:DECISION...

The browser opens /device signed out, signs in on the page it is shown, types a code no device shows (and reads
why it is refused), then for each CODE (as the device shows it) types it the way a person might (lower case, no
hyphen), checks that the page names the app, its scopes and the code, and chooses DECISION (allow or deny). The
second and later codes need no password: the SSO session from the first sign-in carries. Exits non-zero, with the
reason, at the first thing that is not as a person would expect; writes screenshots into ARTIFACTS_DIR.
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from page_race import retried

BASE, ARTIFACTS, EMAIL, PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
DECISIONS = [argument.split(":") for argument in sys.argv[5:]]
os.makedirs(ARTIFACTS, exist_ok=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def wait(driver, condition, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout).until(retried(condition))
    except Exception as error:
        raise AssertionError(f"waited {timeout} s for {what}; at {driver.current_url}: "
                             f"{driver.find_element(By.TAG_NAME, 'main').text[:600]!r}") from error


def heading(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def type_code(driver, code):
    field = wait(driver, lambda d: d.find_element(By.ID, "user_code"), "the code field")
    field.clear()
    field.send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1000,900", "--lang=en-US"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
try:
    # Signed out: /device is a sign-in page first.
    driver.get(BASE + "/device")
    wait(driver, lambda d: d.find_element(By.ID, "password"), "the sign-in form")
    driver.save_screenshot(os.path.join(ARTIFACTS, "device-1-sign-in.png"))
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: heading(d) == "Connect a device", "the code entry page")
    check(EMAIL in driver.find_element(By.TAG_NAME, "header").text, "the page says who is signed in")

    # A code no device shows: refused in words, and the field keeps what was typed.
    type_code(driver, "BCDF-GHJK")
    problem = wait(driver, lambda d: d.find_element(By.ID, "problem"), "the refusal of a wrong code")
    check("not right" in problem.text, f"the refusal says why: {problem.text!r}")
    driver.save_screenshot(os.path.join(ARTIFACTS, "device-2-wrong-code.png"))

    for number, (code, decision) in enumerate(DECISIONS, start=1):
        if number > 1:
            driver.get(BASE + "/device")  # signed in already: straight to the code
            wait(driver, lambda d: heading(d) == "Connect a device", "the code entry page, without a password")
        type_code(driver, code.replace("-", "").lower())
        wait(driver, lambda d: heading(d).startswith("Connect "), f"the approval page for {code}")
        check("Living-room TV" in heading(driver), f"the page names the app: {heading(driver)!r}")
        check(driver.find_element(By.ID, "user-code").text == code, "the page shows the code as the device does")
        scopes = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "ul.scopes li")]
        check(len(scopes) >= 2, f"the page lists what the app asks for: {scopes}")
        driver.save_screenshot(os.path.join(ARTIFACTS, f"device-3-approve-{number}.png"))
        driver.find_element(By.CSS_SELECTOR, f"button[value={decision}]").click()
        expected = "Device connected" if decision == "allow" else "Device not connected"
        wait(driver, lambda d: heading(d) == expected, f"'{expected}' after {decision}")
        driver.save_screenshot(os.path.join(ARTIFACTS, f"device-4-{decision}-{number}.png"))
    # No token is ever in reach of a page's script.
    check("rtr_" not in driver.page_source and "eyJ" not in driver.page_source, "no token in the page")
    print("every step as expected")
finally:
    driver.quit()
