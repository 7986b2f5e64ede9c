"""A throwaway PostgreSQL cluster from the Debian binaries, one per test session.

Gives `PostgresCluster` with `dsn` (superuser `dsensor` with a password, database `postgres`),
`host`, `port`, `user`, `password`, `create_database(name)` and `dsn_for(database)`. The
cluster listens on 127.0.0.1 at a free port, its unix socket sits in its own temp dir, fsync and
full-page writes are off. Under root, initdb and pg_ctl run as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.harness.ports import free_port

SUPERUSER = "dsensor"


def find_bindir() -> Path | None:
    """Directory holding initdb and pg_ctl: pg_config's, the newest Debian one, or PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [Path(p) for p in versions]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(os.path.realpath(initdb)).parent)
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    return None


@dataclass
class PostgresCluster:
    bindir: Path
    root: Path
    port: int = 0
    password: str = ""
    host: str = "127.0.0.1"
    user: str = SUPERUSER
    started: bool = False

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    def dsn_for(self, database: str) -> str:
        secret = quote(self.password, safe="")
        return f"postgresql://{self.user}:{secret}@{self.host}:{self.port}/{quote(database)}"

    def create_database(self, name: str) -> str:
        """Create database `name` (owned by the superuser) and return its DSN."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.dsn_for(name)

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(
            cmd, cwd=self.root, capture_output=True, text=True, check=False, timeout=120
        )

    def _check(self, what: str, out: subprocess.CompletedProcess[str]) -> None:
        if out.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"postgres {what} failed ({out.returncode}): {out.stderr[-2000:]}\n{tail}"
            )

    def start(self) -> PostgresCluster:
        self.password = secrets.token_hex(16)
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for path in (self.root, pwfile):
                os.chown(path, pw.pw_uid, pw.pw_gid)
        pwfile.chmod(0o600)
        init = self._run(
            "initdb", "-D", str(self.data_dir), "-U", self.user, f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._check("initdb", init)
        pwfile.unlink()
        for _attempt in range(3):
            self.port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} "
                f"-c unix_socket_directories={self.root} "
                "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
                "-c max_connections=50"
            )
            out = self._run(
                "pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
                "-w", "-t", "60", "-o", options, "start",
            )  # fmt: skip
            if out.returncode == 0:
                self.started = True
                return self
        self._check("start", out)
        return self

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> PostgresCluster:
    """Create and start a cluster (caller stops it); RuntimeError if the binaries are missing."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    root = Path(tempfile.mkdtemp(prefix="dsensor-pg-"))
    cluster = PostgresCluster(bindir=bindir, root=root)
    try:
        return cluster.start()
    except BaseException:
        cluster.stop()
        raise
