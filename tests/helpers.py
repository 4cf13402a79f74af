"""Helpers for the tests of the site (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str


def run_pytest(root: Path, *args: str) -> Run:
    """Run pytest on the copy of the site at ``root``, with that copy's own configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )
    return Run(result.returncode, result.stdout + result.stderr)
