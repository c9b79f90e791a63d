"""`make bench`: RepairLab's scan path under load against a bare Flask + sqlite3 page, at several data sizes,
plus label-sheet timings and SQL query counts. Prints figures; asserts nothing (targets are read by people)."""

from __future__ import annotations

import argparse
import http.cookiejar
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:  # noqa: BLE001 - the server is still starting
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


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
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": pct.get("50"),
        "p90": pct.get("90"),
        "p99": pct.get("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def login_cookie(base: str, email: str, password: str) -> str:
    """Log in through the real form and return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/login", data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def build_database(items: int, users: int) -> tuple[Path, dict]:
    """Create (or reuse) a bench database of that size."""
    import json

    path = DATA / f"bench-{items}.sqlite3"
    meta = DATA / f"bench-{items}.json"
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    DATA.mkdir(exist_ok=True)
    for p in DATA.glob(f"bench-{items}.sqlite3*"):
        p.unlink()
    code = (
        "import json, sys\n"
        "from repairlab import create_app\nfrom repairlab.extensions import db\nfrom bench.generate import generate\n"
        f"app = create_app({{'REPAIRLAB_ENV': 'production', 'SECRET_KEY': 'bench', "
        f"'DATABASE_URL': 'sqlite:///{path}', 'PASSWORD_HASH_METHOD': 'pbkdf2:sha256:600000'}})\n"
        "with app.app_context():\n    db.create_all()\n"
        f"    info = generate({items}, {users})\n"
        "print(json.dumps(info))\n"
    )
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    meta.write_text(json.dumps(info))
    return path, info


def label_timings() -> dict:
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
    for _ in range(3):
        out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        colds.append(float(out[0]))
        warms.append(float(out[2]))
    return {"cold": statistics.median(colds), "warm": statistics.median(warms)}


def query_counts(db_path: Path, info: dict) -> dict:
    """SQL statements per page, measured in-process with the test client."""
    code = (
        "import json, sqlalchemy as sa\n"
        "from repairlab import create_app\nfrom repairlab.extensions import db\n"
        "from repairlab.people.models import User\n"
        f"app = create_app({{'REPAIRLAB_ENV': 'production', 'SECRET_KEY': 'bench', 'DATABASE_URL': 'sqlite:///{db_path}'}})\n"
        "out = {}\n"
        "with app.app_context():\n"
        f"    talent = db.session.scalar(sa.select(User).where(User.email == {info['talent_email']!r}))\n"
        f"    manager = db.session.scalar(sa.select(User).where(User.email == {info['manager_email']!r}))\n"
        "    tid, mid = talent.get_id(), manager.get_id()\n"
        "count = [0]\n"
        "with app.app_context():\n"
        "    sa.event.listen(db.engine, 'before_cursor_execute', lambda *a: count.__setitem__(0, count[0] + 1))\n"
        "def measure(user_id, path):\n"
        "    client = app.test_client()\n"
        "    with client.session_transaction() as s:\n        s['_user_id'] = user_id\n"
        "    client.get(path)\n    count[0] = 0\n    r = client.get(path)\n    return r.status_code, count[0]\n"
        f"code, item_id = {info['scan_targets'][0]!r}\n"
        "out['scan /q/<code>'] = measure(tid, '/q/' + code)\n"
        "out['item page (talent)'] = measure(tid, f'/inventory/items/{item_id}')\n"
        "out['item page (lab manager)'] = measure(mid, f'/inventory/items/{item_id}')\n"
        "out['inventory list'] = measure(mid, '/inventory/')\n"
        "out['inventory list, search'] = measure(mid, '/inventory/?q=perceuse&sort=recent')\n"
        "out['home (lab manager)'] = measure(mid, '/')\n"
        "out['lending desk'] = measure(mid, '/lending/desk')\n"
        "out['my loans (talent)'] = measure(tid, '/lending/my-loans')\n"
        "out['skills passport (talent)'] = measure(tid, '/passport')\n"
        "print(json.dumps(out))\n"
    )
    import json

    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,50000,500000", help="item counts to test (comma-separated)")
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=8, help="duration of each load run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `apt-get install wrk` (a real HTTP load generator is required).")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(
        f"RepairLab bench: gunicorn -w {args.workers}, wrk -t1 -c{args.connections} -d{args.seconds}s, "
        f"{os.cpu_count()} CPUs\n"
    )

    from bench.baseline import build

    baseline_db = DATA / "baseline.sqlite3"
    DATA.mkdir(exist_ok=True)
    build(str(baseline_db), max(sizes))
    env = {"BASELINE_DB": str(baseline_db)}
    with Server("bench.baseline:app", env, args.workers) as server:
        wait_up(server.base + "/row/1")
        ids = [f"/row/{i}" for i in range(1, max(sizes), max(1, max(sizes) // 2000))][:2000]
        baseline = wrk(server.base, ids, args.seconds, args.connections)
    print(
        f"Baseline: bare Flask + sqlite3, one row: {baseline['rps']:.0f} req/s, "
        f"p50 {baseline['p50']:.1f} ms, p99 {baseline['p99']:.1f} ms\n"
    )

    rows = []
    for size in sizes:
        t = time.perf_counter()
        db_path, info = build_database(size, args.users)
        build_s = time.perf_counter() - t
        env = {
            "REPAIRLAB_ENV": "production",
            "SECRET_KEY": "bench-only-secret",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "PUBLIC_BASE_URL": "http://127.0.0.1",
        }
        with Server("app:app", env, args.workers) as server:
            wait_up(server.base + "/healthz")
            from bench.generate import BENCH_PASSWORD

            cookie = login_cookie(server.base, info["talent_email"], BENCH_PASSWORD)
            targets = info["scan_targets"]
            scan = wrk(server.base, [f"/q/{c}" for c, _ in targets], args.seconds, args.connections, cookie)
            item = wrk(
                server.base, [f"/inventory/items/{i}" for _, i in targets], args.seconds, args.connections, cookie
            )
            path = wrk(
                server.base,
                [p for c, i in targets for p in (f"/q/{c}", f"/inventory/items/{i}")],
                args.seconds,
                args.connections,
                cookie,
            )
        # One scan = two requests: a full scan costs 2 / path rps.
        scans_per_s = path["rps"] / 2
        rows.append((size, build_s, scan, item, path, scans_per_s))
        print(f"{size:>7} items (data ready in {build_s:.0f} s):")
        for label, r in (("  /q/<code> redirect", scan), ("  item page", item), ("  scan path (both)", path)):
            print(
                f"{label:<24} {r['rps']:>7.0f} req/s  p50 {r['p50']:>6.1f} ms  p90 {r['p90']:>6.1f} ms  "
                f"p99 {r['p99']:>6.1f} ms  errors {r['errors']}"
            )
        print(
            f"  => {scans_per_s:.0f} complete scans/s; item page is {baseline['rps'] / item['rps']:.2f}x slower "
            f"than the bare page (target ≤ 2.5x)\n"
        )

    print("Flatness of the scan path (p50 of the item page by data size):")
    for size, _b, _s, item, _p, _sp in rows:
        print(f"  {size:>7} items: {item['p50']:.1f} ms, {item['rps']:.0f} req/s")
    if len(rows) > 1:
        print(f"  largest / smallest p50: {rows[-1][3]['p50'] / rows[0][3]['p50']:.2f}")

    labels = label_timings()
    print(
        f"\n240-label PDF (A4 3x7): cold {labels['cold']:.2f} s (fresh process, imports included; target < 1.5 s), "
        f"warm {labels['warm']:.3f} s (new labels each time; target < 0.3 s)"
    )

    print("\nSQL queries per page (largest data set):")
    db_path, info = build_database(sizes[-1], args.users)
    for page, (status, count) in query_counts(db_path, info).items():
        print(f"  {page:<28} {count:>3} queries (HTTP {status})")


if __name__ == "__main__":
    main()
