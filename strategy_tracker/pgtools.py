"""Running PostgreSQL's own client programs (pg_dump, pg_restore, createdb) against a Django
database: the connection goes in libpq's environment variables, never on the command line (where
`ps` would show a password)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path


class PgToolError(RuntimeError):
    pass


def pg_env(db: dict) -> dict[str, str]:
    """The environment for a client program connecting to the database described by `db` (one
    entry of settings.DATABASES)."""
    env = dict(os.environ)
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"):
        env.pop(key, None)
    mapping = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        mapping["PGSSLMODE"] = options["sslmode"]
    if options.get("connect_timeout"):
        mapping["PGCONNECT_TIMEOUT"] = options["connect_timeout"]
    env.update({key: str(value) for key, value in mapping.items() if value not in (None, "")})
    return env


def _candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(os.environ["PG_BIN_DIR"]))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin")))
    spec = importlib.util.find_spec("pgserver")  # the embedded PostgreSQL ships its own programs
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "pginstall" / "bin")
    return [d for d in dirs if (d / "pg_dump").exists()]


def _major(binary: Path) -> int:
    output = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else 0


@cache
def bin_dir() -> Path:
    """The newest PostgreSQL client programs on this machine (PG_BIN_DIR wins when set): a newer
    pg_dump reads an older server, never the other way round."""
    dirs = _candidate_dirs()
    if not dirs:
        raise PgToolError(
            "pg_dump was not found. Install PostgreSQL's client programs "
            "(e.g. apt-get install postgresql-client) or set PG_BIN_DIR."
        )
    if os.environ.get("PG_BIN_DIR"):
        return dirs[0]
    return max(dirs, key=lambda d: _major(d / "pg_dump"))


def run(program: str, args: list[str], db: dict) -> subprocess.CompletedProcess:
    command = [str(bin_dir() / program), *args]
    result = subprocess.run(command, env=pg_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        raise PgToolError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")
    return result
