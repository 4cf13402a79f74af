"""A page that changes torch's global settings does not change the pages that run after it."""

from __future__ import annotations

from helpers import run_pytest

LEAKING_PAGE = """\
# Changes global settings

```pycon
>>> import torch
>>> torch.set_default_dtype(torch.float64)
>>> torch.set_grad_enabled(False)
torch.autograd.grad_mode.set_grad_enabled(mode=False)
```
"""

DEFAULTS_PAGE = """\
# Relies on the defaults

```pycon
>>> import torch
>>> torch.ones(1).dtype
torch.float32
>>> torch.ones(1, requires_grad=True).mul(2).requires_grad
True
>>> torch.rand(2)
tensor([0.4963, 0.7682])
```
"""


def test_global_settings_do_not_leak_into_the_next_page(site_copy):
    docs = site_copy / "docs"
    (docs / "a_leaks.md").write_text(LEAKING_PAGE, encoding="utf-8")
    (docs / "b_defaults.md").write_text(DEFAULTS_PAGE, encoding="utf-8")
    # The leaking page runs first, and the other page twice: after it and on repeat.
    run = run_pytest(
        site_copy,
        "--keep-duplicates",
        "docs/b_defaults.md",
        "docs/a_leaks.md",
        "docs/b_defaults.md",
    )
    assert run.returncode == 0, run.output
    assert "3 passed" in run.output
