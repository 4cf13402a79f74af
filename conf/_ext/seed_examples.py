"""Reset the random state before each gallery example (sphinx-gallery's ``reset_modules``).

All examples run in the one Sphinx process, one after another: without a reset, an example's
random numbers would depend on which examples ran before it, so the same sources could build
to different pages.
"""

from __future__ import annotations

import random


def reset_seeds(gallery_conf, fname, when=None):
    import numpy as np
    import torch

    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)
