"""The one Markdown renderer of guides: the page, the live preview, the print view and the export's HTML.

Markdown (CommonMark, with tables and strikethrough) through markdown-it-py with raw HTML turned off, so that
anything typed as HTML shows as text; its output then goes through nh3 (the Ammonia sanitiser) with a short list of
tags and attributes and only http, https and mailto links, so that no script, event handler, style or javascript:
link gets through even if the parser had a flaw. Headings are moved two levels down (a "# Title" in a step is an
<h3>), below the page's own headings. Images are not Markdown's: photos go through the step's photos (checked and
re-encoded by repairlab.images), never an address typed in the text.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow ugc"
# Headings in a guide's text start below the page's own (h1 the guide, h2 its sections).
HEADING_SHIFT = 2


def _shift_headings(state) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + HEADING_SHIFT)
            token.tag = f"h{level}"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.core.ruler.push("shift_headings", _shift_headings)
    # An image typed in the text shows as its description: a guide's photos are its steps' (checked) photos.
    parser.add_render_rule("image", lambda _self, tokens, idx, _options, _env: escapeHtml(tokens[idx].content))
    return parser


def render(text: str | None) -> Markup:
    """Safe HTML for a guide's Markdown text ("" for none)."""
    if not text or not text.strip():
        return Markup("")
    html = _parser().render(text)
    return Markup(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )
