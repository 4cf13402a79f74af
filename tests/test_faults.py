"""Every way of breaking the site is caught, by the command meant to catch it, with the place.

Each test copies the site's sources into a temporary directory, injects one fault, runs the
command that should catch it in a fresh process, and checks that the command fails and that
its message names the file (and the line, where the fault has one). Pages are broken by
appending to docs/index.md (every site has it, and it is in the build), so the fault's line is
known. Builds that do not need the gallery run with ``plot_gallery=0``: seconds, not minutes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fundamentals_site.build_command import build_site
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


def assert_names(output: str, path: Path, line: int | None = None) -> None:
    where = f"{path}:{line}" if line is not None else str(path)
    # pytest names a page relative to its rootdir, Sphinx by its absolute path.
    relative = f"{path.parent.name}/{path.name}" + (f":{line}" if line is not None else "")
    assert where in output or relative in output, f"expected {where!r} in:\n{output}"


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


def run_doctests_with_block(site_copy: Path, block: str, offset: int) -> tuple[Run, Path, int]:
    """Append ``block`` to the copy's docs/index.md and run that page's doctests; return the
    run, the page and the line the fault is expected to be reported at."""
    page = site_copy / "docs" / "index.md"
    start = append_block(page, block)
    return run_pytest(site_copy, "docs/index.md"), page, start + offset


@pytest.mark.parametrize("fault", DOCTEST_FAULTS)
def test_fault_in_a_page_fails_the_doctests(site_copy, fault):
    block, offset, report = DOCTEST_FAULTS[fault]
    run, page, line = run_doctests_with_block(site_copy, block, offset)
    assert run.returncode == 1, run.output
    assert report in run.output
    assert_names(run.output, page, line)


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


@pytest.mark.parametrize("fault", MALFORMED_BLOCKS)
def test_malformed_block_fails_the_doctests(site_copy, fault):
    block, offset, message = MALFORMED_BLOCKS[fault]
    run, page, line = run_doctests_with_block(site_copy, block, offset)
    assert run.returncode != 0, run.output
    assert message in run.output
    assert_names(run.output, page, line)


@pytest.mark.parametrize("fault", MALFORMED_BLOCKS)
def test_malformed_block_fails_the_build(site_copy, tmp_path, fault):
    block, offset, message = MALFORMED_BLOCKS[fault]
    page = site_copy / "docs" / "index.md"
    start = append_block(page, block)
    build = build_site(tmp_path / "html", *NO_GALLERY, root=site_copy)
    assert build.returncode != 0, build.output
    assert message in build.output
    assert_names(build.output, page, start + offset)


# -- Faults in the site's structure, caught by the build -------------------------------------


def test_broken_cross_reference_fails_the_build(site_copy, tmp_path):
    page = site_copy / "docs" / "index.md"
    start = append_block(
        page, "See {ref}`no-such-section` and {py:func}`torch.no_such_function`.\n"
    )
    build = build_site(tmp_path / "html", *NO_GALLERY, root=site_copy)
    assert build.returncode != 0, build.output
    assert "undefined label: 'no-such-section'" in build.output
    assert "torch.no_such_function" in build.output
    assert_names(build.output, page, start)


def test_page_in_no_toctree_fails_the_build(site_copy, tmp_path):
    page = site_copy / "docs" / "stray.md"
    page.write_text("# A page no toctree lists\n\nNothing links here.\n", encoding="utf-8")
    build = build_site(tmp_path / "html", *NO_GALLERY, root=site_copy)
    assert build.returncode != 0, build.output
    assert "document isn't included in any toctree" in build.output
    # Sphinx names the page; the fault (a missing toctree entry) has no line of its own.
    assert_names(build.output, page)


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
