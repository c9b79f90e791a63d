"""French typography over the whole French catalogue: a non-breaking space before « : ; ! ? » and after «, one kind of
apostrophe (’), and times written "23 h 59"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "repairlab/translations/fr/LC_MESSAGES/messages.po"
NBSP = "\u00a0\u202f"  # a non-breaking space, or a narrow one

# Placeholders and markup are not French text: "%(name)s", "{name}", tags, entities, URLs.
_NOT_TEXT = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|<[^>]+>|&[a-z]+;|https?://\S+")


def _french_strings() -> list[tuple[str, str]]:
    with PO.open("rb") as f:
        catalogue = read_po(f)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        out.extend((msgid, s) for s in strings if s)
    return out


STRINGS = _french_strings()


def _text(string: str) -> str:
    return _NOT_TEXT.sub("X", string)


def _wrong(pattern: re.Pattern) -> list[str]:
    return [f"{msgid!r} -> {string!r}" for msgid, string in STRINGS if pattern.search(_text(string))]


def test_the_catalogue_is_read():
    assert len(STRINGS) > 500


def test_a_non_breaking_space_comes_before_high_punctuation():
    # A letter, digit, quote or bracket right before : ; ! ? », or an ordinary space before them. (A colon between
    # digits is a ratio or a time, "::" not French: both left alone.)
    pattern = re.compile(rf"(?:[ \w»)\]’'\"](?<![{NBSP}])[;!?»]|(?<![{NBSP}\d:])(?<!^)[ \w»)\]’'\"]:(?![\d/]))")
    assert _wrong(pattern) == []


def test_a_non_breaking_space_comes_after_an_opening_guillemet():
    assert _wrong(re.compile(rf"«(?![{NBSP}])")) == []


def test_one_kind_of_apostrophe():
    assert _wrong(re.compile(r"'")) == []


@pytest.mark.parametrize("bad", ["23:59", "9h30", "23h59", "18 h", "à 8h"])
def test_the_time_pattern_catches_english_and_squeezed_times(bad):
    assert _TIME.search(bad)


_TIME = re.compile(r"\b\d{1,2}(?::\d{2}|\s?h\s?\d{2}|h\b|\s?h(?=\s|$))")


def test_times_are_written_23_h_59():
    wrong = []
    for msgid, string in STRINGS:
        for match in _TIME.finditer(_text(string)):
            if not re.fullmatch(rf"\d{{1,2}}[{NBSP}]h(?:[{NBSP}]\d{{2}})?", match.group(0).strip()):
                wrong.append(f"{msgid!r} -> {string!r}")
    assert wrong == []


def test_french_times_are_written_23_h_59_and_english_ones_23_59(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from repairlab.timefmt import local_datetime

    late = datetime(2026, 3, 2, 22, 59, tzinfo=UTC)  # 23:59 in Paris (winter time)
    with app.test_request_context():
        with force_locale("fr"):
            assert local_datetime(late, "EEEE d MMMM, HH:mm") == "lundi 2 mars, 23\u00a0h\u00a059"
            assert local_datetime(late, "short") == "02/03/2026 23\u00a0h\u00a059"
            assert local_datetime(late, "HH:mm") == "23\u00a0h\u00a059"
        with force_locale("en"):
            assert local_datetime(late, "HH:mm") == "23:59"
