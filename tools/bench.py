"""How fast the site builds and tests, against what it cannot be faster than.

Run by `nox -s bench` (a benchmark, not a test: it prints figures and fails on nothing but an
error). Every measurement runs in a fresh process on a temporary copy of the sources, so the
working tree's caches neither help nor suffer. With ``--repeat N`` each figure is the best of N.

- clean build: the strict HTML build from a fresh copy, gallery executed.
- floor: what a clean build cannot avoid: the gallery examples executed once, one after another
  in one process, their figures rendered to PNG, plus a clean build with gallery execution off
  (``-D plot_gallery=0``).
- no-op rebuild: the same build again with nothing changed.
- doctests: every page's and README.md's doctests (pytest), against a bare
  ``python -c "import torch"``, which every doctest run pays once.
- page notebooks: every page's notebook run in Jupyter kernels and compared with the page
  (tests/test_notebooks.py), against the doctests of the same pages (``pytest docs``).
- test suite: what `nox -s tests` runs (pytest-xdist, the browser tests included), on a copy
  of every file git would commit, held to two cores, against six minutes; `nox -s tests` adds
  its install step (seconds when its virtualenv is reused). ``--no-suite`` leaves it out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fundamentals_site.build_command import build_site, copy_site

REPO = Path(__file__).resolve().parents[1]
PYTEST = (sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider")
# pytest as `nox -s docs` runs the doctests: its environment has no pytest-playwright, which this
# session installs for the test suite and whose import costs about a quarter of a second.
PYTEST_WITHOUT_BROWSER = (*PYTEST, "-p", "no:playwright")
# `nox -s tests` on two cores: the target for the whole suite.
SUITE_TARGET_SECONDS = 6 * 60
SUITE_CORES = sorted(os.sched_getaffinity(0))[:2]

# Run the gallery's examples as sphinx-gallery does, minus Sphinx: one process, each example
# from its own folder, each figure rendered to PNG in memory (the least a figure on a page
# costs: Agg draws nothing until a figure is saved) and closed between examples.
RUN_EXAMPLES = """
import io, os, runpy, sys
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
paths = sys.argv[1:]  # PYTHONPATH has examples/, as conf.py gives the build: the figure module
for path in paths:
    os.chdir(os.path.dirname(path))
    runpy.run_path(path, run_name="__main__")
    for number in plt.get_fignums():
        plt.figure(number).savefig(io.BytesIO(), format="png")
    plt.close("all")
"""


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def checked(result):
    if result.returncode != 0:
        output = getattr(result, "output", None) or (result.stdout or "") + (result.stderr or "")
        sys.exit(f"bench: a measured command failed:\n{output}")
    return result


def run(
    *command: str, cwd: Path, env: dict[str, str] | None = None, preexec_fn=None
) -> subprocess.CompletedProcess:
    return checked(
        subprocess.run(
            command,
            cwd=cwd,
            env=env,
            preexec_fn=preexec_fn,
            capture_output=True,
            text=True,
            check=False,
        )
    )


class Measurements:
    """Each method times one thing on a fresh copy of the sources under ``work``."""

    def __init__(self, work: Path):
        self.work = work
        self.source = work / "site"

    def fresh_copy(self) -> Path:
        shutil.rmtree(self.source, ignore_errors=True)
        return copy_site(self.source)

    def clean_and_noop_build(self) -> tuple[float, float]:
        self.fresh_copy()
        html = self.work / "html"
        shutil.rmtree(html, ignore_errors=True)
        clean = timed(lambda: checked(build_site(html, root=self.source)))
        noop = timed(lambda: checked(build_site(html, root=self.source)))
        return clean, noop

    def build_without_gallery(self) -> float:
        self.fresh_copy()
        html = self.work / "html-no-gallery"
        shutil.rmtree(html, ignore_errors=True)
        return timed(lambda: checked(build_site(html, "-D", "plot_gallery=0", root=self.source)))

    def examples_once(self) -> float:
        source = self.fresh_copy()
        examples = sorted(str(path) for path in (source / "examples").rglob("plot_*.py"))
        command = (sys.executable, "-c", RUN_EXAMPLES, *examples)
        env = {**os.environ, "PYTHONPATH": str(source / "examples")}
        return timed(lambda: run(*command, cwd=source, env=env))

    def doctests(self) -> float:
        source = self.fresh_copy()
        command = PYTEST_WITHOUT_BROWSER
        return timed(lambda: run(*command, "docs", "README.md", cwd=source))

    def page_doctests(self) -> float:
        source = self.fresh_copy()
        command = PYTEST_WITHOUT_BROWSER
        return timed(lambda: run(*command, "docs", cwd=source))

    def page_notebooks(self) -> float:
        source = self.fresh_copy()
        (source / "tests").mkdir(exist_ok=True)
        for name in ("test_notebooks.py", "helpers.py", "conftest.py"):
            shutil.copy2(REPO / "tests" / name, source / "tests")
        command = PYTEST_WITHOUT_BROWSER
        test = "tests/test_notebooks.py::test_page_notebook_runs_and_shows_what_the_page_shows"
        return timed(lambda: run(*command, test, cwd=source))

    def test_suite(self) -> float:
        suite = self.work / "suite"
        shutil.rmtree(suite, ignore_errors=True)
        listed = run(
            "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO
        ).stdout
        for name in filter(None, listed.split("\0")):
            if (REPO / name).is_file():
                (suite / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, suite / name)
        # As `nox -s tests` runs it: a missing Chromium fails the run instead of skipping the
        # browser tests, which would make the suite look faster than it is.
        env = {**os.environ, "BROWSER_REQUIRED": "1"}
        # The target is for two cores: on a larger machine the suite, Chromium included, is
        # held to two of them (the processes inherit the affinity), one pytest-xdist worker each.
        command = (*PYTEST, "-n", str(len(SUITE_CORES)))
        return timed(
            lambda: run(
                *command,
                cwd=suite,
                env=env,
                preexec_fn=lambda: os.sched_setaffinity(0, SUITE_CORES),
            )
        )

    def bare_torch_import(self) -> float:
        return timed(lambda: run(sys.executable, "-c", "import torch", cwd=self.work))


def best_of(repeat: int, measure: Callable[[], float | tuple[float, ...]]):
    results = [measure() for _ in range(repeat)]
    if isinstance(results[0], tuple):
        return tuple(min(column) for column in zip(*results, strict=True))
    return min(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    parser.add_argument(
        "--no-suite", action="store_true", help="leave out the whole test suite (minutes)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        measurements = Measurements(Path(tmp))
        bare = best_of(args.repeat, measurements.bare_torch_import)  # also warms the file cache
        clean, noop = best_of(args.repeat, measurements.clean_and_noop_build)
        examples = best_of(args.repeat, measurements.examples_once)
        no_gallery = best_of(args.repeat, measurements.build_without_gallery)
        doctests = best_of(args.repeat, measurements.doctests)
        page_doctests = best_of(args.repeat, measurements.page_doctests)
        notebooks = best_of(args.repeat, measurements.page_notebooks)
        suite = None if args.no_suite else best_of(args.repeat, measurements.test_suite)

    floor = examples + no_gallery
    rows = [
        ("clean build", clean, "", ""),
        ("  examples once, figures rendered", examples, "", ""),
        ("  build, gallery execution off", no_gallery, "", ""),
        ("floor (sum of the two above)", floor, "", ""),
        ("clean build / floor", None, clean / floor, 1.3),
        ("no-op rebuild", noop, "", ""),
        ("no-op rebuild / clean build", None, noop / clean, 0.2),
        ("doctests (pages + README.md)", doctests, "", ""),
        ('python -c "import torch"', bare, "", ""),
        ("doctests / bare torch import", None, doctests / bare, 3.0),
        ("page doctests (docs/)", page_doctests, "", ""),
        ("page notebooks in Jupyter kernels", notebooks, "", ""),
        ("page notebooks / page doctests", None, notebooks / page_doctests, 2.0),
    ]
    if suite is not None:
        rows += [
            (f"test suite, on {len(SUITE_CORES)} cores", suite, "", ""),
            ("test suite / six minutes", None, suite / SUITE_TARGET_SECONDS, 1.0),
        ]
    print(f"\nbest of {args.repeat} run(s) each; python {sys.version.split()[0]}\n")
    print(f"| {'measurement':<34} | {'seconds':>7} | {'ratio':>5} | {'target':>6} | met |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 7}|{'-' * 8}|-----|")
    for name, seconds, ratio, target in rows:
        shown_seconds = f"{seconds:7.2f}" if seconds is not None else " " * 7
        if target:
            met = "yes" if ratio <= target else "NO"
            print(f"| {name:<34} | {shown_seconds} | {ratio:5.2f} | <={target:<4} | {met:<3} |")
        else:
            print(f"| {name:<34} | {shown_seconds} | {'':5} | {'':6} |     |")


if __name__ == "__main__":
    main()
