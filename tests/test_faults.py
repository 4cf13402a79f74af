"""Every way of breaking the site is caught, by the command meant to catch it, with the place.

The tests copy the site's sources into a temporary directory, inject faults, run the command
that should catch them in a fresh process, and check that the command fails and that it
reports each fault at its file (and line, where the fault has one). Faults of one kind share a
copy and a run: each fault is on a page of its own, and its report must name that page and
line, so one run proves each fault is caught on its own (a build costs about ten seconds; one
build per fault cost a minute and a half). Builds that do not need the gallery run with
``plot_gallery=0``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from fundamentals_site.build_command import SiteBuild, build_site, copy_site
from helpers import Run, run_pytest

# Build without executing the gallery: the faults below are in pages and the toctree.
NO_GALLERY = ("-D", "plot_gallery=0")


def append_block(page: Path, text: str) -> int:
    """Append ``text`` to ``page``; return the 1-based line number of its first line."""
    original = page.read_text(encoding="utf-8")
    if not original.endswith("\n"):
        original += "\n"
    original += "\n"
    page.write_text(original + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return original.count("\n") + 1


@dataclass(frozen=True)
class FaultPage:
    path: Path
    line: int  # the 1-based line of the fault's first line

    def where(self, offset: int = 0) -> str:
        return f"{self.path.parent.name}/{self.path.name}:{self.line + offset}"


def write_fault_pages(root: Path, faults: dict[str, str], prefix: str) -> dict[str, FaultPage]:
    """One page per fault under ``root``/docs, listed in index.md's toctree, each holding the
    fault's text after a title and a sentence; returns where each fault starts."""
    docs = root / "docs"
    pages = {}
    for number, (fault, text) in enumerate(faults.items()):
        path = docs / f"{prefix}-{number}.md"
        path.write_text(f"# Fault: {fault}\n\nBroken on purpose.\n\n{text}", encoding="utf-8")
        pages[fault] = FaultPage(path, 5)
    listed = "\n".join(path.path.stem for path in pages.values())
    append_block(docs / "index.md", f"```{{toctree}}\n:hidden:\n\n{listed}\n```\n")
    return pages


def build_report_line(output: str, where: str, words: str) -> str:
    """The line of a build's output that reports ``words`` at ``where`` (``dir/page.md:line``;
    Sphinx writes the absolute path)."""
    for line in output.splitlines():
        if where in line and words in line:
            return line
    raise AssertionError(f"no line reports {words!r} at {where!r} in:\n{output}")


def pytest_report_of(output: str, page: Path) -> str:
    """The section of a pytest run's output that reports ``page`` failing (a failed doctest or
    an error collecting it)."""
    sections = re.split(r"^_{3,} (.+?) _{3,}$", output, flags=re.M)
    for title, body in zip(sections[1::2], sections[2::2], strict=True):
        if title.endswith((f" {page.name}", f"/{page.name}")):
            return body
    raise AssertionError(f"pytest reports no failure of {page.name}:\n{output}")


# -- Faults in a page, caught by the doctests ----------------------------------------------------


DEPRECATED_CALL = """\
```pycon
>>> import warnings
>>> def old_api():
...     warnings.warn("old_api() is deprecated; use new_api()", DeprecationWarning)
...     return 1
...
>>> old_api()
1
```
"""
DOCTEST_FAULTS = {
    # (block, offset of the reported line from the block's first line, words of the report)
    "wrong expected output": ("```pycon\n>>> 1 + 1\n3\n```\n", 1, "Expected:\n    3\nGot:\n    2"),
    "exception": (
        "```pycon\n>>> x = 1\n>>> x / 0\n1.0\n```\n",
        2,
        "UNEXPECTED EXCEPTION: ZeroDivisionError",
    ),
    "deprecation warning": (DEPRECATED_CALL, 6, "DeprecationWarning: old_api() is deprecated"),
}


# -- Malformed blocks, caught by the doctests and by the build -------------------------------

MALFORMED_BLOCKS = {
    # (block, offset of the reported line from the block's first line, words of the message)
    "python fence": ("```python\nx = 1\n```\n", 0, "code fence 'python'"),
    "blank line before the fence": (
        "```pycon\n>>> 1 + 1\n2\n\n```\n",
        0,
        "blank line before the closing fence",
    ),
    "no space after >>>": ("```pycon\n>>> x = 1\n>>>x + 1\n2\n```\n", 2, "no space after"),
    "no space after ...": (
        "```pycon\n>>> def f():\n...return 1\n```\n",
        2,
        "no space after the '...' prompt",
    ),
    "statement not closed for the REPL": (
        "```pycon\n>>> for i in range(2):\n...     pass\n>>> 1 + 1\n2\n```\n",
        2,
        "with a bare '...' line",
    ),
    "blank line inside a statement": (
        "```pycon\n>>> def f():\n...     x = 1\n...\n...     return x\n```\n",
        3,
        "a bare '...' inside the statement",
    ),
}


# Every page fault the doctests must catch: (block, offset of the reported line from the
# block's first line, words of the report).
DOCTEST_CAUGHT = {**DOCTEST_FAULTS, **MALFORMED_BLOCKS}


@pytest.fixture(scope="module")
def doctest_run(tmp_path_factory, once_per_run) -> tuple[Run, dict[str, FaultPage]]:
    """One pytest run over a copy of the site with a page for each fault of DOCTEST_CAUGHT."""

    def run_them() -> tuple[Run, dict[str, FaultPage]]:
        root = copy_site(tmp_path_factory.mktemp("doctest-faults") / "site")
        blocks = {fault: block for fault, (block, _, _) in DOCTEST_CAUGHT.items()}
        pages = write_fault_pages(root, blocks, "doctest-fault")
        # A malformed block fails its page's collection; the other pages must still run.
        run = run_pytest(
            root,
            "--continue-on-collection-errors",
            *(f"docs/{page.path.name}" for page in pages.values()),
        )
        return run, pages

    return once_per_run("doctest-faults", run_them)


@pytest.mark.parametrize("fault", DOCTEST_CAUGHT)
def test_fault_in_a_page_fails_the_doctests_at_its_line(doctest_run, fault):
    run, pages = doctest_run
    _, offset, report = DOCTEST_CAUGHT[fault]
    assert run.returncode != 0, run.output
    section = pytest_report_of(run.output, pages[fault].path)
    assert report in section, section
    assert pages[fault].where(offset) in section, section


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory, once_per_run) -> tuple[SiteBuild, dict[str, FaultPage]]:
    """One build of a copy of the site with a page for each malformed block, a broken
    reference at the end of index.md and a page that no toctree lists."""

    def build_it() -> tuple[SiteBuild, dict[str, FaultPage]]:
        root = copy_site(tmp_path_factory.mktemp("build-faults") / "site")
        blocks = {fault: block for fault, (block, _, _) in MALFORMED_BLOCKS.items()}
        pages = write_fault_pages(root, blocks, "malformed")
        index = root / "docs" / "index.md"
        reference = "See {ref}`no-such-section` and {py:func}`torch.no_such_function`.\n"
        pages["broken reference"] = FaultPage(index, append_block(index, reference))
        stray = root / "docs" / "stray.md"
        stray.write_text("# A page no toctree lists\n\nNothing links here.\n", encoding="utf-8")
        pages["stray page"] = FaultPage(stray, 0)
        return build_site(root.parent / "html", *NO_GALLERY, root=root), pages

    return once_per_run("build-faults", build_it)


@pytest.mark.parametrize("fault", MALFORMED_BLOCKS)
def test_malformed_block_fails_the_build_at_its_line(faulty_build, fault):
    build, pages = faulty_build
    _, offset, message = MALFORMED_BLOCKS[fault]
    assert build.returncode != 0, build.output
    build_report_line(build.output, pages[fault].where(offset), message)


# -- Faults in the site's structure, caught by the build -------------------------------------


def test_broken_cross_reference_fails_the_build(faulty_build):
    build, pages = faulty_build
    assert build.returncode != 0, build.output
    where = pages["broken reference"].where()
    build_report_line(build.output, where, "undefined label: 'no-such-section'")
    build_report_line(build.output, where, "torch.no_such_function")


def test_page_in_no_toctree_fails_the_build(faulty_build):
    build, pages = faulty_build
    assert build.returncode != 0, build.output
    # Sphinx names the page; the fault (a missing toctree entry) has no line of its own.
    stray = pages["stray page"].path
    where = f"{stray.parent.name}/{stray.name}"
    build_report_line(build.output, where, "document isn't included in any toctree")


def test_gallery_example_that_raises_fails_the_build(bare_site_copy, tmp_path):
    topic = bare_site_copy / "examples" / "faulty"
    topic.mkdir()
    (topic / "GALLERY_HEADER.rst").write_text("Faulty examples\n---------------\n")
    example = topic / "plot_raises.py"
    example.write_text(
        textwrap.dedent(
            '''\
            """
            An example that raises
            ======================

            Its second cell divides by zero.
            """

            # %%
            numerator = 1

            # %%
            ratio = numerator / 0
            '''
        ),
        encoding="utf-8",
    )
    build = build_site(tmp_path / "html", root=bare_site_copy)
    assert build.returncode != 0, build.output
    assert "ZeroDivisionError" in build.output
    assert f'File "{example}", line 12' in build.output, build.output
