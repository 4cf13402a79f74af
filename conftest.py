"""Doctest set-up for the Markdown pages and README.md, shared by every test run.

Option flags and warning filters live in pyproject.toml; this file holds what configuration
cannot: the Markdown-aware doctest parser, the seed, and the doctest namespace.
"""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "conf" / "_ext"))

from doctest_fences import MarkdownDocTestParser

# pytest's Markdown (text file) collector builds its parser through the doctest module at
# collection time; replacing it there teaches pytest where a Markdown fence ends.
doctest.DocTestParser = MarkdownDocTestParser


@pytest.fixture(autouse=True)
def _seeded_torch():
    """Every page and test starts from the same random state and print settings, and leaves
    torch's global settings as it found them, so that pages pass in any order and on repeat
    (`nox -s doctest_shuffled`)."""
    import os

    import numpy as np
    import torch

    torch.manual_seed(0)
    np.random.seed(0)
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
def _doctest_namespace(doctest_namespace):
    """Names every page may use without importing. Pages still import torch themselves, so
    that a block copied into a fresh Python runs."""
    import torch

    doctest_namespace["device"] = torch.device("cpu")
