"""The one race every browser script here waits through: an element read while its page is being replaced by the
next one (a form posted, a redirect followed, the account page redrawn). Selenium reports it as a stale element;
Chromium sometimes reports it instead as a node that "does not belong to the document" (a CI run on 4 December).
Either way the condition is asked again, and only a condition that stays unmet fails the wait."""
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException


def retried(condition):
    """`condition` for WebDriverWait, with the page-replacement race read as "not yet" rather than a failure."""
    def asked(driver):
        try:
            return condition(driver)
        except StaleElementReferenceException:
            return False
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise
    return asked
