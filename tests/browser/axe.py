"""axe-core in the browser tests: the vendored script (tests/browser/vendor/), run on a Playwright page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_VERSION = "4.14.1"
BLOCKING = ("serious", "critical")
# The rules run: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_script: str | None = None


def axe_script() -> str:
    """The vendored axe.min.js, read once."""
    global _script
    if _script is None:
        _script = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
        if f"axe v{AXE_VERSION}" not in _script[:200]:
            raise RuntimeError(f"tests/browser/vendor/axe.min.js is not axe-core {AXE_VERSION}")
    return _script


@dataclass
class Violation:
    """One axe rule broken on one page: its impact and the elements (CSS selectors) that break it."""

    page: str
    rule: str
    impact: str
    help: str
    targets: list[str] = field(default_factory=list)

    def describe(self) -> str:
        shown = ", ".join(self.targets[:4]) + (" ..." if len(self.targets) > 4 else "")
        return f"{self.page}: [{self.impact}] {self.rule} ({self.help}) on {shown}"


def run_axe(page, label: str) -> list[Violation]:
    """Run axe on the page as it stands; its violations, labelled with `label` (the page's address)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline script) stays on.
        page.evaluate(axe_script())
    result = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const r = await window.axe.run(document, options);
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        TAGS,
    )
    return [Violation(label, v["id"], v["impact"] or "minor", v["help"], v["targets"]) for v in result]


def write_summary(path: Path, checked: list[str], violations: list[Violation]) -> None:
    """Append this test's pages and violations to a JSON-lines summary (test-results/, kept for the report)."""
    with path.open("a", encoding="utf-8") as out:
        out.write(
            json.dumps(
                {
                    "pages": checked,
                    "violations": [v.__dict__ for v in violations],
                },
                ensure_ascii=False,
            )
            + "\n"
        )
