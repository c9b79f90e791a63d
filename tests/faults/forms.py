"""The forms of a page, read from its HTML: where each posts and its fields (name, kind, the choices of a list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    """One named field of a form: its kind (an input's type, "select", "textarea"), value and choices."""

    name: str
    kind: str
    value: str = ""
    choices: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A form posted to `action` (a path), with its fields by name."""

    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() != "post":
                self.current = None
                return
            action = urlsplit(a.get("action") or self.page_path)
            if action.netloc:  # another site
                self.current = None
                return
            path = action.path + (f"?{action.query}" if action.query else "")
            self.current = Form(path, "multipart" in a.get("enctype", ""))
            self.forms.append(self.current)
            return
        if self.current is None or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.select.choices.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            known = self.current.fields.get(name)
            if known and kind in ("radio", "checkbox"):
                known.choices.append(a.get("value", "on"))
                return
            self.current.fields[name] = Field(name, kind, a.get("value", ""), [a.get("value", "on")])
        elif tag == "textarea":
            self.current.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self.select = Field(name, "select")
            self.current.fields[name] = self.select
        elif tag == "button" and a.get("value"):
            self.current.fields.setdefault(name, Field(name, "button", a["value"], [a["value"]]))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_of(html: str, page_path: str) -> list[Form]:
    """The POST forms of a page (forms posting to another site left out)."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
