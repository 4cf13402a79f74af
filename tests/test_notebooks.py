"""The downloads run as a reader runs them: each page's notebook and script, each gallery example.

- Every page notebook (conf/fundamentals_site/page_notebooks.py, made from the page's source as
  the build makes it) runs top to bottom in a real Jupyter kernel (nbclient + ipykernel) in an empty
  folder, and each cell's output is compared with what the page shows, under the doctests' own
  option flags (pyproject.toml). A kernel is an interactive prompt (IPython sets ``sys.ps1``),
  as the doctests are. A cell is a whole block (up to a statement that raises), and the
  notebook's first code cell has IPython show the value of every top-level expression, as
  Python's prompt does; a reader sees a cell's outputs together, so the text the kernel showed
  for a cell (what it printed and each value, in order) is compared with the page's outputs of
  the cell's statements, one after another. An error shows its class name without its module.
- Every page script runs with ``python`` in an empty folder.
- Every gallery download (``.py``, ``.ipynb``, ``.zip`` and the "download all" archives) of the
  built site runs alone in an empty folder, with only the readers' packages.

A failure names the page and the line of the block, or the example.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import copy
import doctest
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

from fundamentals_site import page_notebooks, standalone_downloads
from helpers import doctest_flags

PAGES = list(page_notebooks.iter_pages(ROOT / "docs"))
EXAMPLES = sorted((ROOT / "examples").rglob("plot_*.py"))
# How many kernels run at once: each page needs its own fresh one, and most of a kernel's time
# is importing torch, which two at a time overlap with the other's waiting.
PARALLEL_KERNELS = int(os.environ.get("NOTEBOOK_KERNELS", "2"))
CELL_TIMEOUT_S = 120
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def reader_env(*, display: bool = False) -> dict[str, str]:
    """The environment of a reader's run, with nothing of this project on the path: a script
    draws off-screen (Agg); a kernel keeps Jupyter's own inline backend."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHONPATH"))}
    env.pop("MPLBACKEND", None)
    if not display:
        env["MPLBACKEND"] = "Agg"
    return env


# -- Page notebooks ------------------------------------------------------------------------------


def _cell_text(outputs) -> tuple[str, str, dict | None]:
    """(what the cell showed, what it wrote to stderr, its error output if it raised)."""
    shown, errors, raised = [], [], None
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            (shown if output["name"] == "stdout" else errors).append(output["text"])
        elif kind in ("execute_result", "display_data"):
            text = output.get("data", {}).get("text/plain")
            if text is not None:
                shown.append(text + "\n")
        elif kind == "error":
            raised = output
    return "".join(shown), "".join(errors), raised


def _first_difference(
    shown: list[tuple[int, str]], got: str, flags: int
) -> tuple[int, list[int], str, str]:
    """Where the kernel's text for a cell departs from the page's outputs of its statements,
    given as (line, text the page shows) for each statement.

    The kernel's outputs do not say which statement showed them (consecutive prints arrive as
    one stream), so this finds the first statement whose output, after those before it, matches
    no run of whole lines at the start of the kernel's text. Returns that statement's line; the
    lines of the statements the page shows nothing for that may be the ones that showed
    something instead; and the page's and the kernel's text from the last output both agree on.
    Only for a failure's message: the comparison itself is of the whole cell.
    """
    checker = doctest.OutputChecker()
    got_lines = got.splitlines(keepends=True)

    def found_in(want: str) -> int | None:
        """How many of the kernel's first lines show ``want``: the fewest that do, or None."""
        return next(
            (
                end
                for end in range(len(got_lines) + 1)
                if checker.check_output(want, "".join(got_lines[:end]), flags)
            ),
            None,
        )

    # for each statement whose output was found: (its index, the kernel's lines up to its end)
    found = [(-1, 0)]
    wanted = ""
    for index, (_, want) in enumerate(shown):
        wanted += want
        end = found_in(wanted)
        if end is None:
            # this one's output is not there, or a silent one since the last found showed some
            suspects = shown[found[-1][0] + 1 : index]
            agreed = found[-1]
            break
        if want:
            found.append((index, end))
    else:
        # every output of the page is there, and the kernel showed more after them: the last
        # statement with output showed more, or a silent one after it showed something
        agreed = found[-2] if len(found) > 1 else found[-1]
        index = found[-1][0] if len(found) > 1 else 0
        suspects = shown[index + 1 :]
    silent = [line for line, want in suspects if not want]
    want_rest = "".join(want for _, want in shown[agreed[0] + 1 :])
    return shown[index][0], silent, want_rest, "".join(got_lines[agreed[1] :])


def compare_cell(where: str, cell: page_notebooks.CodeCell, outputs) -> str | None:
    """None if the kernel showed what the page shows under the cell's statements, else a
    message naming the page's line, the block and the lines the cell covers."""
    block = (
        f"(in the block at line {cell.block_line}, the cell of lines {cell.line}-{cell.end_line})"
    )
    options = {tuple(sorted(s.comparison_options.items())) for s in cell.statements}
    # page_notebooks.cells_of_block splits a block where these change: one set of flags is
    # right for every statement of a cell.
    assert len(options) == 1, f"{where}:{cell.line}: a cell mixes doctest comparison options"
    flags = doctest_flags(cell.statements[0].comparison_options)
    checker = doctest.OutputChecker()
    shown, stderr, raised = _cell_text(outputs)
    if stderr.strip():
        return f"{where}:{cell.line}: {block} the cell wrote to stderr (a warning fails):\n{stderr}"
    expected_error = cell.raises
    if raised is not None and expected_error is None:
        trace = ANSI.sub("", "\n".join(raised.get("traceback", [])))
        error = f"{raised['ename']}: {raised['evalue']}"
        return f"{where}:{cell.line}: {block} the cell raised {error}\n{trace}"
    failures = []
    # The text each statement shows on the page: none for one that raises (doctest ignores what
    # it prints before its error; a reader of the notebook sees that, so here it is a difference).
    page_shows = [(s.line, "" if s.exc_msg is not None else s.want) for s in cell.statements]
    if not checker.check_output("".join(want for _, want in page_shows), shown, flags):
        line, silent, want_rest, got_rest = _first_difference(page_shows, shown, flags)
        maybe = ""
        if silent:
            which = (
                f"line {silent[0]}"
                if len(silent) == 1
                else "one of lines " + ", ".join(map(str, silent))
            )
            maybe = f" (or from {which}, which the page shows no output for)"
        difference = checker.output_difference(doctest.Example("", want_rest), got_rest, flags)
        failures.append(
            f"{where}:{line}: {block} the kernel's outputs differ from the "
            f"page's from this statement on{maybe}:\n{difference}"
        )
    if expected_error is not None:
        here = f"{where}:{expected_error.line}: {block}"
        if raised is None:
            failures.append(
                f"{here} the page shows {expected_error.exc_msg.strip()!r}; the cell raised nothing"
            )
        else:
            got = f"{raised['ename']}: {raised['evalue']}\n"
            want = "{}: {}\n".format(*page_notebooks.exception_name(expected_error.exc_msg))
            if not checker.check_output(want, got, flags):
                failures.append(f"{here} the cell raised\n{got}the page shows\n{want}")
    return "\n".join(failures) or None


# Run between two notebooks in one kernel, so that each starts as in a fresh kernel: torch's
# global settings back to their defaults (what conftest.py restores between doctest pages),
# every name of the last notebook gone (%reset), and a new empty folder as the working folder.
# Tracebacks are formatted briefly (%xmode Minimal): the comparison reads only the exception's
# name and message, and IPython's full traceback costs a third of a second each.
# %reset ends with a full garbage collection, which with torch loaded walks some 200,000 objects
# (a quarter of a second, a third of what a page's cells cost). So, before the first notebook, the
# objects there are then (the kernel's, torch's and NumPy's modules, none of them a page's) are
# moved out of the collector's sight with gc.freeze(), the standard library's way to do this; the
# objects the pages make are collected as ever.
FRESH_START = """\
import gc as _gc, os as _os, warnings as _warnings
import numpy as _np, torch as _torch
if not _gc.get_freeze_count():
    _gc.freeze()
_torch.set_printoptions(profile="default")
_np.set_printoptions(**{options})
_torch.set_default_dtype(_torch.float32)
_torch.set_grad_enabled(True)
if _torch.are_deterministic_algorithms_enabled():
    _torch.use_deterministic_algorithms(False)
_warnings.resetwarnings()
_os.chdir({folder!r})
%xmode Minimal
%reset -f
"""


def _numpy_defaults() -> str:
    import numpy as np

    return repr(dict(np.get_printoptions()))


async def _run_in_kernel(queue: collections.deque, results: dict) -> None:
    """Run notebooks taken from ``queue`` top to bottom in one kernel, each from a fresh start,
    until the queue is empty.

    A kernel costs seconds to start and to import torch, against a fraction of a second to run
    a page's cells, so one kernel serves several notebooks in turn, as the doctests serve every
    page from one interpreter: names, working folder and torch's settings are fresh for each.
    """
    if not queue:
        return
    client = NotebookClient(
        nbformat.v4.new_notebook(),
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        allow_errors=True,
        shutdown_kernel="immediate",
        # the kernel's input history (an SQLite file) is of no use to a test run
        extra_arguments=["--HistoryManager.enabled=False"],
    )
    async with client.async_setup_kernel(cwd=str(queue[0][2]), env=reader_env(display=True)):
        defaults = _numpy_defaults()
        while queue:
            name, notebook, folder = queue.popleft()
            start = nbformat.v4.new_code_cell(
                FRESH_START.format(options=defaults, folder=str(folder))
            )
            client.nb = nbformat.v4.new_notebook(cells=[start])
            await client.async_execute_cell(start, 0)
            failed = [o for o in start.outputs if o["output_type"] == "error"]
            assert not failed, f"could not reset the kernel before {name}: {failed}"
            client.nb = notebook
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    await client.async_execute_cell(cell, index)
            results[name] = notebook


def run_notebooks(jobs: list[tuple[str, object, Path]]) -> dict:
    """Execute notebooks in PARALLEL_KERNELS kernels at once; returns them by name, executed.

    Each kernel takes the next notebook when it is done with one, so a kernel that drew the
    slow pages (one that imports torch.optim, say) does not keep the other waiting."""
    results: dict = {}
    queue = collections.deque(jobs)

    async def run_all():
        kernels = min(PARALLEL_KERNELS, len(jobs))
        await asyncio.gather(*(_run_in_kernel(queue, results) for _ in range(kernels)))

    in_own_thread(asyncio.run, run_all())
    return results


def in_own_thread(function, *args):
    """``function(*args)`` in a thread of its own, where no event loop runs: Playwright's sync
    API (the browser tests' session-wide browser, tests/conftest.py) keeps one running in the
    main thread, and asyncio.run() and nbclient refuse to start inside it."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


# Runs scripts one after another in one `python`, each as `python script.py` would from its own
# folder: as __main__, with fresh globals. (`python script.py` also puts that folder first on
# sys.path; the downloads import nothing from their folder, since each carries its figure code,
# so the runner leaves sys.path alone: a download that did import a neighbour fails here.)
# Prints a line per script that failed, with its traceback.
RUN_SCRIPTS = """
import os, runpy, sys, traceback
import matplotlib.pyplot as plt
for script in sys.argv[1:]:
    folder = os.path.dirname(script)
    os.chdir(folder)
    sys.argv = [script]
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        if stop.code not in (None, 0):
            print(f"FAILED {script}: exit {stop.code}", flush=True)
    except BaseException:
        print(f"FAILED {script}:\\n{traceback.format_exc()}END", flush=True)
    finally:
        plt.close("all")
"""


def run_scripts(scripts: list[Path]) -> dict[Path, str]:
    """Run each script alone (its own empty folder) in PARALLEL_KERNELS processes; failures."""
    shares = [scripts[worker::PARALLEL_KERNELS] for worker in range(PARALLEL_KERNELS)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RUN_SCRIPTS, *map(str, share)],
            cwd=share[0].parent,
            env=reader_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for share in shares
        if share
    ]
    failures: dict[Path, str] = {}
    outputs = [(process, process.communicate(timeout=600)[0]) for process in processes]
    for process, output in outputs:
        for match in re.finditer(r"^FAILED (\S+?):(.*?)(?=^FAILED |\Z)", output, re.M | re.S):
            failures[Path(match[1])] = match[2]
        assert process.returncode == 0, output
    return failures


@pytest.fixture(scope="module")
def executed_pages(tmp_path_factory, once_per_run) -> dict[Path, tuple]:
    """Every page's notebook, run top to bottom in a kernel, from a fresh start in an empty
    folder (once per test run: tests/conftest.py's once_per_run)."""

    def execute() -> dict[Path, tuple]:
        jobs, cells = [], {}
        for page in PAGES:
            notebook, _ = page_notebooks.page_downloads(page)
            cells[page] = page_notebooks.convert_page(page).code_cells
            jobs.append((page, notebook, tmp_path_factory.mktemp(f"nb-{page.stem}")))
        executed = run_notebooks(jobs)
        return {page: (executed[page], cells[page]) for page in PAGES}

    return once_per_run("page-notebooks", execute)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_notebook_runs_and_shows_what_the_page_shows(executed_pages, page):
    executed, cells = executed_pages[page]
    setting, *ran = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert setting.source == page_notebooks.SHOW_EVERY_VALUE, "the first code cell is the setting"
    assert not setting.outputs, f"{page.name}: the setting showed {setting.outputs}"
    failures = []
    for code, cell in zip(ran, cells, strict=True):
        failure = compare_cell(str(page.relative_to(ROOT)), cell, code.outputs)
        if failure:
            failures.append(failure)
    assert not failures, "\n\n".join(failures)


def test_every_page_with_code_has_a_notebook():
    names = {page.name for page in PAGES}
    assert names, "no page with pycon blocks found"
    for page in (ROOT / "docs").glob("*.md"):
        if "```pycon" in page.read_text(encoding="utf-8"):
            assert page.name in names


def test_page_scripts_run_with_python(tmp_path):
    """Each page's script runs to its end with `python`, alone in an empty folder."""
    scripts = []
    for page in PAGES:
        _, script = page_notebooks.page_downloads(page)
        folder = tmp_path / page.stem
        folder.mkdir()
        scripts.append(folder / f"{page_notebooks.download_stem(page.stem)}.py")
        scripts[-1].write_text(script, encoding="utf-8")
    failures = run_scripts(scripts)
    assert not failures, "\n\n".join(
        f"docs/{path.parent.name}.md: `python {path.name}` failed:{trace}"
        for path, trace in failures.items()
    )


# -- Cells and their comparison ------------------------------------------------------------------

# A block that shows a value, prints, shows nothing, raises, then shows a value again.
MIXED_BLOCK = """# Mixed

```pycon
>>> x = 1
>>> x + 1
2
>>> print("a"); print("b")
a
b
>>> y = x
>>> x
1
>>> x / 0
Traceback (most recent call last):
  ...
ZeroDivisionError: division by zero
>>> y
1
```
"""


def _outputs(*shown: str) -> list[dict]:
    """Kernel outputs: ``"=text"`` a value, ``"!Name"`` an error, anything else printed text."""
    outputs = []
    for text in shown:
        if text.startswith("="):
            outputs.append({"output_type": "execute_result", "data": {"text/plain": text[1:]}})
        elif text.startswith("!"):
            outputs.append(
                {"output_type": "error", "ename": text[1:], "evalue": "division by zero"}
            )
        else:
            outputs.append({"output_type": "stream", "name": "stdout", "text": text})
    return outputs


def test_a_block_is_one_cell_up_to_each_statement_that_raises(tmp_path):
    page = tmp_path / "mixed.md"
    page.write_text(MIXED_BLOCK, encoding="utf-8")
    notebook, _ = page_notebooks.page_downloads(page)
    setting, *cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert setting.source == page_notebooks.SHOW_EVERY_VALUE
    assert [c.source for c in cells] == [
        'x = 1\nx + 1\nprint("a"); print("b")\ny = x\nx\nx / 0',
        "y",
    ]
    assert [c.metadata.get("tags") for c in cells] == [["raises-exception"], None]
    assert [c.metadata[page_notebooks.METADATA_KEY] for c in cells] == [
        {"file": "mixed.md", "lines": [4, 16]},
        {"file": "mixed.md", "lines": [17, 18]},
    ]
    stored = [
        (o.output_type, o.get("text") or o.get("data", {}).get("text/plain") or o.get("ename"))
        for o in cells[0].outputs
    ]
    assert stored == [
        ("execute_result", "2"),
        ("stream", "a\nb\n"),
        ("execute_result", "1"),
        ("error", "ZeroDivisionError"),
    ]


def test_a_block_splits_where_its_comparison_options_change(tmp_path):
    page = tmp_path / "options.md"
    page.write_text(
        "# Options\n\n```pycon\n>>> 1\n1\n>>> 2  # doctest: -ELLIPSIS\n2\n"
        ">>> 3  # doctest: -ELLIPSIS\n3\n>>> 4\n4\n```\n",
        encoding="utf-8",
    )
    cells = page_notebooks.convert_page(page).code_cells
    assert [[s.source.split()[0] for s in c.statements] for c in cells] == [
        ["1"],
        ["2", "3"],
        ["4"],
    ]


@pytest.mark.parametrize(
    ("shown", "complaint"),
    [
        (("=2", "a\nb\n", "=1", "!ZeroDivisionError"), None),
        (("=2", "a\n", "b\n", "=1", "!ZeroDivisionError"), None),  # streams split differently
        # a value the page shows, not shown: Jupyter's default for all but a cell's last line
        (("a\nb\n", "=1", "!ZeroDivisionError"), ":5: "),
        (("=2", "a\nb\n", "!ZeroDivisionError"), ":11: "),
        (("=1", "a\nb\n", "=2", "!ZeroDivisionError"), ":5: "),  # the right outputs, reordered
        (("=2", "a\nb\n", "=1", "=1", "!ZeroDivisionError"), ":11: "),  # one shown twice
        # shown by a statement the page shows nothing for
        (("=2", "a\nb\n", "7\n", "=1", "!ZeroDivisionError"), "or from line 10, which"),
        (("=2", "a\nb\n", "=1", "c\n", "!ZeroDivisionError"), "or from line 13, which"),
        (("=2", "a\nb\n", "=1"), ":13: "),  # no error
        (("=2", "a\nb\n", "=1", "!ValueError"), ":13: "),
    ],
)
def test_a_cells_outputs_are_compared_in_order_and_in_full(tmp_path, shown, complaint):
    page = tmp_path / "mixed.md"
    page.write_text(MIXED_BLOCK, encoding="utf-8")
    cell = page_notebooks.convert_page(page).code_cells[0]
    message = compare_cell("mixed.md", cell, _outputs(*shown))
    if complaint is None:
        assert message is None
    else:
        assert message and complaint in message, message
        assert "(in the block at line 3, the cell of lines 4-16)" in message


LOOP_BLOCK = """
A loop's values show at the prompt too:

```pycon
>>> for i in range(2):
...     i
...     print("p", i)
0
p 0
1
p 1
```
"""


def test_the_kernel_shows_every_value_in_order_with_what_is_printed(tmp_path):
    """What the notebook stores as a cell's outputs is what a kernel shows for it: each value
    and each print, in order, and the error at the end; inside a loop too, as the prompt."""
    page = tmp_path / "mixed.md"
    page.write_text(MIXED_BLOCK + LOOP_BLOCK, encoding="utf-8")
    stored, _ = page_notebooks.page_downloads(page)
    notebook = copy.deepcopy(stored)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True)
    in_own_thread(asyncio.run, client.async_execute(cwd=str(tmp_path)))

    def seen(cells):
        return [
            [
                (
                    o.output_type,
                    o.get("text") or o.get("data", {}).get("text/plain"),
                    o.get("ename"),
                )
                for o in cell.outputs
            ]
            for cell in cells
            if cell.cell_type == "code"
        ]

    # the loop's outputs are stored as the text the page shows (values and prints, one stream)
    *blocks, _loop = seen(notebook.cells)
    assert blocks == seen(stored.cells)[:-1]
    ran = [c for c in notebook.cells if page_notebooks.METADATA_KEY in c.metadata]
    cells = page_notebooks.convert_page(page).code_cells
    assert len(cells) == 3
    for cell, code in zip(cells, ran, strict=True):
        assert compare_cell("mixed.md", cell, code.outputs) is None


# -- Refusals -----------------------------------------------------------------------------------


def test_a_statement_split_over_two_blocks_is_refused_with_file_and_line(tmp_path):
    page = tmp_path / "split.md"
    page.write_text(
        "# Split\n\n```pycon\n>>> import torch\n>>> for i in range(2):\n```\n\n"
        "```pycon\n>>> print(i)\n0\n```\n",
        encoding="utf-8",
    )
    with pytest.raises(page_notebooks.CellError, match=rf"{re.escape(str(page))}:5: "):
        page_notebooks.convert_page(page)


def test_an_output_the_kernel_does_not_print_fails_with_page_and_line(tmp_path):
    page = tmp_path / "wrong.md"
    page.write_text(
        "# Wrong\n\nText.\n\n```pycon\n>>> x = 1\n>>> x + 1\n3\n```\n", encoding="utf-8"
    )
    notebook, _ = page_notebooks.page_downloads(page)
    client = NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True)
    in_own_thread(asyncio.run, client.async_execute(cwd=str(tmp_path)))
    (cell,) = page_notebooks.convert_page(page).code_cells
    (ran,) = [c for c in notebook.cells if page_notebooks.METADATA_KEY in c.metadata]
    message = compare_cell(str(page), cell, ran.outputs)
    assert message and message.startswith(f"{page}:7: ")
    assert "Expected:\n    3\nGot:\n    2" in message


# -- Gallery downloads --------------------------------------------------------------------------


def _example_id(example: Path) -> str:
    return str(example.relative_to(ROOT / "examples"))


def _download(built_html: Path, name: str) -> Path:
    found = sorted(built_html.glob(f"_downloads/*/{name}"))
    assert len(found) == 1, f"expected one download named {name}, found {found}"
    return found[0]


def test_gallery_script_downloads_run_alone(built_html, tmp_path):
    """Each example's downloaded .py, alone in an empty folder, runs with only the readers'
    packages (no examples/ on the path)."""
    scripts = []
    for example in EXAMPLES:
        folder = tmp_path / example.stem
        folder.mkdir()
        scripts.append(folder / example.name)
        scripts[-1].write_bytes(_download(built_html, example.name).read_bytes())
    failures = run_scripts(scripts)
    assert not failures, "\n\n".join(
        f"{path.name} (downloaded .py) failed:{trace}" for path, trace in failures.items()
    )


def test_gallery_notebook_downloads_run_alone_and_draw_every_figure(built_html, tmp_path):
    jobs = []
    for example in EXAMPLES:
        downloaded = _download(built_html, f"{example.stem}.ipynb")
        notebook = nbformat.reads(downloaded.read_text(encoding="utf-8"), as_version=4)
        folder = tmp_path / example.stem
        folder.mkdir()
        jobs.append((example, notebook, folder))
    executed = run_notebooks(jobs)
    failures = []
    for example in EXAMPLES:
        outputs = [o for c in executed[example].cells if c.cell_type == "code" for o in c.outputs]
        for output in outputs:
            if output["output_type"] == "error":
                trace = ANSI.sub("", "\n".join(output["traceback"]))
                failures.append(f"{example.stem}.ipynb (downloaded) raised:\n{trace}")
        images = sum("image/png" in output.get("data", {}) for output in outputs)
        drawn = len(re.findall(r"^\s*fig = draw_\w+\(", example.read_text(), flags=re.M))
        if images != drawn:
            failures.append(
                f"{example.stem}.ipynb shows {images} figures; the example draws {drawn}"
            )
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("example", EXAMPLES, ids=_example_id)
def test_gallery_notebook_text_cells_are_markdown(built_html, example):
    notebook = nbformat.read(_download(built_html, f"{example.stem}.ipynb"), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            leftover = re.search(r":[\w:]+:`[^`]*`|^\.\. \w+::", cell.source, flags=re.M)
            assert not leftover, f"{example.stem}.ipynb: reST in a text cell: {leftover[0]!r}"


def test_gallery_zips_hold_the_downloads_that_run(built_html):
    """Each example's zip, and the "download all" archives, hold exactly the standalone .py and
    .ipynb the tests above run."""
    runs = {}
    for example in EXAMPLES:
        for name in (example.name, f"{example.stem}.ipynb"):
            runs[name] = _download(built_html, name).read_bytes()
    archives = [_download(built_html, f"{example.stem}.zip") for example in EXAMPLES]
    archives += [
        _download(built_html, f"auto_examples_{kind}.zip") for kind in ("python", "jupyter")
    ]
    for archive in archives:
        with zipfile.ZipFile(archive) as opened:
            members = {Path(info.filename).name: opened.read(info) for info in opened.infolist()}
        held = [name for name in members if name in runs]
        assert held, f"{archive.name} holds no example"
        for name in held:
            assert members[name] == runs[name], f"{archive.name}: {name} is not the standalone one"
    with zipfile.ZipFile(_download(built_html, "auto_examples_python.zip")) as every:
        names = {Path(name).name for name in every.namelist()}
    assert {example.name for example in EXAMPLES} <= names


def test_the_downloads_carry_the_figure_module_not_an_import_of_it(built_html):
    module = (ROOT / "examples" / f"{standalone_downloads.FIGURE_MODULE}.py").read_text()
    for example in EXAMPLES:
        script = _download(built_html, example.name).read_text(encoding="utf-8")
        assert f"from {standalone_downloads.FIGURE_MODULE} import" not in script
        assert standalone_downloads._module_body(module)[1] in script


def test_a_name_the_figure_module_also_defines_fails_the_build_naming_the_example():
    with pytest.raises(standalone_downloads.CollisionError, match=r"plot_x\.py: binds CELL_GID"):
        standalone_downloads.standalone_source(
            '"""T\n=\n"""\nfrom shape_figures import draw_tensors\nCELL_GID = 1\n',
            'CELL_GID = "cell"\n',
            "plot_x.py",
        )


# -- The pages on the built site ------------------------------------------------------------------


def test_every_page_offers_its_notebook_and_script(built_html):
    for page in PAGES:
        html = (built_html / f"{page.stem}.html").read_text(encoding="utf-8")
        assert "Download this page as a" in html, page.name
        stem = page_notebooks.download_stem(page.stem)
        for suffix in (".ipynb", ".py"):
            assert f'href="{stem}{suffix}"' in html, page.name
            assert (built_html / f"{stem}{suffix}").is_file(), page.name
        notebook, _ = page_notebooks.page_downloads(page)
        built = nbformat.read(built_html / f"{stem}.ipynb", as_version=4)
        assert [c.source for c in built.cells if c.cell_type == "code"] == [
            c.source for c in notebook.cells if c.cell_type == "code"
        ], f"{page.name}: the built notebook's code is not the page's"
        for cell in built.cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\{[\w:]+\}`|^:::|^\(\w[\w-]*\)=", cell.source, re.M), (
                    f"{page.name}: MyST left in a text cell: {cell.source[:200]!r}"
                )
