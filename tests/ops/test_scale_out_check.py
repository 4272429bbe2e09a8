"""scripts/scale_out_check.py, run whole: two gunicorn servers, Redis, a primary and a streaming
replica (and PgBouncer where installed), five checks. CI runs it (REQUIRE_SCALE_OUT=1); locally
it is skipped unless asked for, as it takes minutes and starts servers of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.scale_out


def test_the_scale_out_check_passes():
    if os.environ.get("REQUIRE_SCALE_OUT") != "1":
        pytest.skip("takes minutes: set REQUIRE_SCALE_OUT=1 to run it (CI does)")
    missing = [
        name
        for name, found in {
            "redis-server": shutil.which("redis-server"),
            "PostgreSQL's server programs": list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        }.items()
        if not found
    ]
    assert not missing, f"missing on this machine: {missing}"
    result = subprocess.run(
        [sys.executable, "scripts/scale_out_check.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert result.stdout.count("  PASS  ") == 5
