"""What the relying-party scripts share: reading Rotor's pages as a browser would, and stopping at a surprise."""
import sys
from html.parser import HTMLParser


def expect(condition, what, say_ok=False):
    """Exits non-zero with `what` unless `condition` holds (and says `ok:` for it when asked)."""
    if not condition:
        print(f"NOT AS EXPECTED: {what}")
        sys.exit(1)
    if say_ok:
        print(f"ok: {what}")


class _HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields.append((attributes["name"], attributes.get("value", "")))


def hidden_fields(html):
    """A form's hidden inputs, as (name, value) pairs in page order, the way a browser sends them back."""
    parser = _HiddenFields()
    parser.feed(html)
    return parser.fields
