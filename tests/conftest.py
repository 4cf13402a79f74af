"""Fixtures for the tests of the site itself."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf"))

from build_command import sphinx_build_args


@dataclass(frozen=True)
class SiteBuild:
    html_dir: Path
    returncode: int
    output: str


def build_site(out_dir: Path, *extra: str, root: Path = ROOT) -> SiteBuild:
    """Build the site under ``root`` strictly, in a fresh process, into ``out_dir``."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *sphinx_build_args(out_dir, *extra, root=root)],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    return SiteBuild(out_dir, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> SiteBuild:
    """The site, built once per test run into a temporary directory.

    SITE_HTML=<dir> reuses a site already built there (by `nox -s docs`, say) instead.
    """
    prebuilt = os.environ.get("SITE_HTML")
    if prebuilt:
        return SiteBuild(Path(prebuilt), 0, "")
    return build_site(tmp_path_factory.mktemp("site") / "html")
