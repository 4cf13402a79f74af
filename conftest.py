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
    """Every page and test starts from the same random state and print settings."""
    import numpy as np
    import torch

    torch.manual_seed(0)
    np.random.seed(0)
    torch.set_printoptions(profile="default")
    yield


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    """Names every page may use without importing. Pages still import torch themselves, so
    that a block copied into a fresh Python runs."""
    import torch

    doctest_namespace["device"] = torch.device("cpu")
