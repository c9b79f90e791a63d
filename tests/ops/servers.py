"""Real gunicorn servers for the operations tests, started as `make serve` starts them (deploy/gunicorn.conf.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with RepairLab's config, in production mode, on a free port; its standard error kept line by line.

    Ready once gunicorn says it listens: from then on a request waits in the socket's queue until a worker has
    booted, so no polling is needed.
    """

    def __init__(self, *, database_url: str, storage: Path, instance: Path, workers: int = 1, **env: str):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self._changed = threading.Condition()
        environment = {
            **os.environ,
            "REPAIRLAB_ENV": "production",
            "SECRET_KEY": "a-production-secret-for-the-tests",
            "DATABASE_URL": database_url,
            "STORAGE_PATH": str(storage),
            "REPAIRLAB_INSTANCE_PATH": str(instance),
            "PUBLIC_BASE_URL": self.base_url,
            "REPAIRLAB_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            **env,
        }
        environment.pop("TEST_CLOCK", None)
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(CONFIG)],
            cwd=ROOT,
            env=environment,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for_line(self, text: str, timeout: float = 60) -> str:
        """The first line of its standard error holding `text` (waits for it)."""

        def found():
            return next((line for line in self.lines if text in line), None) or self.process.poll() is not None

        with self._changed:
            self._changed.wait_for(found, timeout=timeout)
            line = next((line for line in self.lines if text in line), None)
        assert line is not None, f"gunicorn never said {text!r}:\n" + "\n".join(self.lines[-30:])
        return line

    def wait_until_listening(self) -> Gunicorn:
        self.wait_for_line("Listening at:")
        return self

    def records(self) -> list[dict]:
        """Every line it logged, each parsed as JSON (a line that is not JSON fails the test)."""
        with self._changed:
            lines = list(self.lines)
        return [json.loads(line) for line in lines]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self._reader.join(timeout=10)

    def __enter__(self) -> Gunicorn:
        return self.wait_until_listening()

    def __exit__(self, *exc) -> None:
        self.stop()
