"""Every task a person runs on this project. `nox -l` lists them with these docstrings.

Versions come from pyproject.toml's dependency groups; nothing here repeats them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent / "conf"))
from build_command import HTML_DIR, ROOT, sphinx_build_args

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = ["lint", "docs", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Exact versions of every dependency, transitive ones included (`nox -s lock` writes it).
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"


def constraints(session: nox.Session) -> list[str]:
    """pip arguments that hold an install to the locked versions; `lock` resolves afresh."""
    return [] if session.name == "lock" else ["-c", str(CONSTRAINTS)]


def install_torch(session: nox.Session) -> None:
    """Install the pinned torch in a step of its own.

    TORCH_INDEX_URL picks the wheel index, for example
    https://download.pytorch.org/whl/cpu for the CPU-only build elsewhere.
    """
    pin = nox.project.dependency_groups(PYPROJECT, "torch")
    index = os.environ.get("TORCH_INDEX_URL")
    session.install(*pin, *constraints(session), *(["--index-url", index] if index else []))


def install_groups(session: nox.Session, *groups: str) -> None:
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups), *constraints(session))


@nox.session(reuse_venv=True)
def docs(session: nox.Session) -> None:
    """Build the HTML site strictly (-n -W --keep-going) into build/html.

    `nox -s docs -- --serve` serves a live preview with sphinx-autobuild instead.
    """
    serve = "--serve" in session.posargs
    extra = [arg for arg in session.posargs if arg != "--serve"]
    install_torch(session)
    install_groups(session, "serve" if serve else "docs")
    if serve:
        session.run(
            "sphinx-autobuild",
            *sphinx_build_args(HTML_DIR, *extra),
            "--watch",
            "examples",
            "--watch",
            "conf",
            "--re-ignore",
            r"auto_examples|sg_execution_times",
        )
        return
    session.run("sphinx-build", *sphinx_build_args(HTML_DIR, *extra))
    session.log(f"HTML written to {HTML_DIR / 'index.html'}")


@nox.session(reuse_venv=True)
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on every change and serve on http://127.0.0.1:8000."""
    session.notify("docs", ["--serve", *session.posargs])


@nox.session(reuse_venv=True)
def doctest(session: nox.Session) -> None:
    """Run the doctests of every page and of README.md."""
    install_torch(session)
    install_groups(session, "test")
    session.run("pytest", "--doctest-glob=*.md", "docs", "README.md", *session.posargs)


@nox.session(reuse_venv=True)
def tests(session: nox.Session) -> None:
    """The whole suite: page doctests, README.md, and tests/ (site build and checks)."""
    install_torch(session)
    install_groups(session, "test")
    session.run("pytest", "--doctest-glob=*.md", *session.posargs)


@nox.session(reuse_venv=True)
def inventory(session: nox.Session) -> None:
    """Regenerate conf/inventories/ (torch and NumPy API links) from the pinned packages."""
    install_torch(session)
    install_groups(session, "docs")
    session.run("python", "conf/make_inventories.py")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    install_groups(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(venv_backend="none")
def clean(session: nox.Session) -> None:
    """Remove generated output: build/, docs/auto_examples/, sphinx-gallery's timing page."""
    for path in (ROOT / "build", ROOT / "docs" / "auto_examples"):
        shutil.rmtree(path, ignore_errors=True)
    (ROOT / "docs" / "sg_execution_times.rst").unlink(missing_ok=True)


# Seeds of the shuffled doctest runs: fixed, so that a failure can be replayed.
SHUFFLE_SEEDS = ("1", "2", "3", "4", "5")


@nox.session(reuse_venv=True)
def doctest_shuffled(session: nox.Session) -> None:
    """Run the pages' doctests in shuffled order, each page twice a run, under several seeds.

    A page that passes only after another page, or only once, fails here. Replay a failure
    with `pytest --random-order-bucket=global --random-order-seed=<seed> ...`.
    """
    install_torch(session)
    install_groups(session, "test")
    pages = [str(page.relative_to(ROOT)) for page in sorted((ROOT / "docs").glob("*.md"))]
    pages.append("README.md")
    for seed in SHUFFLE_SEEDS:
        session.run(
            "pytest",
            "-p",
            "no:cacheprovider",
            "--random-order-bucket=global",
            f"--random-order-seed={seed}",
            # each page twice in the one process: a page must also pass on repeat
            "--keep-duplicates",
            *pages,
            *pages,
            *session.posargs,
        )


@nox.session(reuse_venv=True)
def reproducible(session: nox.Session) -> None:
    """Build the site twice from clean copies with SOURCE_DATE_EPOCH set: byte-identical HTML."""
    install_torch(session)
    install_groups(session, "test")
    session.run("python", "tests/reproducible_build.py")


@nox.session(reuse_venv=True)
def bench(session: nox.Session) -> None:
    """Time the clean build, its floor, the no-op rebuild and the doctests; print a table.

    `nox -s bench -- --repeat 3` takes the best of three of each measurement.
    """
    install_torch(session)
    install_groups(session, "test")
    session.run("python", "tests/bench.py", *session.posargs)


@nox.session
def lock(session: nox.Session) -> None:
    """Resolve every dependency group afresh and write requirements/constraints.txt."""
    install_torch(session)
    groups = [name for name in PYPROJECT["dependency-groups"] if name != "torch"]
    install_groups(session, *groups)
    session.run("python", "requirements/make_constraints.py")
