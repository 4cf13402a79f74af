"""A one-digit change to any number a page shows makes that page fail.

The pages' doctests compare outputs exactly (pyproject.toml's ``doctest_optionflags`` has no
``NUMBER``). This is the proof: the doctests of every page and README.md run once in a fresh
process that records every comparison doctest makes (``DOCS_RECORD_COMPARISONS``, conftest.py):
the expected text, the text torch printed, the flags. Then every digit of every expected output
is changed, one at a time, to each of the other nine digits, and each changed text is compared
with what really ran, by the same checker class and flags doctest used. Every one must be
rejected: a change that still passes is a shown number the page does not really check (an
``...`` that swallows it, say).

Because each comparison is exactly the one doctest makes for that example, a rejected change is
a failing page. ``test_a_changed_digit_fails_the_page_end_to_end`` shows as much for a seeded
sample of real pages: the changed page, run by pytest, fails and names the page and line.
"""

from __future__ import annotations

import doctest
import json
import os
import random
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from fundamentals_site.build_command import ROOT, copy_site
from helpers import run_pytest

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
DIGIT = re.compile(r"\d")


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory, once_per_run) -> dict[str, list[dict]]:
    """Every comparison the doctests of the pages and README.md made, by page."""
    return once_per_run("comparisons", lambda: record_comparisons(tmp_path_factory))


def record_comparisons(tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("comparisons")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["DOCS_RECORD_COMPARISONS"] = str(out / "comparisons.json")
    env["DOCS_VERIFICATION_RECORD"] = str(out / "verification.json")  # leave the site's alone
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "docs", "README.md"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"the pages' doctests fail already:\n{result.stdout}"
    by_page = defaultdict(list)
    for comparison in json.loads((out / "comparisons.json").read_text(encoding="utf-8")):
        by_page[comparison["test"].split("::")[0]].append(comparison)
    return dict(by_page)


def one_digit_changes(text: str):
    """``text`` with one digit replaced by another, for every digit and every other digit."""
    for match in DIGIT.finditer(text):
        for digit in "0123456789":
            if digit != match.group():
                yield text[: match.start()] + digit + text[match.end() :]


def shown_numbers(page: Path) -> int:
    """How many digits the page's doctest blocks show as output."""
    test = doctest.DocTestParser().get_doctest(
        page.read_text(encoding="utf-8"), {}, page.name, str(page), 0
    )
    return sum(
        len(DIGIT.findall(example.want + (example.exc_msg or ""))) for example in test.examples
    )


def test_every_page_with_numbers_was_compared(comparisons):
    """The record covers every page that shows a number (no page escaped the run)."""
    pages = [page for page in PAGES if shown_numbers(page)]
    assert pages, "no page shows a number: the mutation test below would test nothing"
    missing = [page.name for page in pages if f"docs/{page.name}" not in comparisons]
    assert not missing, f"no comparisons recorded for {missing}"


@pytest.mark.parametrize("page", [*(f"docs/{page.name}" for page in PAGES), "README.md"])
def test_every_one_digit_change_fails(comparisons, page):
    """Every digit of every output the page shows, changed to any other digit, is rejected by
    the comparison doctest made for it."""
    checker = doctest.OutputChecker()
    passed_anyway = []
    changes = 0
    for comparison in comparisons.get(page, []):
        for changed in one_digit_changes(comparison["want"]):
            changes += 1
            if checker.check_output(changed, comparison["got"], comparison["optionflags"]):
                passed_anyway.append(changed)
    if not changes:
        pytest.skip(f"{page} shows no number")
    assert not passed_anyway, (
        f"{page}: {len(passed_anyway)} of {changes} one-digit changes still pass, e.g. "
        f"{passed_anyway[0]!r}"
    )


# A seeded sample, so a failure can be replayed; a new seed each day would find more, but a
# test that changes from run to run is not one a contributor can trust.
SAMPLE_SEED = 11
SAMPLE_PAGES = 2


def seeded_page_changes() -> list[tuple[str, int, str]]:
    """(page, line, new text) for one changed digit in each of SAMPLE_PAGES pages."""
    rng = random.Random(SAMPLE_SEED)
    candidates = [page for page in PAGES if shown_numbers(page)]
    picked = []
    for page in rng.sample(candidates, SAMPLE_PAGES):
        text = page.read_text(encoding="utf-8")
        test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
        example = rng.choice([ex for ex in test.examples if DIGIT.search(ex.want)])
        lines = text.splitlines(keepends=True)
        want_start = example.lineno + example.source.count("\n")  # 0-based first output line
        offset = rng.choice(
            [i for i, line in enumerate(example.want.splitlines()) if DIGIT.search(line)]
        )
        line_index = want_start + offset
        match = rng.choice(list(DIGIT.finditer(lines[line_index])))
        new_digit = str((int(match.group()) + 1) % 10)
        lines[line_index] = (
            lines[line_index][: match.start()] + new_digit + lines[line_index][match.end() :]
        )
        picked.append((page.name, example.lineno + 1, "".join(lines)))
    return picked


@pytest.mark.parametrize(
    ("page", "line", "changed"), seeded_page_changes(), ids=lambda value: str(value)[:24]
)
def test_a_changed_digit_fails_the_page_end_to_end(tmp_path, page, line, changed):
    site = copy_site(tmp_path / "site", examples=False)
    (site / "docs" / page).write_text(changed, encoding="utf-8")
    run = run_pytest(site, f"docs/{page}")
    assert run.returncode == 1, run.output
    assert f"docs/{page}:{line}" in run.output or f"{page}:{line}" in run.output, run.output
