"""Shared by the fault and load scripts: a throwaway PostgreSQL, the app under gunicorn with
production settings, and their process ids. Loopback only; everything stops when the script ends."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from strategy_tracker import pgtools  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "load-and-fault-scripts-only-" + "k3y" * 12  # never used outside these local runs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Postgres:
    """A PostgreSQL cluster of our own in a temporary folder, on 127.0.0.1:port, that we may stop
    and start at will (the machine's shared server is never touched)."""

    def __init__(self, port: int):
        self.port = port
        # The server programs: the system's PostgreSQL if installed (readable by the postgres
        # account wherever this checkout lives), else the newest found (e.g. pgserver's).
        system = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda path: float(path.parent.parent.name),
        )
        self.bin = system[-1].parent if system else pgtools.bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="st-prod-pg-"))
        self.data = self.folder / "data"
        self.logfile = self.folder / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: use the postgres account
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.folder)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                  "-o", options, "-w", "-t", "30", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def createdb(self, name: str) -> None:
        db = {"HOST": "127.0.0.1", "PORT": self.port, "USER": "postgres", "NAME": "postgres"}
        pgtools.run("createdb", [name], db)

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def app_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """Production settings, as README's production command runs them, on plain loopback HTTP."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",  # no TLS on loopback; production has it
        DJANGO_SECURE_COOKIES="false",
        DJANGO_STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def finish(work: Path, passed: bool) -> None:
    """Remove the run's folder (static files, gunicorn's log), or keep it to look at a failure."""
    if passed:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"gunicorn's log and the static files are kept in {work}")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


class Gunicorn:
    """gunicorn with gunicorn.conf.py, as in production; `workers` None keeps its default."""

    def __init__(self, env: dict[str, str], port: int, workers: int | None, logfile: Path):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.threads = env.get("GUNICORN_THREADS") or "gunicorn.conf.py's default"
        self.logfile = logfile.open("w")
        extra = ["--workers", str(workers)] if workers else []
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             *extra],
            env=env, cwd=ROOT, stdout=self.logfile, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def describe(self) -> str:
        return f"{len(self.worker_pids())} workers, threads: {self.threads}"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not become ready")
        # one worker answered; wait until every worker has started (the count stops changing)
        seen = self.worker_pids()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.worker_pids()
            if now == seen:
                return
            seen = now
        raise RuntimeError("gunicorn did not become ready")

    def worker_pids(self) -> set[int]:
        children = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    children.add(int(stat.parent.name))
        return children

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.logfile.close()
