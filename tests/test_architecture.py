"""The import graph: no circle, between modules or between packages, and no import against the domain order.

Every `import` of the package counts, at the top of a module or inside a function (a hidden import still makes the
circle). The rule is DESIGN.md's: the foundation below every domain; `people`, `skills` -> `inventory` -> `lending`,
`stocktake`, `repairs`, `labels`; `people`, `skills`, `inventory` -> `projects`; `people`, `projects` -> `programme`;
`people`, `skills`, `inventory`, `repairs`, `programme` -> `guides`;
`reporting` reads from every domain; `api` calls every domain; `core` (pages) above; the application (factory,
CLI, the schema's list of models) on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "repairlab"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# --- The layer table: the one place that says who may import whom -----------------------------------------------

# Modules directly under repairlab/ that every domain may use; they import no domain.
FOUNDATION = frozenset(
    {
        "auth",  # roles and the permission checks
        "backup",  # the archive of the database and the storage folder, and its restore
        "charts",  # small SVG charts placed in Python (projects' figures, repairs' impact)
        "clock",
        "config",
        "database",  # flush_or_conflict, lock_row
        "dates",
        "demo",  # the demo seeders' registry and context
        "errors",
        "extensions",
        "forms",
        "freshness",  # data versions per table, and results reused until a table they read changes
        "images",
        "logs",  # request ids, one JSON line per request, the JSON formatter of production logs
        "mail",  # the SMTP mailer: lending's reminders, repairs' notices
        "pages",  # the navigation and the home page's sections, which every domain extends
        "pagination",
        "qr",  # the QR encoder: label sheets and member cards (labels and lending are siblings)
        "registry",
        "search",  # text search through an index on both engines (FTS5 trigram, pg_trgm)
        "text",
        "timefmt",
        "web",
    }
)
# The application: the factory (repairlab/__init__.py), its commands and the whole schema. Nothing imports them.
APPLICATION = frozenset({PACKAGE, "cli", "models"})

# Each domain (a sub-package) and the domains it builds on directly; what those build on is allowed too.
# Domains that do not exist yet are listed so that they are born in the right place.
DOMAINS: dict[str, frozenset[str]] = {
    # The audit log sits below people: every change, to accounts too, is recorded; it knows users and territories
    # only as the rows its entries point to.
    "audit": frozenset(),
    "people": frozenset({"audit"}),
    "skills": frozenset({"people"}),
    "inventory": frozenset({"people", "skills"}),
    "lending": frozenset({"inventory"}),
    "stocktake": frozenset({"inventory"}),
    "repairs": frozenset({"inventory"}),
    "labels": frozenset({"inventory"}),
    "projects": frozenset({"people", "skills", "inventory"}),
    "programme": frozenset({"people", "projects", "lending"}),
    # Repair guides and workshop plans: linked to tools, tickets, sessions and skills through those pages' registries.
    "guides": frozenset({"people", "skills", "inventory", "repairs", "programme"}),
}
_EVERY_DOMAIN = frozenset(DOMAINS)
# reporting only reads, from every domain: their models and read-side queries, never their services.
DOMAINS["reporting"] = _EVERY_DOMAIN
DOMAINS["api"] = _EVERY_DOMAIN | {"reporting"}
# core: the home page and generic pages, which show what every domain registered.
DOMAINS["core"] = _EVERY_DOMAIN | {"reporting"}
READ_ONLY = {"reporting": ("models", "queries")}


def _allowed(domain: str) -> frozenset[str]:
    """The domains this one may import: those it builds on, and theirs, and so on."""
    seen: set[str] = set()
    todo = list(DOMAINS[domain])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(DOMAINS[name])
    return frozenset(seen)


# --- The graph ------------------------------------------------------------------------------------------------


def _modules(root: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        if "translations" in path.parts or "__pycache__" in path.parts:
            continue
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def import_graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """module -> {imported module of the package: line of the first such import}, imports inside functions too.

    An import of a module's own parent package (the blueprint in its __init__) is not an edge: a package always
    runs before its modules.
    """
    modules = _modules(root)
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for imported in targets:
                target = imported
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].setdefault(target, node.lineno)
    return graph


def area(module: str) -> str:
    """The layer table's name for a module: its domain, or its own name under repairlab/, or the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE


def circles(graph: dict[str, set[str]] | dict[str, dict[str, int]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(graph[start])))]
        while work:
            node, edges = work[-1]
            target = next(edges, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def package_graph(graph: dict[str, dict[str, int]]) -> dict[str, set[str]]:
    """The same graph between the layer table's areas (domains and top-level modules)."""
    out: dict[str, set[str]] = {area(name): set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            if area(target) != area(name):
                out[area(name)].add(area(target))
    return out


def violations(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every import against the layer table, as 'module:line imports target (why)'."""
    out = []
    for name, targets in sorted(graph.items()):
        source = area(name)
        # `from repairlab.lending import services` reaches the package and its module: report the module only.
        reached = {target.rpartition(".")[0] for target in targets}
        for target, line in sorted(targets.items()):
            dest = area(target)
            if dest == source or target in reached:
                continue
            where = f"{name}:{line} imports {target}"
            if source in APPLICATION:
                continue
            if dest in APPLICATION:
                out.append(f"{where} (the application is on top: nothing imports it)")
            elif source in FOUNDATION:
                if dest not in FOUNDATION:
                    out.append(f"{where} (the foundation imports no domain)")
            elif dest in FOUNDATION:
                continue
            elif dest not in _allowed(source):
                out.append(f"{where} (against the domain order: {source} does not build on {dest})")
            elif source in READ_ONLY and target.rpartition(".")[2] not in READ_ONLY[source]:
                out.append(f"{where} ({source} only reads: {', '.join(READ_ONLY[source])} modules)")
    return out


def unplaced(graph: dict[str, dict[str, int]]) -> list[str]:
    """Modules or packages the layer table does not place."""
    return sorted({area(name) for name in graph} - FOUNDATION - APPLICATION - set(DOMAINS))


# --- The tests ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_every_module_has_a_place_in_the_layer_table(graph):
    assert unplaced(graph) == []


def test_no_import_goes_against_the_domain_order(graph):
    assert violations(graph) == []


def test_no_circle_between_packages(graph):
    assert circles(package_graph(graph)) == []


def test_no_circle_between_modules(graph):
    assert circles(graph) == []


# The checks themselves, on a package written for the purpose.


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / PACKAGE


def test_a_circle_hidden_in_a_function_is_found(tmp_path):
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "people/__init__.py": "",
            "people/services.py": "from repairlab.people import views\n",
            "people/views.py": "def f():\n    from repairlab.people.services import x\n",
        },
    )
    assert circles(import_graph(root)) == [frozenset({"repairlab.people.services", "repairlab.people.views"})]


def test_a_circle_between_packages_is_found(tmp_path):
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "auth.py": "from repairlab.people.models import User\n",
            "people/__init__.py": "",
            "people/models.py": "from repairlab import auth\n",
        },
    )
    graph = import_graph(root)
    assert circles(package_graph(graph)) == [frozenset({"auth", "people"})]
    assert violations(graph) == ["repairlab.auth:1 imports repairlab.people.models (the foundation imports no domain)"]


def test_an_import_against_the_domain_order_is_found(tmp_path):
    root = _write(
        tmp_path,
        {
            "__init__.py": "",
            "inventory/__init__.py": "",
            "inventory/views.py": "import sqlalchemy\n\ndef f():\n    from repairlab.lending import services\n",
            "lending/__init__.py": "",
            "lending/services.py": "from repairlab.inventory.views import f\nfrom repairlab.labels import x\n",
            "labels/__init__.py": "x = 1\n",
            "reporting/__init__.py": "",
            "reporting/queries.py": "from repairlab.lending.services import y\nfrom repairlab.cli import z\n",
            "cli.py": "",
        },
    )
    assert violations(import_graph(root)) == [
        "repairlab.inventory.views:4 imports repairlab.lending.services"
        " (against the domain order: inventory does not build on lending)",
        "repairlab.lending.services:2 imports repairlab.labels (against the domain order: lending does not build on"
        " labels)",
        "repairlab.reporting.queries:2 imports repairlab.cli (the application is on top: nothing imports it)",
        "repairlab.reporting.queries:1 imports repairlab.lending.services (reporting only reads: models, queries"
        " modules)",
    ]
