"""`make bench`: RepairLab under concurrent load (wrk against gunicorn) next to a bare Flask + sqlite3 page served
the same way in the same run, at programme scale, plus label-sheet timings and SQL query counts per page.

Data, generated in bulk into bench-data/ (cached; a changed schema, generator or volume makes a new one):
3 territories, 5,000 users (6 lab managers, 54 mentors, the rest talents), 200,000 loans (3,000 open, about one
in eight overdue; at most one open loan per item), 1,000 projects at six stages with teams, mentors, milestones,
sessions and prototypes, and items at each size of --sizes (5,000 / 50,000 / 500,000: 50,000 is the programme
scale, the others check that page times stay flat), with repair tickets in proportion (--repairs at the programme
scale: 100,000; so 10,000 beside 5,000 items and 1,000,000 beside 500,000), over three years of weekly Repair
Cafés in every lab, about 70 % fixed, 300 still open.

Pages loaded at each size: the scan page (/q/<code> then the item page, as a talent), the lending desk (GET
/lending/desk, as a lab manager), the project board (GET /projects/board, as a mentor, then filtered to the mentor's
own projects with ?mentor=<id>), the repair tickets' list (GET /repairs/tickets, as a lab manager), a ticket through
its label (/q/<code> then the ticket's page, as a talent), the territory's impact page (GET
/repairs/impact/territories/<id>, as a lab manager) and the indicators page (GET /reporting/, a lab manager's
territory and an administrator's whole programme, over every talent's path: intake, enrolment, track, sessions
attended, exit and follow-ups; one connection per worker, as few people read it at once); a page that does not
answer as expected (e.g. 404 while it is being written) is printed as "not available (404)". The bare page is
measured again just before each size's pages, and each page's time is given as a ratio to it. Also printed: SQL
queries per page and the server time of one request alone (in-process), which is less sensitive to other work on the
machine than the figures under load. The scan path's p99 at 16 connections and each gunicorn worker's resident
memory after the load runs are printed too. Nothing is asserted (targets are read by people); the last block is
ready to paste into a closing note.

Options go through BENCH_ARGS, e.g. `make bench BENCH_ARGS="--quick"`:
  --quick            5,000 and 50,000 items only, 3-second load runs, one label run: about 2 minutes
                     (the full run takes about 6 minutes, 1 of them to generate the 500,000-item data once)
  --sizes 50000      item counts to test;  --seconds 8  length of each load run;  --connections 8;  --workers 2
  --loans, --open-loans, --projects, --users, --repairs   data volumes;  --fresh  regenerate the data even if cached
  --desk-path, --board-path   the pages to load (e.g. a board with filters)
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PROGRAMME_ITEMS = 50_000


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 30) -> None:
    """Wait until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


def _rss_mb(pid: int) -> float:
    """The resident memory of a process, in MB (VmRSS in /proc)."""
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb / 1024


class Server:
    """A gunicorn serving an app on a free port, stopped on exit."""

    def __init__(self, app: str, env: dict, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", app],
            cwd=ROOT,
            env={**os.environ, **env},
            start_new_session=True,
        )

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)

    def worker_rss(self) -> list[float]:
        """The resident memory (MB) of each of this gunicorn's workers (the master's children)."""
        workers = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                if parent == self.proc.pid:
                    workers.append(_rss_mb(int(entry)))
            except (OSError, ValueError, IndexError):
                continue  # a process that ended meanwhile
        return sorted(workers)


def wrk(base: str, paths: list[str], seconds: int, connections: int, cookie: str = "") -> dict:
    """Run wrk over a list of paths (picked in turn by a Lua script); return rps and latency percentiles."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        f.write(
            "i = 0\nrequest = function()\n  i = i % #paths + 1\n"
            f'  return wrk.format("GET", paths[i], {{["Cookie"] = "{cookie}"}})\nend\n'
        )
        script = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.MULTILINE)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # Socket errors (connect, read, write, timeout after 10 s) count as errors too.
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": pct.get("50"),
        "p90": pct.get("90"),
        "p99": pct.get("99"),
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket.groups())) if socket else 0),
        "connections": connections,
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(base: str, path: str, cookie: str) -> int:
    """The HTTP status of one GET, redirects not followed (a 302 to /login means the cookie does not work)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(urllib.request.Request(base + path, headers={"Cookie": cookie}), timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the real form and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    # Stop at the login's redirect: the bench must not depend on the home page working.
    no_redirect = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    try:
        no_redirect.open(base + "/login", data)
    except urllib.error.HTTPError as e:
        if e.code != 302:
            raise RuntimeError(f"login of {email} failed: HTTP {e.code}") from e
    # One page read, as a browser does next: it shows (and so takes out of the session) the login's welcome message,
    # which would otherwise ride along in every request of the load run.
    with contextlib.suppress(urllib.error.URLError):
        opener.open(base + "/scan").read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def run_python(code: str, *args: str) -> str:
    """Run Python code in a fresh process from the project's root; its stdout, or an error with its stderr's end."""
    done = subprocess.run([PY, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"bench subprocess failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _fingerprint(volumes: dict) -> str:
    """Changes when the schema (every table, index, trigger and text index create_all() makes), the generator or the
    volumes change, so that a cached database is never stale."""
    code = (
        "import hashlib\nfrom repairlab import create_app\nfrom repairlab.extensions import db\n"
        "app = create_app({'REPAIRLAB_ENV': 'production', 'SECRET_KEY': 'bench', 'DATABASE_URL': 'sqlite://'})\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "    with db.engine.connect() as conn:\n"
        "        rows = conn.exec_driver_sql('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all()\n"
        "text = ';'.join(f'{kind} {name} {sql}' for kind, name, sql in rows)\n"
        "print(hashlib.sha256(text.encode()).hexdigest())\n"
    )
    schema = run_python(code).strip()
    source = (ROOT / "bench" / "generate.py").read_bytes()
    return hashlib.sha256(schema.encode() + source + json.dumps(volumes, sort_keys=True).encode()).hexdigest()[:12]


def build_database(items: int, volumes: dict, fingerprint: str, fresh: bool) -> tuple[Path, dict, bool]:
    """Create (or reuse) a bench database of that size; return its path, the generator's info, and whether cached."""
    stem = f"bench-{items}-{fingerprint}"
    path, meta = DATA / f"{stem}.sqlite3", DATA / f"{stem}.json"
    if path.exists() and meta.exists() and not fresh:
        return path, json.loads(meta.read_text()), True
    DATA.mkdir(exist_ok=True)
    for p in DATA.glob(f"bench-{items}-*"):  # older versions of this size
        p.unlink()
    code = (
        "import json, sys\n"
        "from repairlab import create_app\nfrom repairlab.extensions import db\nfrom bench.generate import generate\n"
        f"app = create_app({{'REPAIRLAB_ENV': 'production', 'SECRET_KEY': 'bench', "
        f"'DATABASE_URL': 'sqlite:///{path}', 'PASSWORD_HASH_METHOD': 'pbkdf2:sha256:600000'}})\n"
        "with app.app_context():\n    db.create_all()\n"
        f"    info = generate({items}, **json.loads(sys.argv[1]))\n"
        "print(json.dumps(info))\n"
    )
    out = run_python(code, json.dumps(volumes))
    info = json.loads(out.strip().splitlines()[-1])
    meta.write_text(json.dumps(info))
    return path, info, False


def label_timings(runs: int) -> dict:
    """240-label PDF: a fresh process (import included), then warm calls with new labels each time."""
    code = (
        "import time\nt0 = time.perf_counter()\n"
        "from repairlab.labels.render import LabelData, sheet_pdf\n"
        "def batch(k):\n"
        "    codes = [f'RBX-{k * 1000 + i:04d}' for i in range(240)]\n"
        "    return [LabelData(c, 'https://repairlab.example.org/q/' + c, 'Perceuse-visseuse sans fil',"
        " 'Roubaix-Lille') for c in codes]\n"
        "sheet_pdf(batch(0))\ncold = time.perf_counter() - t0\nwarm = []\n"
        "for k in range(1, 6):\n"
        "    t = time.perf_counter(); sheet_pdf(batch(k)); warm.append(time.perf_counter() - t)\n"
        "print(cold, min(warm), sorted(warm)[len(warm) // 2])\n"
    )
    colds, warms = [], []
    for _ in range(runs):
        out = run_python(code).split()
        colds.append(float(out[0]))
        warms.append(float(out[2]))
    return {"cold": statistics.median(colds), "warm": statistics.median(warms)}


_QUERY_SCRIPT = """
import json, statistics, sys, time
import sqlalchemy as sa
from repairlab import create_app
from repairlab.extensions import db
from repairlab.people.models import User
db_path, info, desk, board = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
repair_code, repair_id, repair_territory = sys.argv[5], sys.argv[6], sys.argv[7]
app = create_app({'REPAIRLAB_ENV': 'production', 'SECRET_KEY': 'bench', 'DATABASE_URL': 'sqlite:///' + db_path})
ids = {}
with app.app_context():
    for who in ('talent', 'manager', 'mentor', 'admin'):
        if who + '_email' in info:
            user = db.session.scalar(sa.select(User).where(User.email == info[who + '_email']))
            ids[who] = user.get_id()
    count = [0]
    sa.event.listen(db.engine, 'before_cursor_execute', lambda *a: count.__setitem__(0, count[0] + 1))
def measure(who, path):
    client = app.test_client()
    with client.session_transaction() as s:
        s['_user_id'] = ids[who]
    client.get(path)
    count[0] = 0
    r = client.get(path)
    queries = count[0]
    times = []
    for _ in range(5):
        t = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - t)
    return r.status_code, queries, round(statistics.median(times) * 1000, 1)
from repairlab.inventory.models import Item
from repairlab.lending.models import Loan
from repairlab.projects.prototypes.models import PrototypeItem
with app.app_context():
    # The same kinds of items at every size, so that the counts compare: on loan, used by a prototype, plain.
    home = db.session.scalar(sa.select(User.territory_id).where(User.email == info['talent_email']))
    on_loan, code = db.session.execute(
        sa.select(Item.id, Item.code).join(Loan, Loan.item_id == Item.id)
        .where(Loan.returned_at.is_(None), Item.territory_id == home).order_by(Item.id).limit(1)
    ).one()
    in_prototype = db.session.scalar(
        sa.select(sa.func.min(PrototypeItem.item_id)).join(Item).where(Item.territory_id == home)
    )
    plain = db.session.scalar(
        sa.select(sa.func.min(Item.id)).where(Item.territory_id == home, Item.status == 'available')
    )
out = {}
out['scan /q/<code>'] = measure('talent', '/q/' + code)
out['item page, on loan (talent)'] = measure('talent', f'/inventory/items/{on_loan}')
out['item page, on loan (manager)'] = measure('manager', f'/inventory/items/{on_loan}')
out['item page, in a prototype'] = measure('talent', f'/inventory/items/{in_prototype}')
out['item page, available'] = measure('talent', f'/inventory/items/{plain}')
out['inventory list'] = measure('manager', '/inventory/')
out['inventory list, search'] = measure('manager', '/inventory/?q=perceuse&sort=recent')
out['inventory search, one serial'] = measure('manager', '/inventory/?q=sn00000' + str(plain)[-3:].rjust(3, '0'))
out['inventory search, 2 letters'] = measure('manager', '/inventory/?q=pe')
out['inventory search, common word'] = measure('manager', '/inventory/?q=perc')
out['inventory search, no match'] = measure('manager', '/inventory/?q=bosch')
out['people search'] = measure('manager', '/people?q=mart')
out['home (lab manager)'] = measure('manager', '/')
out['home (mentor)'] = measure('mentor', '/')
out['lending desk'] = measure('manager', desk)
out['project board (mentor)'] = measure('mentor', board)
own = board + ('&' if '?' in board else '?') + f"mentor={info['mentor_id']}"
out['project board, own projects'] = measure('mentor', own)
out['my loans (talent)'] = measure('talent', '/lending/my-loans')
out['skills passport (talent)'] = measure('talent', '/passport')
if repair_code:
    out['repair ticket via /q/'] = measure('talent', '/q/' + repair_code)
    out['repair ticket page (talent)'] = measure('talent', '/repairs/tickets/' + repair_id)
    out['repair tickets list'] = measure('manager', '/repairs/tickets')
    out['repair tickets, search'] = measure('manager', '/repairs/tickets?q=seb&status=returned')
    out['territory impact page'] = measure('manager', '/repairs/impact/territories/' + repair_territory)
if 'admin' in ids:
    out['indicators (lab manager)'] = measure('manager', '/reporting/')
    out['indicators, all territories'] = measure('admin', '/reporting/')
# The same pages computed again at each request, as after a change of what they show (results not kept).
app.config['RESULTS_KEPT'] = False
out['home (lab manager), recomputed'] = measure('manager', '/')
out['lending desk, recomputed'] = measure('manager', desk)
out['project board, recomputed'] = measure('mentor', board)
if repair_code:
    out['repair tickets list, recomputed'] = measure('manager', '/repairs/tickets')
    out['impact page, recomputed'] = measure('manager', '/repairs/impact/territories/' + repair_territory)
if 'admin' in ids:
    out['indicators, recomputed'] = measure('manager', '/reporting/')
    out['all territories, recomputed'] = measure('admin', '/reporting/')
print(json.dumps(out))
"""


def query_counts(db_path: Path, info: dict, desk: str, board: str) -> dict:
    """SQL statements per page, measured in-process with the test client (second request: caches warm)."""
    people = {k: v for k, v in info.items() if k.endswith(("_email", "_id"))}
    code, ticket_id = (info.get("repair_targets") or [("", "")])[0]
    territory = str(info.get("repair_territory") or "")
    out = run_python(_QUERY_SCRIPT, str(db_path), json.dumps(people), desk, board, code, str(ticket_id), territory)
    return json.loads(out.strip().splitlines()[-1])


def _line(label: str, r: dict, baseline: dict) -> str:
    if "unavailable" in r:
        return f"  {label}: not available ({r['unavailable']})"
    if not r["rps"]:
        return f"  {label}: no request answered within the run (errors {r['errors']})"
    return (
        f"  {label:<26} {r['rps']:>7.0f} req/s  p50 {r['p50']:>6.1f} ms  p90 {r['p90']:>6.1f} ms  "
        f"p99 {r['p99']:>7.1f} ms  errors {r['errors']}  {baseline['rps'] / r['rps']:>5.2f}x the bare page's time"
    )


def main() -> None:
    """Run the whole bench and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default=None, help="item counts to test (comma-separated; default 5000,50000,500000)"
    )
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--loans", type=int, default=200_000)
    parser.add_argument("--open-loans", type=int, default=3000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument(
        "--repairs", type=int, default=100_000, help="repair tickets at the programme scale (scaled with the items)"
    )
    parser.add_argument("--seconds", type=int, default=None, help="duration of each load run (default 8, quick 3)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="5,000 and 50,000 items, 3-second runs")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even when cached")
    parser.add_argument("--desk-path", default="/lending/desk")
    parser.add_argument("--board-path", default="/projects/board")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk` (a real HTTP load generator is required).")
    sizes = [int(s) for s in (args.sizes or ("5000,50000" if args.quick else "5000,50000,500000")).split(",") if s]
    seconds = args.seconds or (3 if args.quick else 8)
    volumes = {
        "users": args.users,
        "loans": args.loans,
        "open_loans": args.open_loans,
        "projects": args.projects,
        "repairs": args.repairs,
    }
    started = time.perf_counter()
    print(
        f"RepairLab bench{' (quick)' if args.quick else ''}: gunicorn -w {args.workers}, "
        f"wrk -t1 -c{args.connections} -d{seconds}s, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at start (other work on the machine makes the figures noisy)\n"
    )

    from bench.baseline import build

    baseline_db = DATA / "baseline.sqlite3"
    DATA.mkdir(exist_ok=True)
    build(str(baseline_db), max(sizes))
    # The yardstick stays up for the whole run and is measured again just before each data size's pages, so that
    # each ratio compares two measurements taken under the same load of the (shared) machine.
    stack = contextlib.ExitStack()
    atexit.register(stack.close)  # stopped on any exit, an error included
    bare = stack.enter_context(Server("bench.baseline:app", {"BASELINE_DB": str(baseline_db)}, args.workers))
    wait_up(bare.base + "/row/1")
    bare_paths = [f"/row/{i}" for i in range(1, max(sizes), max(1, max(sizes) // 2000))][:2000]

    from bench.generate import BENCH_PASSWORD

    fingerprint = _fingerprint(volumes)
    rows = []
    for size in sizes:
        t = time.perf_counter()
        size_volumes = {**volumes, "repairs": round(args.repairs * size / PROGRAMME_ITEMS)}
        db_path, info, cached = build_database(size, size_volumes, fingerprint, args.fresh)
        build_s = time.perf_counter() - t
        c = info["counts"]
        phases = ", ".join(f"{k} {v:.1f}" for k, v in info["phases"].items())
        print(
            f"{size:>7} items, {c['users']} users, {c['loans']} loans ({c['open_loans']} open, {c['overdue_loans']} "
            f"overdue), {c['projects']} projects, {c['prototypes']} prototypes, {c.get('repairs', 0)} repair tickets "
            f"({c.get('territory_repairs', 0)} in the measured territory):\n"
            f"  data generated in {info['seconds']:.1f} s ({phases})"
            + (" [cached from an earlier run; --fresh to regenerate]" if cached else f", ready in {build_s:.0f} s")
        )
        env = {
            "REPAIRLAB_ENV": "production",
            "SECRET_KEY": "bench-only-secret",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
        }
        with Server("app:app", env, args.workers) as server:
            wait_up(server.base + "/healthz")
            wrk(bare.base, bare_paths, 1, args.workers * 2)
            baseline = wrk(bare.base, bare_paths, seconds, args.connections)
            cookies = {
                who: login_cookie(server.base, info[f"{who}_email"], BENCH_PASSWORD)
                for who in ("talent", "manager", "mentor", "admin")
                if f"{who}_email" in info
            }

            def load(paths: list[str], who: str, expect: int = 200, connections: int = args.connections) -> dict:
                status = status_of(server.base, paths[0], cookies[who])  # noqa: B023 - used in this iteration
                if status != expect:
                    return {"unavailable": status}
                # Warm up both workers first (templates compiled, caches filled): steady state only is measured.
                wrk(server.base, paths, 1, args.workers * 2, cookies[who])  # noqa: B023
                return wrk(server.base, paths, seconds, connections, cookies[who])  # noqa: B023

            targets = info["scan_targets"]
            # The floor of any signed-in page: the layout alone (menu, account, language), no data of its own.
            layout = load(["/scan"], "talent")
            scan = load([f"/q/{c}" for c, _ in targets], "talent", 302)
            item = load([f"/inventory/items/{i}" for _, i in targets], "talent")
            path = load([p for c, i in targets for p in (f"/q/{c}", f"/inventory/items/{i}")], "talent", 302)
            desk = load([args.desk_path], "manager")
            board = load([args.board_path], "mentor")
            own = load(
                [args.board_path + ("&" if "?" in args.board_path else "?") + f"mentor={info['mentor_id']}"], "mentor"
            )
            repair_targets = info.get("repair_targets") or []
            unavailable = {"unavailable": "no repair tickets generated"}
            tickets = load(["/repairs/tickets"], "manager") if repair_targets else unavailable
            ticket = (
                load([p for c, i in repair_targets for p in (f"/q/{c}", f"/repairs/tickets/{i}")], "talent", 302)
                if repair_targets
                else unavailable
            )
            impact = (
                load([f"/repairs/impact/territories/{info['repair_territory']}"], "manager")
                if repair_targets
                else unavailable
            )
            # The indicators page is read by a few people at a time: one connection per worker.
            indicators = load(["/reporting/"], "manager", connections=args.workers)
            all_indicators = (
                load(["/reporting/"], "admin", connections=args.workers)
                if "admin" in cookies
                else {"unavailable": "no admin"}
            )
            # Steadiness: the scan path at twice the connections (its p99 is the figure), then each worker's memory
            # after all the load runs of this size.
            busy = wrk(
                server.base,
                [p for c, i in targets for p in (f"/q/{c}", f"/inventory/items/{i}")],
                seconds,
                16,
                cookies["talent"],
            )
            rss = server.worker_rss()
        queries = query_counts(db_path, info, args.desk_path, args.board_path)
        rows.append(
            {
                "size": size,
                "info": info,
                "scan": scan,
                "item": item,
                "path": path,
                "desk": desk,
                "board": board,
                "own": own,
                "tickets": tickets,
                "ticket": ticket,
                "impact": impact,
                "indicators": indicators,
                "all_indicators": all_indicators,
                "baseline": baseline,
                "layout": layout,
                "queries": queries,
                "busy": busy,
                "rss": rss,
            }
        )
        print(
            f"  {'bare Flask+sqlite3 page':<26} {baseline['rps']:>7.0f} req/s  p50 {baseline['p50']:>6.1f} ms  "
            f"p90 {baseline['p90']:>6.1f} ms  p99 {baseline['p99']:>7.1f} ms  (the yardstick, measured just before)"
        )
        for label, r in (
            ("signed-in layout only", layout),
            ("/q/<code> redirect", scan),
            ("item page", item),
            ("scan path (both)", path),
            ("lending desk", desk),
            ("project board", board),
            ("board, own projects", own),
            ("repair tickets list", tickets),
            ("ticket via /q/ (both)", ticket),
            ("territory impact page", impact),
            ("indicators (territory)", indicators),
            ("indicators (all)", all_indicators),
        ):
            print(_line(label, r, baseline))
        print(
            f"  scan path at 16 connections: p99 {busy['p99']:.1f} ms (target < 50 ms), p50 {busy['p50']:.1f} ms, "
            f"{busy['rps']:.0f} req/s, errors {busy['errors']}; gunicorn workers' resident memory after the load: "
            + ", ".join(f"{mb:.0f} MB" for mb in rss)
            + " (target < 150 MB each)"
        )
        if "rps" in path and "rps" in item:
            # One scan = two requests: a full scan costs 2 / path rps.
            print(
                f"  => {path['rps'] / 2:.0f} complete scans/s; item page is {baseline['rps'] / item['rps']:.2f}x "
                f"slower than the bare page (target ≤ 2.5x)"
            )
        print()

    print("Flatness (p50 in ms, req/s) by data size:")
    for key, label in (
        ("item", "item page"),
        ("desk", "lending desk"),
        ("board", "project board"),
        ("own", "board, own"),
        ("tickets", "repair list"),
        ("ticket", "ticket /q/+page"),
        ("impact", "impact page"),
        ("indicators", "indicators"),
        ("all_indicators", "indicators, all"),
    ):
        cells = [
            f"{r['size']:>7}: {r[key]['p50']:>6.1f} ms {r[key]['rps']:>5.0f}/s"
            if "rps" in r[key]
            else f"{r['size']:>7}: n/a ({r[key]['unavailable']})"
            for r in rows
        ]
        ratio = ""
        if len(rows) > 1 and "rps" in rows[0][key] and "rps" in rows[-1][key]:
            ratio = f"   largest/smallest p50 {rows[-1][key]['p50'] / rows[0][key]['p50']:.2f}"
        print(f"  {label:<15} " + " | ".join(cells) + ratio)

    labels = label_timings(1 if args.quick else 3)
    print(
        f"\n240-label PDF (A4 3x7): cold {labels['cold']:.2f} s (fresh process, imports included; target < 1.5 s), "
        f"warm {labels['warm']:.3f} s (new labels each time; target < 0.3 s)"
    )

    print(
        "\nSQL queries per page (second request) and server time (in-process, one request at a time, median of 5),"
        " by data size:"
    )
    print(f"  {'':<30}" + "".join(f"{r['size']:>18,}" for r in rows))
    for page in rows[0]["queries"]:
        cells = []
        for r in rows:
            status, count, ms = r["queries"].get(page, (404, 0, 0))
            cells.append(f"{count:>5} q {ms:>7.1f} ms" if status < 400 else f"{'HTTP ' + str(status):>18}")
        print(f"  {page:<30}" + "".join(cells))
    print("  (HTTP 4xx: the page is not available for that user or does not exist yet)")

    stack.close()
    programme = next((r for r in rows if r["size"] == PROGRAMME_ITEMS), rows[len(rows) // 2])
    baseline = programme["baseline"]
    c = programme["info"]["counts"]
    print(
        f"\n--- For the closing note (programme scale: {programme['size']:,} items, {c['users']:,} users, "
        f"{c['loans']:,} loans of which {c['open_loans']:,} open, {c['projects']:,} projects; gunicorn -w "
        f"{args.workers} on SQLite, wrk -c{args.connections} -d{seconds}s, {os.cpu_count()} shared CPUs) ---"
    )
    query_page = {
        "desk": "lending desk",
        "board": "project board (mentor)",
        "own": "project board, own projects",
        "item": "item page, on loan (talent)",
        "tickets": "repair tickets list",
        "ticket": "repair ticket page (talent)",
        "impact": "territory impact page",
        "indicators": "indicators (lab manager)",
        "all_indicators": "indicators, all territories",
    }
    recomputed = {
        "desk": "lending desk, recomputed",
        "board": "project board, recomputed",
        "tickets": "repair tickets list, recomputed",
        "impact": "impact page, recomputed",
        "indicators": "indicators, recomputed",
        "all_indicators": "all territories, recomputed",
    }
    for key, label, who, detail in (
        (
            "desk",
            f"Lending desk (GET {args.desk_path})",
            "a lab manager",
            f"{c['desk_open_loans']:,} open loans in the territory, {c['desk_overdue_loans']:,} overdue",
        ),
        (
            "board",
            f"Project board (GET {args.board_path})",
            "a mentor",
            f"{programme['info']['board_projects']:,} projects in the territory, "
            f"{c['board_mentor_follows']:,} followed by this mentor",
        ),
        (
            "own",
            f"Project board, the mentor's own projects (GET {args.board_path}?mentor=<id>)",
            "a mentor",
            f"{c['board_mentor_follows']:,} projects",
        ),
        ("item", "Item page (scan; queries for an item on loan)", "a talent", f"{programme['size']:,} items"),
        (
            "tickets",
            "Repair tickets list (GET /repairs/tickets)",
            "a lab manager",
            f"{c.get('territory_repairs', 0):,} tickets in the territory, {c.get('repairs', 0):,} in all",
        ),
        (
            "ticket",
            "Repair ticket through its label (/q/<code> then the ticket's page; queries of the page)",
            "a talent",
            f"{c.get('repairs', 0):,} tickets",
        ),
        (
            "impact",
            "Territory impact page (GET /repairs/impact/territories/<id>)",
            "a lab manager",
            f"{c.get('territory_repairs', 0):,} tickets in the territory",
        ),
        (
            "indicators",
            "Indicators page, the territory (GET /reporting/)",
            "a lab manager",
            f"{c.get('talent_paths', 0):,} talents' paths in all, {c.get('attendances', 0):,} attendances, "
            f"{c['loans']:,} loans",
        ),
        (
            "all_indicators",
            "Indicators page, all territories (GET /reporting/)",
            "an administrator",
            f"{c.get('talent_paths', 0):,} talents' paths, {c.get('exits', 0):,} exits",
        ),
    ):
        r = programme[key]
        if "unavailable" in r:
            print(f"- {label}, as {who}: not available (HTTP {r['unavailable']}) at the time of the run.")
            continue
        counts = [x["queries"].get(query_page[key], (0, 0, 0))[1] for x in rows]
        count, alone = programme["queries"].get(query_page[key], (0, 0, 0))[1:]
        same = (
            "the same at " + ", ".join(f"{x['size']:,}" for x in rows) + " items"
            if len(set(counts)) == 1
            else "by size: " + ", ".join(f"{x['size']:,}: {n}" for x, n in zip(rows, counts, strict=True))
        )
        print(
            f"- {label}, as {who} ({detail}): {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms "
            f"under {r['connections']} concurrent connections, {baseline['rps'] / r['rps']:.2f}x the time of a "
            f"bare Flask + sqlite3 one-row page ({baseline['rps']:.0f} req/s) in the same run; {count} SQL "
            f"queries per request ({same}); {alone:.0f} ms of server time for one request alone"
            + (
                f" (served again while nothing it shows changed; computed afresh: "
                f"{programme['queries'][recomputed[key]][1]} queries, "
                f"{programme['queries'][recomputed[key]][2]:.0f} ms)."
                if recomputed.get(key) in programme["queries"]
                else "."
            )
        )
    busy = programme["busy"]
    print(
        f"- Steadiness: the scan path at 16 concurrent connections, p99 {busy['p99']:.1f} ms (target < 50 ms); "
        "resident memory of each gunicorn worker after the load runs: "
        + ", ".join(f"{mb:.0f} MB" for mb in programme["rss"])
        + " (target < 150 MB)."
    )
    print(f"\nBench finished in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
