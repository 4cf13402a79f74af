"""Every task a person runs on this project. `nox -l` lists them with these docstrings.

Versions come from pyproject.toml's dependency groups; nothing here repeats them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).resolve().parent / "conf"))
from fundamentals_site import docs_device
from fundamentals_site.build_command import HTML_DIR, ROOT, sphinx_build_args

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = ["lint", "docs", "tests"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
REQUIREMENTS_DIR = ROOT / "requirements"
# What the doctests run: every page, and this README's example.
DOCTEST_PATHS = ("docs", "README.md")
# What each session installs: a name, and the dependency groups of pyproject.toml it holds.
# `nox -s lock` resolves each set with uv into requirements/<name>.txt: exact versions of every
# package, transitive ones included, each with its hashes. A set with the "torch" group also
# gets torch, in a step of its own (install_torch says why that step has no hashes).
INSTALL_SETS = {
    "docs": ("torch", "docs"),
    "serve": ("torch", "serve"),
    "test": ("torch", "test"),
    "browser-tests": ("torch", "test", "browser"),
    "lint": ("lint",),
}

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


def install(session: nox.Session, install_set: str, torch_release: str | None = None) -> None:
    """Install one of INSTALL_SETS from its lock; torch too, if the set has the "torch" group.

    Every package of the lock is checked against its hashes (--require-hashes applies to a
    requirements file, not to constraints: pypa/pip#12956), and --no-deps keeps the install
    to exactly what the lock lists. ``torch_release``: a matrix cell's torch, when it is not
    the pinned one. Without a virtualenv (`nox --no-venv`) nothing is installed: the
    environment's own packages are used.
    """
    if not has_venv(session):
        session.log(f"no virtualenv: not installing {install_set}, using the environment's")
        return
    lock = REQUIREMENTS_DIR / f"{install_set}.txt"
    # uv installs the lock: it fetches and unpacks packages in parallel where pip takes them
    # one after another, and it checks the same hashes (a fresh clone's `.ci/run` on two
    # cores, all but pytest: 1 min 20 s to 1 min 43 s with pip, 1 min 3 s with uv and an empty
    # uv cache, torch's 26 s included). Bytecode is compiled at install, as pip does:
    # environments that set PYTHONDONTWRITEBYTECODE would otherwise compile every import, every
    # time.
    install_uv(session)
    python = Path(session.virtualenv.location) / "bin" / "python"
    session.run(
        "uv", "pip", "install", "--python", str(python), "--require-hashes", "--no-deps",
        "--compile-bytecode", "-r", str(lock),
    )  # fmt: skip
    if "torch" in INSTALL_SETS[install_set]:
        install_torch(session, lock, torch_release)


def install_torch(session: nox.Session, lock: Path, release: str | None) -> None:
    """Install torch after its set: the pinned release, or a matrix cell's ``release``.

    Its own step, without hashes: the wheel differs by index (TORCH_INDEX_URL picks one, for
    example https://download.pytorch.org/whl/cpu for the CPU-only build; a machine may also
    offer a local CPU wheel), and a CUDA build brings CUDA runtime wheels (nvidia-*, triton)
    that the CPU build does not. TORCH_INDEX_URL is an *extra* index: torch's own dependencies
    keep coming from the default registry at their locked versions (the CPU index need not
    carry them), while pip prefers that index's local build of the pinned release
    (`2.13.0+cpu` satisfies `torch==2.13.0` and sorts above it; .ci/torch-index-dry-run).
    The lock leaves out torch and those wheels; it holds torch's other dependencies, already
    installed with their hashes, and its versions are passed as constraints so that another
    torch release keeps every other locked version.
    """
    pins = Path(session.create_tmp()) / f"{lock.stem}-pins.txt"
    pins.write_text(
        "".join(f"{line.split()[0]}\n" for line in locked_lines(lock)), encoding="utf-8"
    )
    index = os.environ.get("TORCH_INDEX_URL")
    session.install(
        f"torch=={release}" if release else TORCH_PIN,
        "-c",
        str(pins),
        *(["--extra-index-url", index] if index else []),
    )


def install_uv(session: nox.Session) -> None:
    """uv, at its pin in the `lock` group (the tool that writes and installs the locks is not
    in them)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lock"))


def locked_lines(lock: Path) -> list[str]:
    """The ``name==version`` lines of a lock written by `nox -s lock` (hashes follow on
    continuation lines, annotations on comment lines)."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line[0].isspace() and line[0] != "#"]


@nox.session(reuse_venv=True)
def docs(session: nox.Session) -> None:
    """Run the pages' doctests, then build the HTML site strictly (-n -W --keep-going).

    The doctests come first (seconds), so that every page's "Verified with" stamp reports this
    very run; a failing page fails the session before anything is built.
    """
    install(session, "test")
    session.run("pytest", "-p", "no:cacheprovider", "-q", *DOCTEST_PATHS)
    session.run("sphinx-build", *sphinx_build_args(HTML_DIR, *session.posargs))
    session.log(f"HTML written to {HTML_DIR / 'index.html'}")


@nox.session(reuse_venv=True)
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on every change and serve on http://127.0.0.1:8000."""
    install(session, "serve")
    session.run(
        "sphinx-autobuild",
        *sphinx_build_args(HTML_DIR, *session.posargs),
        "--watch",
        "examples",
        "--watch",
        "conf",
        "--re-ignore",
        r"auto_examples|sg_execution_times",
    )


@nox.session(reuse_venv=True)
def doctest(session: nox.Session) -> None:
    """Run the doctests of every page and of README.md."""
    install(session, "test")
    session.run("pytest", *DOCTEST_PATHS, *session.posargs)


@nox.session(reuse_venv=True)
def tests(session: nox.Session) -> None:
    """The whole suite: page doctests, README.md, and tests/ (site build, browser checks).

    The browser tests drive Debian's Chromium (/usr/bin/chromium; .ci/run installs it);
    `nox -s tests -- -m "not browser"` leaves them out.
    """
    install(session, "browser-tests")
    # A missing Chromium fails the browser tests here (a bare pytest skips them). The suite is
    # spread over every core (pytest-xdist; tests/conftest.py's once_per_run shares what is
    # computed once, the built site first); `-n 0` in the arguments runs it in one process.
    session.run("pytest", "-n", "auto", *session.posargs, env={"BROWSER_REQUIRED": "1"})


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
    install(session, "test", torch_release=release)
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
        python, "-m", "pytest", "-p", "no:cacheprovider",
        *DOCTEST_PATHS, *session.posargs, env=env, external=True,
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
    install(session, "docs")
    session.run("python", "conf/make_inventories.py")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    install(session, "lint")
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
    install(session, "test")
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
    install(session, "test")
    session.run("python", "tools/reproducible_build.py", env={"PYTHONPATH": str(ROOT / "conf")})


@nox.session(reuse_venv=True)
def bench(session: nox.Session) -> None:
    """Time the clean build, its floor, the no-op rebuild, the doctests, the page notebooks and
    the whole test suite; print a table.

    `nox -s bench -- --repeat 3` takes the best of three of each measurement; `-- --no-suite`
    leaves out the test suite (the browser tests need Chromium, as `nox -s tests` does).
    """
    install(session, "browser-tests")
    session.run(
        "python", "tools/bench.py", *session.posargs, env={"PYTHONPATH": str(ROOT / "conf")}
    )


@nox.session
def lock(session: nox.Session) -> None:
    """Resolve every install set afresh with uv and write requirements/<set>.txt, with hashes.

    All sets are resolved together first, then each on its own within that resolution, so a
    package has the same version in every set. Resolved for Python 3.11 on Linux x86_64 (the
    oldest Python the site supports); torch and its CUDA runtime wheels are left out (see
    install_torch).
    """
    install_uv(session)
    every_group = sorted({group for groups in INSTALL_SETS.values() for group in groups})
    whole = Path(session.create_tmp()) / "every-set.txt"
    uv_compile(session, every_group, "--output-file", str(whole))
    torch_variant = [
        name
        for name in (line.split("==")[0] for line in locked_lines(whole))
        if name == "torch" or TORCH_VARIANT_RE.match(name)
    ]
    for name, groups in INSTALL_SETS.items():
        lock_file = REQUIREMENTS_DIR / f"{name}.txt"
        uv_compile(
            session,
            groups,
            "--constraint",
            str(whole),
            "--generate-hashes",
            *(f"--no-emit-package={package}" for package in torch_variant),
            "--custom-compile-command",
            "nox -s lock",
            "--output-file",
            str(lock_file),
        )
        session.log(f"{lock_file.relative_to(ROOT)}: {len(locked_lines(lock_file))} packages")


# Packages that only a CUDA build of torch installs (each torch wheel pins its own): left out
# of the locks, so that neither a CPU install nor another torch release is held to them.
TORCH_VARIANT_RE = re.compile(r"^(nvidia-.*|cuda-.*|triton)$")


def uv_compile(session: nox.Session, groups: Sequence[str], *options: str) -> None:
    """``uv pip compile`` of pyproject.toml's ``groups``, for the platform the locks are for."""
    session.run(
        "uv", "pip", "compile", "--quiet", "--upgrade", "--python-version", "3.11",
        "--python-platform", "x86_64-manylinux_2_28", "--index-url", "https://pypi.org/simple",
        *(f"--group=pyproject.toml:{group}" for group in groups), *options,
    )  # fmt: skip
