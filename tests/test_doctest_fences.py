"""conf/fundamentals_site/doctest_fences.py: a malformed block is an error that says where it is.

The build runs every check through Sphinx's own test application (tests/conftest.py:
``build_small_project``); tests/test_faults.py checks the same on copies of the whole site.
"""

from __future__ import annotations

import pytest
from fundamentals_site.doctest_fences import MalformedBlock, check_fence, iter_fences

PAGE = "# A page\n\nText.\n\n```pycon\n>>> x = 1\n>>>x + 1\n2\n```\n"


def test_malformed_block_carries_its_path_and_line():
    fences = iter_fences(PAGE, "docs/page.md")
    with pytest.raises(MalformedBlock) as raised:
        for fence in fences:
            check_fence(fence, "docs/page.md")
    assert (raised.value.path, raised.value.line) == ("docs/page.md", 7)
    assert raised.value.message.startswith("no space after the '>>>' prompt")
    assert str(raised.value) == f"docs/page.md:7: {raised.value.message}"


def test_unclosed_fence_is_reported_where_it_opens():
    with pytest.raises(MalformedBlock) as raised:
        list(iter_fences("text\n```pycon\n>>> 1\n1\n", "page.md"))
    assert raised.value.line == 2


def test_the_build_warns_at_the_blocks_line(build_small_project):
    build = build_small_project(
        {"page.md": PAGE}, ["myst_parser", "fundamentals_site.doctest_fences"], root_doc="page"
    )
    (warning,) = build.warnings.splitlines()
    assert "page.md:7: WARNING: no space after the '>>>' prompt" in warning
