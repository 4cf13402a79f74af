"""Doctest set-up for the Markdown pages and README.md, shared by every test run.

Option flags and warning filters live in pyproject.toml; this file holds what configuration
cannot: the Markdown-aware doctest parser, the seed, the device the pages run on
(``DOCS_DEVICE``, read in conf/docs_device.py), the doctest namespace, and the record of which
page passed with which torch on which device (read by the site's "Verified with" stamp).
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "conf" / "_ext"))
sys.path.insert(0, str(ROOT / "conf"))

import docs_device
from doctest_fences import MarkdownDocTestParser
from seeding import seed_everything
from verified_with import record_doctest_results

# pytest's Markdown (text file) collector builds its parser through the doctest module at
# collection time; replacing it there teaches pytest where a Markdown fence ends.
doctest.DocTestParser = MarkdownDocTestParser


def _cuda_checker_class():
    """On a CUDA run, compare outputs without the `device='cuda:0'` of tensor reprs
    (docs_device.drop_cuda_repr_suffix says exactly what is dropped, and when)."""
    import _pytest.doctest

    # pytest builds its checker (NUMBER, ALLOW_UNICODE...) lazily and keeps the class in this
    # module global; a subclass placed there is what every doctest item then uses.
    base = _pytest.doctest._init_checker_class()

    class CudaReprChecker(base):
        def check_output(self, want, got, optionflags):
            got = docs_device.drop_cuda_repr_suffix(want, got)
            return super().check_output(want, got, optionflags)

        def output_difference(self, example, got, optionflags):
            got = docs_device.drop_cuda_repr_suffix(example.want, got)
            return super().output_difference(example, got, optionflags)

    return CudaReprChecker


def pytest_configure(config):
    """Put torch on the device in use for the whole run (a CUDA request without a GPU fails)."""
    try:
        config.docs_device = docs_device.activate()
    except RuntimeError as error:
        raise pytest.UsageError(str(error)) from None
    if config.docs_device.type == "cuda":
        import _pytest.doctest

        _pytest.doctest.CHECKER_CLASS = _cuda_checker_class()


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
    """Write the pages' outcomes into the record the site's stamp reads (if any page ran)."""
    if _page_outcomes:
        session.config.verification_record = record_doctest_results(ROOT, _page_outcomes)


def pytest_terminal_summary(terminalreporter, config):
    written = getattr(config, "verification_record", None)
    if written:
        terminalreporter.write_line(f"verification record ({config.docs_device}): {written}")


@pytest.fixture(autouse=True)
def _seeded_torch():
    """Every page and test starts from the same random state and print settings, and leaves
    torch's global settings as it found them, so that pages pass in any order and on repeat
    (`nox -s doctest_shuffled`)."""
    import os

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
def _doctest_namespace(doctest_namespace, request):
    """Names every page may use without importing. Pages still import torch themselves, so
    that a block copied into a fresh Python runs.

    ``device`` is the device in use (``DOCS_DEVICE``): ``torch.device("cpu")`` unless the run
    is on the GPU.
    """
    doctest_namespace["device"] = request.config.docs_device


@pytest.fixture(autouse=True)
def _page_really_ran_on_the_device(request):
    """On a CUDA run, a page that put nothing on the GPU, or moved torch's default device off
    it, fails: its tensors silently stayed on the CPU."""
    if request.config.docs_device.type != "cuda" or request.node.path.suffix != ".md":
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
