"""A process killed (SIGKILL) in the middle of an import leaves nothing half-imported: the ORDS import command on a
big generated file and a server confirming a CSV import of items are stopped dead half-way through their inserts;
every table then holds the rows it held before, and the same import, run again, imports every row."""

from __future__ import annotations

import io
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairlab.extensions import db as _db
from repairlab.inventory.models import Item
from repairlab.people.models import Role
from repairlab.repairs.models import RepairTicket
from tests.conftest import TEST_PASSWORD
from tests.faults.killpoint import KILL_POINT
from tests.inventory.conftest import lab  # noqa: F401  (fixture)
from tests.live import LiveClient
from tests.repairs.test_ords_import import _generated

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 120  # the most a process may take to reach its kill point (a slow CI machine)


def row_counts() -> dict[str, int]:
    """The number of rows of every table, as any other connection sees them (committed rows only); not the counters
    of writes (repairlab/freshness.py), which the login's own commit raises."""
    _db.session.rollback()
    return {
        table.name: _db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
        if table.name != "data_versions"
    }


class Stoppable:
    """A RepairLab process run by tests/faults/killpoint.py."""

    def __init__(self, app, database_url: str, prefix: str, count: int, *args: str):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REPAIRLAB_ENV": "testing",
            "SECRET_KEY": app.config["SECRET_KEY"],
            "STORAGE_PATH": app.config["STORAGE_PATH"],
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "tests.faults.killpoint", prefix, str(count), *args]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def wait_for(self, start: str) -> str:
        """The first line of its output that starts with `start` (it fails if the process ends first)."""
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    break
                line = self.process.stdout.readline()
                if not line:
                    self.process.wait()
                    raise AssertionError(
                        f"the process ended ({self.process.returncode}) before {start!r}: {self.process.stderr.read()}"
                    )
                if line.startswith(start):
                    return line.strip()
        finally:
            selector.close()
        raise AssertionError(f"no {start!r} from the process within {WAIT_SECONDS} s")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine loses power or the OOM killer strikes."""
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait() == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


@pytest.fixture
def stoppable(app, database_url):
    """Start processes that stop at a kill point: stoppable(prefix, count, "cli", ...); stopped after the test."""
    started: list[Stoppable] = []

    def start(prefix: str, count: int, *args: str) -> Stoppable:
        started.append(Stoppable(app, database_url, prefix, count, *args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def test_the_ords_import_command_killed_half_way_imports_nothing(app, stoppable, lab, tmp_path):  # noqa: F811
    path = tmp_path / "ords-10000.csv"
    path.write_bytes(_generated(10_000))  # ten INSERTs of 1,000 records, in one transaction
    before = row_counts()

    command = stoppable("INSERT INTO repair_tickets", 5, "cli", "ords-import", str(path), "--lab", str(lab.id))
    command.wait_for(KILL_POINT)  # 5,000 records written, not committed
    assert row_counts() == before  # nobody else sees them meanwhile
    command.kill()

    after = row_counts()
    assert after == before, {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    result = app.test_cli_runner().invoke(args=["ords-import", str(path), "--lab", str(lab.id)])
    assert result.exit_code == 0, result.output
    assert "Imported: 10000\nSkipped as already there: 0\n" in result.output
    assert row_counts()[RepairTicket.__tablename__] == before[RepairTicket.__tablename__] + 10_000


def _items_csv(rows: int) -> bytes:
    lines = ["name,kind,brand,value,description"]
    lines += [f"Perceuse {n},tool,Bosch,{n % 90 + 10},Tiroir {n % 12}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_server_killed_while_it_imports_a_csv_file_of_items_imports_nothing(
    app,
    stoppable,
    make_user,
    lab,  # noqa: F811
    client,
    login,
):
    manager = make_user(Role.LAB_MANAGER, email="lina@example.org")
    lab_id = lab.id
    before = row_counts()

    server = stoppable("INSERT INTO items", 100, "serve")
    port = int(server.wait_for("PORT ").split()[1])
    lina = LiveClient(f"http://127.0.0.1:{port}")
    lina.log_in("lina@example.org", TEST_PASSWORD)
    preview = lina.post(
        "/inventory/import",
        {"csrf_token": lina.csrf_token("/inventory/import"), "lab_id": str(lab_id)},
        files={"file": ("outils.csv", _items_csv(300))},
    )
    assert preview.status == 200, preview.text[:2000]
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert row_counts() == before  # the preview writes nothing

    # The confirmation stops dead after its 100th item: the request never answers.
    form = {"csrf_token": lina.csrf_token("/inventory/import"), "token": token, "lab_id": str(lab_id)}
    answer: list = []
    request = threading.Thread(target=lambda: answer.append(_try(lina.post, "/inventory/import/confirm", form)))
    request.start()
    server.wait_for(KILL_POINT)
    assert row_counts() == before
    server.kill()
    request.join(timeout=WAIT_SECONDS)
    assert answer and isinstance(answer[0], Exception)  # the connection broke: no answer, no success shown

    after = row_counts()
    assert after == before, {name: (before[name], after[name]) for name in before if before[name] != after[name]}

    # Back up (another server, here the test's own app): the file uploaded again imports every row, once.
    login(manager)
    preview = client.post("/inventory/import", data={"lab_id": lab_id, "file": (io.BytesIO(_items_csv(300)), "o.csv")})
    token = preview.get_data(as_text=True).split('name="token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/inventory/import/confirm", data={"token": token, "lab_id": lab_id})
    assert done.status_code == 302
    assert row_counts()[Item.__tablename__] == before[Item.__tablename__] + 300


def _try(call, *args):
    try:
        return call(*args)
    except Exception as error:  # the test looks at what broke
        return error
