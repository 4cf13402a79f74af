"""The one seed of every random number generator a page or a gallery example may use.

Read by conftest.py (before each page's doctests) and by conf/fundamentals_site/gallery_resets.py
(before each gallery example), so that a page's or an example's random numbers never depend on what
ran before it.
"""

from __future__ import annotations

import random

SEED = 0


def seed_everything() -> None:
    """Seed Python's ``random``, NumPy's global generator and torch's to :data:`SEED`."""
    import numpy as np
    import torch

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
