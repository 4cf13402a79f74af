"""Fixtures for the tests of the site itself."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from fundamentals_site.build_command import ROOT, SiteBuild, build_site, copy_site
from helpers import Reader


@pytest.fixture(scope="session")
def once_per_run(tmp_path_factory):
    """``once_per_run(name, compute)``: ``compute()``, run once in the whole test run, its
    result shared with every pytest-xdist worker.

    `nox -s tests` spreads the tests over several worker processes, and a test that needs a
    costly result (the built site, every notebook executed) may land on any of them. The first
    worker to ask computes it under a file lock in the run's shared temporary folder and
    pickles it there; the others wait for the lock and unpickle it (pytest-xdist's documented
    recipe; the pickle is this run's own, written and read by the same code). Without xdist the
    result is computed in the process.
    """
    computed = {}

    def shared(name: str, compute):
        shared_dir = tmp_path_factory.getbasetemp().parent  # one folder for every worker
        result = shared_dir / f"{name}.pickle"
        with FileLock(shared_dir / f"{name}.lock"):
            if not result.is_file():
                result.write_bytes(pickle.dumps(compute()))
        return pickle.loads(result.read_bytes())

    def run(name: str, compute):
        if name not in computed:
            in_xdist = os.environ.get("PYTEST_XDIST_WORKER")
            computed[name] = shared(name, compute) if in_xdist else compute()
        return computed[name]

    return run


@pytest.fixture(scope="session")
def site(tmp_path_factory, once_per_run) -> SiteBuild:
    """The site, built once per test run into a temporary directory.

    SITE_HTML=<dir> reuses a site already built there (by `nox -s docs`, say) instead.
    """
    prebuilt = os.environ.get("SITE_HTML")
    if prebuilt:
        return SiteBuild(Path(prebuilt), 0, "")
    return once_per_run("site", lambda: build_site(tmp_path_factory.mktemp("site") / "html"))


def pytest_collection_modifyitems(items):
    """Tests that need the built site run after those that do not, in collection order
    otherwise: under pytest-xdist the other workers go on with those while one worker builds
    the site (about half a minute), instead of waiting for it."""
    items.sort(key=lambda item: "site" in getattr(item, "fixturenames", ()))


# -- Small Sphinx projects: one extension at a time, through Sphinx's own test application ------


@dataclass(frozen=True)
class SmallBuild:
    html_dir: Path
    warnings: str

    def page(self, name: str) -> BeautifulSoup:
        """The built page ``name`` (without suffix), parsed."""
        html = (self.html_dir / f"{name}.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser")


@pytest.fixture
def build_small_project(tmp_path):
    """Build a project of the given source files and extensions with ``sphinx.testing``.

    Returns a function: ``build(files, extensions, **config)`` writes ``files`` (name -> text)
    into ``<tmp>/docs``, builds it as HTML and returns the HTML folder and the warnings. Called
    again, it rebuilds the same project incrementally, as ``sphinx-build`` would.
    """
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path / "docs"
    apps = []

    def build(files: dict[str, str], extensions: list[str], **config) -> SmallBuild:
        srcdir.mkdir(exist_ok=True)
        (srcdir / "conf.py").write_text(f"extensions = {extensions!r}\n", encoding="utf-8")
        for name, text in files.items():
            (srcdir / name).write_text(text, encoding="utf-8")
        app = SphinxTestApp("html", srcdir=srcdir, confoverrides=config)
        apps.append(app)
        app.build()
        return SmallBuild(Path(app.outdir), app.warning.getvalue())

    yield build
    for app in apps:
        app.cleanup()


# -- Fresh Pythons, without paying for `import torch` each time ---------------------------------

# A Python that has imported torch, and nothing of this project, forks a child per request: the
# child is a process of its own with fresh globals, which runs ``code`` with the request's
# standard input, output and error files, in its folder. It saves each fresh Python the seconds
# that importing torch takes on two cores, where code run in it imports torch first anyway.
FORK_SERVER = """
import json, os, sys, traceback
import torch
for request in sys.stdin:
    job = json.loads(request)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.chdir(job["cwd"])
            sys.stdin = open(job["stdin"], encoding="utf-8")
            sys.stdout = open(job["stdout"], "w", encoding="utf-8")
            sys.stderr = open(job["stderr"], "w", encoding="utf-8")
            exec(compile(job["code"], "<fresh python>", "exec"), {"__name__": "__main__"})
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


@pytest.fixture(scope="session")
def fresh_python_with_torch():
    """``run(code, stdin, cwd)``: run ``code`` in a fresh Python process in which torch is
    already imported (FORK_SERVER); returns (exit code, standard output, standard error)."""
    server = None

    def run(code: str, stdin: str, cwd: Path) -> tuple[int, str, str]:
        nonlocal server
        if server is None:
            server = subprocess.Popen(
                [sys.executable, "-I", "-c", FORK_SERVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        files = {name: cwd / f".fresh-python-{name}" for name in ("stdin", "stdout", "stderr")}
        files["stdin"].write_text(stdin, encoding="utf-8")
        request = {name: str(path) for name, path in files.items()}
        server.stdin.write(json.dumps({**request, "code": code, "cwd": str(cwd)}) + "\n")
        server.stdin.flush()
        returncode = int(server.stdout.readline())
        output = [files[name].read_text(encoding="utf-8") for name in ("stdout", "stderr")]
        for path in files.values():
            path.unlink()
        return returncode, *output

    yield run
    if server is not None:
        server.communicate(timeout=60)  # closes its input: the server ends


# -- Browser: the built site as a reader opens it ----------------------------------------------
# Debian's Chromium, never a browser download; Playwright only drives it.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Set by `nox -s tests`: there a missing Chromium fails the browser tests instead of skipping them.
BROWSER_REQUIRED_ENV = "BROWSER_REQUIRED"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Hosted sites live under a sub-path (GitHub Pages: /<repo>/, Read the Docs: /en/latest/), so
# the browser tests serve the site there: a link that climbs out of it fails as a 404.
SUB_PATH = "/project/"
# Screenshots of failing pages and the page-weight table; gitignored.
RESULTS_DIR = ROOT / "test-results"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def built_html(site) -> Path:
    """The built site's HTML directory; fails (does not skip) when the build failed."""
    assert site.returncode == 0, f"the site did not build:\n{site.output}"
    return site.html_dir.resolve()


@pytest.fixture(scope="session")
def parsed_pages(built_html) -> dict[Path, BeautifulSoup]:
    """Every HTML file of the built site, by its path under the site, parsed once per process
    (parsing them all takes seconds; the tests only read them)."""
    return {
        path.relative_to(built_html): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(built_html.rglob("*.html"))
    }


@contextlib.contextmanager
def served(directory: Path):
    """``directory`` served on loopback while the block runs; yields its address, ending in /."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_html, tmp_path_factory) -> str:
    """The site served on loopback under SUB_PATH, as a hosting service would serve it."""
    served_root = tmp_path_factory.mktemp("served")
    (served_root / SUB_PATH.strip("/")).symlink_to(built_html, target_is_directory=True)
    with served(served_root) as root_url:
        yield root_url + SUB_PATH.lstrip("/")


@pytest.fixture
def served_pages(tmp_path):
    """``served_pages({name: html})``: the pages written to a folder and served on loopback;
    returns the folder's address. For tests of the browser tests' own machinery."""
    with contextlib.ExitStack() as stack:

        def serve(pages: dict[str, str]) -> str:
            for name, text in pages.items():
                (tmp_path / name).write_text(text, encoding="utf-8")
            return stack.enter_context(served(tmp_path))

        yield serve


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's ``browser`` fixture, launched on Debian's Chromium (never a browser
    download) with the flags a closed network needs.

    Without Chromium the browser tests skip with a one-line reason, unless BROWSER_REQUIRED is
    set (`nox -s tests` sets it): there a missing browser fails them.
    """
    if not CHROMIUM.exists():
        message = (
            f"browser tests: {CHROMIUM} not found (apt-get install -y chromium, as .ci/run does, "
            "or set CHROMIUM=<path>)"
        )
        if os.environ.get(BROWSER_REQUIRED_ENV):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def reader_for(browser):
    """``reader_for(key, is_on_site, **context_options)``: the Reader kept under ``key`` for
    the whole run (per pytest-xdist worker), made on first use. A new context and tab per page
    cost about 0.4 CPU-seconds more than showing the page in a tab that is already open, and
    the browser tests load pages about 160 times."""
    readers: dict[str, Reader] = {}

    def reader_for(key: str, is_on_site, **context_options) -> Reader:
        if key not in readers:
            readers[key] = Reader(browser, is_on_site, **context_options)
        return readers[key]

    yield reader_for
    for reader in readers.values():
        reader.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where a browser test saves the screenshot of a page it fails."""
    directory = RESULTS_DIR / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


# The property under which a browser test reports a page's weight. Reports reach the process that
# prints the summary (the pytest-xdist controller, or the only process) with their properties.
PAGE_WEIGHT_PROPERTY = "page_weight"


@pytest.fixture
def record_page_weight(record_property):
    """``record_page_weight(page, bytes)``: a page's first-load weight, for the end summary."""
    return lambda page, size: record_property(PAGE_WEIGHT_PROPERTY, (page, size))


# Bytes each page loads on a first visit, collected from the browser tests' reports.
_page_weights: dict[str, int] = {}


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == PAGE_WEIGHT_PROPERTY:
            page, size = value
            _page_weights[page] = size


def pytest_terminal_summary(terminalreporter, config):
    weights = _page_weights
    if not weights:
        return
    lines = [f"{'KB':>7}  page (with its assets, first load)"]
    lines += [
        f"{size / 1024:7.1f}  {page}"
        for page, size in sorted(weights.items(), key=lambda item: -item[1])
    ]
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "page-weights.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    terminalreporter.write_sep("-", "page weights (also in test-results/page-weights.txt)")
    for line in lines:
        terminalreporter.write_line(line)


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A fresh copy of the site's sources (pages, examples, configuration) to break on purpose."""
    return copy_site(tmp_path / "site")


@pytest.fixture
def bare_site_copy(tmp_path) -> Path:
    """A copy of the site without its gallery examples: a test adds the one it needs."""
    return copy_site(tmp_path / "site", examples=False)
