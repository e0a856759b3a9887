"""What the relying-party scripts read from Rotor's pages, as a browser would."""
from html.parser import HTMLParser


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
