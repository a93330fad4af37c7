"""A throwaway PostgreSQL server on loopback for the tests (Debian's postgresql package)."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def available() -> bool:
    """Whether the server binaries and the psycopg2 driver are installed."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return False
    return _bin() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server():
    """Start a fresh cluster in a new temporary folder on 127.0.0.1, yield its SQLAlchemy URL, stop and delete it."""
    bindir = _bin()
    # The server runs as the postgres user, who cannot enter pytest's private temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="mlcourse-pg-"))
    os.chmod(folder, 0o755)
    data, sock = folder / "data", folder / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        for path in (folder, sock):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *map(str, cmd)], check=True, capture_output=True, text=True)  # noqa: E731
    run(bindir / "initdb", "-D", data, "-U", "grader", "--auth=trust", "-E", "UTF8")
    run(bindir / "pg_ctl", "-D", data, "-w", "-l", folder / "log", "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1", "start")
    try:
        run(bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "grader", "gradebook")
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
