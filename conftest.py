"""Doctest set-up for the Markdown pages and README.md, shared by every test run.

Option flags and warning filters live in pyproject.toml; this file holds what configuration cannot:
the Markdown-aware doctest parser, the seed, the device the pages run on (``DOCS_DEVICE``, read in
conf/fundamentals_site/docs_device.py), the doctest namespace, and the record of which page passed
with which torch on which device (read by the site's "Verified with" stamp).
"""

from __future__ import annotations

import doctest
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent

from fundamentals_site import docs_device
from fundamentals_site.doctest_fences import MarkdownDocTestParser
from fundamentals_site.seeding import seed_everything
from fundamentals_site.verified_with import record_doctest_results


class PageDocTestParser(MarkdownDocTestParser):
    """The pages' parser: only the pycon fences of a Markdown file (MarkdownDocTestParser), and
    on a CUDA run an example marked ``# doctest: +ON_CPU`` runs with the CPU as torch's default
    device (docs_device.ON_CPU says why)."""

    def get_examples(self, string, name="<string>"):
        examples = super().get_examples(string, name)
        if docs_device.requested() == "cuda":
            for example in examples:
                if example.options.get(docs_device.ON_CPU):
                    example.source = docs_device.run_on_cpu(example.source)
        return examples


# Both replacements go through the standard library's public names, as huggingface/transformers
# does for its Markdown doctests: pytest's text-file collector builds its parser from
# doctest.DocTestParser at collection time, and builds its output checker (the class that adds
# ALLOW_UNICODE/ALLOW_BYTES) as a subclass of doctest.OutputChecker the first time it needs one,
# after pytest_configure. tests/test_faults.py fails if the parser is not in effect (a malformed
# block would pass), tests/test_exact_outputs.py if the recording checker is not (it records
# nothing).
doctest.DocTestParser = PageDocTestParser


# DOCS_RECORD_COMPARISONS=<file>: write every comparison doctest makes (the expected text, what
# ran, the flags, the test it came from) to that JSON file. tests/test_exact_outputs.py reads it
# to prove that a one-digit change to any shown output fails its page.
RECORD_COMPARISONS_ENV = "DOCS_RECORD_COMPARISONS"


def recording_checker(base: type[doctest.OutputChecker], into: list) -> type:
    """``base`` that also appends each comparison it makes to ``into``."""

    class RecordingOutputChecker(base):
        def check_output(self, want, got, optionflags):
            into.append(
                {
                    "test": os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0],
                    "want": want,
                    "got": got,
                    "optionflags": optionflags,
                }
            )
            return super().check_output(want, got, optionflags)

    return RecordingOutputChecker


_comparisons: list[dict] = []


ACTIVE_DEVICE = pytest.StashKey[object]()  # a torch.device, once asked for


def active_device(config):
    """The device the pages run on, made torch's default the first time a test asks for it.

    On the CPU that is when the first page (or a test that uses the doctest namespace) runs, so
    that a run of tests that never touch torch (the notebook test, say) does not import it.
    """
    if ACTIVE_DEVICE not in config.stash:
        config.stash[ACTIVE_DEVICE] = docs_device.activate()
    return config.stash[ACTIVE_DEVICE]


def pytest_configure(config):
    """On a CUDA run, put torch on the GPU for the whole run at once (a CUDA request without a
    GPU fails before anything runs) and compare outputs with the CUDA checker."""
    if docs_device.requested() == "cuda":
        try:
            active_device(config)
        except RuntimeError as error:
            raise pytest.UsageError(str(error)) from None
        doctest.OutputChecker = docs_device.CudaReprOutputChecker
    if os.environ.get(RECORD_COMPARISONS_ENV):
        if hasattr(config, "workerinput"):
            raise pytest.UsageError(
                f"{RECORD_COMPARISONS_ENV} records the comparisons of one process: "
                "run it without pytest-xdist's -n"
            )
        doctest.OutputChecker = recording_checker(doctest.OutputChecker, _comparisons)


# Each Markdown page's outcome in this run: set-up, call and teardown (where the CUDA check
# runs); a failure in any of them fails the page.
_page_outcomes: dict[Path, str] = {}


def pytest_runtest_logreport(report):
    page = ROOT / report.nodeid.split("::")[0]
    if page.suffix != ".md":
        return
    if report.failed:
        _page_outcomes[page] = "failed"
    elif report.when == "call" and report.passed:
        _page_outcomes.setdefault(page, "passed")


def pytest_sessionfinish(session):
    """Write the pages' outcomes into the record the site's stamp reads (if any page ran), and
    the comparisons made, when DOCS_RECORD_COMPARISONS asks for them."""
    if os.environ.get(RECORD_COMPARISONS_ENV):
        Path(os.environ[RECORD_COMPARISONS_ENV]).write_text(
            json.dumps(_comparisons, indent=1), encoding="utf-8"
        )
    # Under pytest-xdist every page's report also reaches the controller, which writes the
    # record alone: workers writing the one file at once would lose each other's pages.
    if _page_outcomes and not hasattr(session.config, "workerinput"):
        session.config.verification_record = record_doctest_results(ROOT, _page_outcomes)


def pytest_terminal_summary(terminalreporter, config):
    written = getattr(config, "verification_record", None)
    if written:
        device = config.stash.get(ACTIVE_DEVICE, docs_device.requested())
        terminalreporter.write_line(f"verification record ({device}): {written}")


@pytest.fixture(autouse=True)
def _seeded_torch(request):
    """Every page and every test that uses torch starts from the same random state and print
    settings, and leaves torch's global settings as it found them, so that pages pass in any
    order and on repeat (`nox -s doctest_shuffled`). A test module that never imported torch
    does not pay for importing it here."""
    if request.node.path.suffix != ".md" and "torch" not in sys.modules:
        yield
        return

    import numpy as np
    import torch

    seed_everything()
    torch.set_printoptions(profile="default")
    numpy_print = np.get_printoptions()
    dtype = torch.get_default_dtype()
    grad = torch.is_grad_enabled()
    deterministic = torch.are_deterministic_algorithms_enabled()
    cwd = os.getcwd()
    yield
    os.chdir(cwd)
    if torch.are_deterministic_algorithms_enabled() != deterministic:
        # only when changed: the call imports torch's compiler stack, seconds on 2 cores
        torch.use_deterministic_algorithms(deterministic)
    torch.set_grad_enabled(grad)
    torch.set_default_dtype(dtype)
    np.set_printoptions(**numpy_print)


@pytest.fixture(autouse=True)
def _interactive_prompt(request):
    """A page runs as the interactive interpreter a reader pastes it into: ``sys.ps1`` and
    ``sys.ps2`` are set there (by ``python``'s prompt and by Jupyter's kernel) and unset under
    doctest, and libraries read them (torchinfo's ``summary`` prints its table only when they
    are unset). Restored after each page, so tests/ run as scripts do."""
    if request.node.path.suffix != ".md":
        yield
        return
    missing = object()
    before = {name: getattr(sys, name, missing) for name in ("ps1", "ps2")}
    sys.ps1, sys.ps2 = ">>> ", "... "
    yield
    for name, value in before.items():
        if value is missing:
            delattr(sys, name)
        else:
            setattr(sys, name, value)


@pytest.fixture
def page_names(request) -> dict:
    """Names every page may use without importing. Pages still import torch themselves, so
    that a block copied into a fresh Python runs.

    ``device`` is the device in use (``DOCS_DEVICE``): ``torch.device("cpu")`` unless the run
    is on the GPU. The copy-button test (tests/test_browser.py) defines the same names in the
    fresh Python it pastes into.
    """
    return {"device": active_device(request.config)}


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace, request):
    """The pages get page_names; other tests do not pay for them (they import torch)."""
    if request.node.path.suffix == ".md":
        doctest_namespace.update(request.getfixturevalue("page_names"))


@pytest.fixture(autouse=True)
def _page_really_ran_on_the_device(request):
    """On a CUDA run, a page that put nothing on the GPU, or moved torch's default device off
    it, fails: its tensors silently stayed on the CPU."""
    if docs_device.requested() != "cuda" or request.node.path.suffix != ".md":
        yield
        return
    import torch

    before = docs_device.cuda_allocations()
    yield
    allocated = docs_device.cuda_allocations() - before
    default = torch.get_default_device().type
    assert allocated > 0 and default == "cuda", (
        f"{request.node.nodeid}: DOCS_DEVICE=cuda, but the page allocated {allocated} blocks "
        f"on the GPU and left torch's default device at {default!r}"
    )
