"""A PostgreSQL cluster of a test's own (initdb in a temporary directory, a free port), that
the test may stop and start again without touching the shared server others use."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.serving import free_port


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class PrivateCluster:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        # Not under pytest's temporary folder: the `postgres` user cannot reach into root's.
        self.directory = Path(tempfile.mkdtemp(prefix="credit-test-pg-"))
        self.data = self.directory / "pgdata"
        self.port = free_port()
        # PostgreSQL refuses to run as root: as root, it runs as the `postgres` user.
        self.user_prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user_prefix:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.directory / "server.log"), "-w", "start")  # fmt: skip

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as when a database server fails."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server if it runs and delete its files."""
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self.user_prefix, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr}{done.stdout}")
