"""Helpers for the tests of the site (fixtures live in conftest.py)."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def doctest_flags(options: dict[int, bool] | None = None) -> int:
    """The flags doctest compares an example with: pytest's ``doctest_optionflags`` from
    pyproject.toml, then the example's own ``# doctest:`` options. The copy-button and notebook
    tests compare what a reader's prompt or kernel printed under the same rules."""
    names = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]["doctest_optionflags"]
    flags = 0
    for name in names:
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    for flag, enabled in (options or {}).items():
        flags = flags | flag if enabled else flags & ~flag
    return flags


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
