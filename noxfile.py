"""Every task a person runs on this project. `nox -l` lists them with these docstrings.

Versions come from pyproject.toml's dependency groups; nothing here repeats them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent / "conf"))
import docs_device
from build_command import HTML_DIR, ROOT, sphinx_build_args

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = ["lint", "docs", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Exact versions of every dependency, transitive ones included (`nox -s lock` writes it).
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"


def constraints(session: nox.Session, torch_release: str | None = None) -> list[str]:
    """pip arguments that hold an install to the locked versions; `lock` resolves afresh.

    The lock is resolved with the pinned torch; a matrix cell with another torch release keeps
    every other locked version and drops torch's own line.
    """
    if session.name == "lock":
        return []
    if torch_release is None or f"torch=={torch_release}" == TORCH_PIN:
        return ["-c", str(CONSTRAINTS)]
    without_torch = Path(session.create_tmp()) / "constraints-without-torch.txt"
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines(keepends=True)
    without_torch.write_text(
        "".join(line for line in lines if not line.startswith("torch==")), encoding="utf-8"
    )
    return ["-c", str(without_torch)]


# The CPU/CUDA x torch matrix: the `torch` group's pin first, then the other releases that
# [tool.docs-matrix] in pyproject.toml names. Devices are the ones docs_device accepts.
(TORCH_PIN,) = nox.project.dependency_groups(PYPROJECT, "torch")
TORCH_RELEASES = [
    TORCH_PIN.removeprefix("torch=="),
    *PYPROJECT["tool"]["docs-matrix"]["other-torch-releases"],
]
MATRIX_DIR = ROOT / "build" / "matrix"
# Under --no-venv a cell runs with the torch it finds; a different release than the cell's is
# an error unless this is set (the stamp and the record then name the torch that really ran).
ANY_TORCH_ENV = "MATRIX_ANY_TORCH"


def has_venv(session: nox.Session) -> bool:
    """False under `nox --no-venv` (or a venv_backend="none" session): nothing may be installed."""
    return session.venv_backend != "none"


def install_torch(session: nox.Session, release: str | None = None) -> None:
    """Install torch in a step of its own: the pinned release, or `release` for a matrix cell.

    TORCH_INDEX_URL names a wheel index to take torch from as well, for example
    https://download.pytorch.org/whl/cpu for the CPU-only build. It is an *extra* index: torch's
    own dependencies keep coming from the default registry at their locked versions (the CPU
    index need not carry them), while pip prefers that index's local build of the pinned
    release (`2.13.0+cpu` satisfies `torch==2.13.0` and sorts above it).
    Without a virtualenv (`nox --no-venv`) nothing is installed: the environment's torch is used.
    """
    pin = f"torch=={release}" if release else TORCH_PIN
    if not has_venv(session):
        session.log(f"no virtualenv: not installing {pin}, using the environment's torch")
        return
    index = os.environ.get("TORCH_INDEX_URL")
    session.install(
        pin, *constraints(session, release), *(["--extra-index-url", index] if index else [])
    )


def install_groups(session: nox.Session, *groups: str, torch_release: str | None = None) -> None:
    """Install pyproject's dependency groups (skipped without a virtualenv, as above).

    ``torch_release``: the torch a matrix cell installed, when it is not the pinned one.
    """
    if not has_venv(session):
        session.log(f"no virtualenv: not installing the groups {', '.join(groups)}")
        return
    session.install(
        *nox.project.dependency_groups(PYPROJECT, *groups), *constraints(session, torch_release)
    )


@nox.session(reuse_venv=True)
def docs(session: nox.Session) -> None:
    """Run the pages' doctests, then build the HTML site strictly (-n -W --keep-going).

    The doctests come first (seconds), so that every page's "Verified with" stamp reports this
    very run; a failing page fails the session before anything is built.
    `nox -s docs -- --serve` serves a live preview with sphinx-autobuild instead.
    """
    serve = "--serve" in session.posargs
    extra = [arg for arg in session.posargs if arg != "--serve"]
    install_torch(session)
    install_groups(session, "test", *(["serve"] if serve else []))
    session.run(
        "pytest", "--doctest-glob=*.md", "-p", "no:cacheprovider", "-q", "docs", "README.md"
    )  # fmt: skip
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
    """The whole suite: page doctests, README.md, and tests/ (site build, browser checks).

    The browser tests drive Debian's Chromium (/usr/bin/chromium; .ci/run installs it);
    `nox -s tests -- -m "not browser"` leaves them out.
    """
    install_torch(session)
    install_groups(session, "test", "browser")
    # A missing Chromium fails the browser tests here (a bare pytest skips them).
    session.run("pytest", "--doctest-glob=*.md", *session.posargs, env={"BROWSER_REQUIRED": "1"})


def gpu_present() -> bool:
    """Whether this machine has an NVIDIA GPU, asked without torch (before anything installs)."""
    nvidia_smi = shutil.which("nvidia-smi")
    if not nvidia_smi:
        return False
    listed = subprocess.run([nvidia_smi, "-L"], capture_output=True, text=True, check=False)
    return listed.returncode == 0 and "GPU" in listed.stdout


def prepare_cell(
    session: nox.Session, device: str, release: str
) -> tuple[str, dict[str, str], Path]:
    """Skip a CUDA cell where there is no GPU; install the cell's torch; check what runs.

    Returns the Python to run, the environment of the cell (DOCS_DEVICE, and where the
    doctests' verification record goes) and the cell's output folder, named after the torch
    that really runs.
    """
    if device == "cuda" and not gpu_present():
        session.skip("cuda cell: this machine has no NVIDIA GPU (nvidia-smi lists none)")
    install_torch(session, release)
    install_groups(session, "test", torch_release=release)
    python = "python" if has_venv(session) else sys.executable
    found = session.run(
        python, "-c", "import torch; print(torch.__version__)", silent=True, external=True
    )
    found = (found or "").strip()  # None under --install-only, where nothing runs
    if found and found.split("+")[0] != release:
        message = f"the cell is torch {release}, but the environment has torch {found}"
        if not os.environ.get(ANY_TORCH_ENV):
            session.error(f"{message}; set {ANY_TORCH_ENV}=1 to run with it anyway")
        session.warn(f"{message} ({ANY_TORCH_ENV} is set): the record names {found}")
    cell_dir = MATRIX_DIR / f"{device}-torch-{found.split('+')[0] or release}"
    env = {
        docs_device.ENV_VAR: device,
        "DOCS_VERIFICATION_RECORD": str(cell_dir / "verification.json"),
    }
    return python, env, cell_dir


@nox.session(reuse_venv=True, default=False)
@nox.parametrize("torch", TORCH_RELEASES)
@nox.parametrize("device", docs_device.DEVICES)
def doctest_matrix(session: nox.Session, device: str, torch: str) -> None:
    """The doctests of every page and README.md on one device with one torch release.

    On `cuda` torch's default device is the GPU and a page that left nothing on it fails;
    without a GPU the cell skips. Record: build/matrix/<device>-torch-<release>/.
    """
    python, env, _ = prepare_cell(session, device, torch)
    session.run(
        python, "-m", "pytest", "--doctest-glob=*.md", "-p", "no:cacheprovider",
        "docs", "README.md", *session.posargs, env=env, external=True,
    )  # fmt: skip


@nox.session(reuse_venv=True, default=False)
@nox.parametrize("torch", TORCH_RELEASES)
@nox.parametrize("device", docs_device.DEVICES)
def gallery_matrix(session: nox.Session, device: str, torch: str) -> None:
    """Build the site, running every gallery example, on one device with one torch release.

    Builds a copy of docs/, examples/ and conf/ so docs/auto_examples is not touched; every
    example runs. On `cuda` an example that left nothing on the GPU fails the build; without
    a GPU the cell skips. HTML: build/matrix/<device>-torch-<release>/html.
    """
    python, env, cell_dir = prepare_cell(session, device, torch)
    source = cell_dir / "src"
    shutil.rmtree(source, ignore_errors=True)
    skip_generated = shutil.ignore_patterns(
        "auto_examples", "gen_modules", "sg_execution_times.rst", "__pycache__"
    )
    for folder in ("docs", "examples", "conf"):
        shutil.copytree(ROOT / folder, source / folder, ignore=skip_generated)
    out_dir = cell_dir / "html"
    shutil.rmtree(out_dir, ignore_errors=True)  # a fresh site: no page left from an older run
    session.run(
        python, "-m", "sphinx", *sphinx_build_args(out_dir, *session.posargs, root=source),
        env=env, external=True,
    )  # fmt: skip
    session.log(f"HTML written to {out_dir / 'index.html'}")


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
