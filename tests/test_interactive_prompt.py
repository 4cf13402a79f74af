"""The pages run as the interactive interpreter a reader pastes them into, not as doctest alone.

At ``python``'s prompt and in Jupyter ``sys.ps1`` and ``sys.ps2`` are set; under plain doctest
they are not, and libraries read them: torchinfo's ``summary`` prints its table only where they
are unset. conftest.py sets them around every page; these tests prove it on a page of their
own, and that tests/ still run as scripts do.
"""

from __future__ import annotations

import doctest
import io
import sys
from contextlib import redirect_stdout

from fundamentals_site import docs_device
from fundamentals_site.build_command import copy_site
from helpers import run_pytest

SUMMARY_BLOCK = """\
```pycon
>>> import torch
>>> from torchinfo import summary
>>> stats = summary(torch.nn.Linear(2, 1), input_size=(1, 2))
>>> stats.total_params
3
```
"""
PROMPT_PAGE = f"""\
# The prompt

```pycon
>>> import sys
>>> sys.ps1, sys.ps2
('>>> ', '... ')
```

{SUMMARY_BLOCK}"""


def test_pages_run_with_the_prompt_set(tmp_path):
    """A page sees ``sys.ps1``/``sys.ps2`` as at the prompt, and torchinfo, reading them, prints
    nothing for an assigned summary (run as a script, it would print its table)."""
    site = copy_site(tmp_path / "site", examples=False)
    page = site / "docs" / "prompt.md"
    page.write_text(PROMPT_PAGE, encoding="utf-8")
    run = run_pytest(site, "docs/prompt.md")
    assert run.returncode == 0, run.output


def test_the_same_page_fails_without_the_prompt(tmp_path):
    """The check above can fail: with the prompt unset (as plain doctest leaves it), the same
    summary prints its table, which the page does not show."""
    site = copy_site(tmp_path / "site", examples=False)
    (site / "docs" / "prompt.md").write_text(f"# The prompt\n\n{SUMMARY_BLOCK}", encoding="utf-8")
    conftest = site / "conftest.py"
    fixture_start = (
        'if request.node.path.suffix != ".md":\n        yield\n        return\n    missing'
    )
    source = conftest.read_text(encoding="utf-8")
    assert fixture_start in source, "conftest.py's _interactive_prompt fixture changed"
    conftest.write_text(
        source.replace(fixture_start, fixture_start.replace("if request", "if True or request")),
        encoding="utf-8",
    )
    run = run_pytest(site, "docs/prompt.md")
    assert run.returncode == 1, run.output
    assert "Total params: 3" in run.output, run.output


def test_tests_run_without_the_prompt():
    """Outside the pages (here, in tests/), nothing is set: tests run as scripts do."""
    assert not hasattr(sys, "ps1")
    assert not hasattr(sys, "ps2")


def test_on_cpu_source_still_echoes_expressions():
    """An ``+ON_CPU`` example is wrapped in ``with torch.device("cpu"):`` on a CUDA run; in the
    interactive ("single") mode doctest compiles it in, its expressions are still echoed."""
    source = docs_device.run_on_cpu("x = torch.ones(2)\nx.device\n")
    namespace = {"torch": __import__("torch")}
    out = io.StringIO()
    with redirect_stdout(out):
        exec(compile(source, "<example>", "single"), namespace)
    assert out.getvalue() == "device(type='cpu')\n"


def test_cuda_checker_drops_only_the_device_suffix():
    """The CUDA comparison's one tolerance: the ``device='cuda:0'`` of a tensor's repr, unless
    the page shows a device itself. Values are still compared exactly."""
    checker = docs_device.CudaReprOutputChecker()
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    assert checker.check_output("tensor([1., 2.])\n", "tensor([1., 2.], device='cuda:0')\n", flags)
    assert not checker.check_output(
        "tensor([1., 2.])\n", "tensor([1., 3.], device='cuda:0')\n", flags
    )
    assert not checker.check_output(
        "tensor([1., 2.], device='cpu')\n", "tensor([1., 2.], device='cuda:0')\n", flags
    )
