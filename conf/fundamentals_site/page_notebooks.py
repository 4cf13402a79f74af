"""Every topic page as a Jupyter notebook and a Python script, made from the page itself.

A reader who wants to run a page does not retype it: each page with ``pycon`` blocks is offered
as ``<page>.ipynb`` and ``<page>.py`` next to its HTML, generated at build time from the page's
Markdown source (the same fences the doctests run, found by ``doctest_fences.iter_fences``):

- prose becomes Markdown cells (MyST roles and cross-references become plain Markdown: API
  names link to the official reference through the intersphinx inventory; links to other pages
  become their titles, or links when ``html_baseurl`` is set);
- each block's code becomes one code cell without prompts. The notebook's first code cell sets
  IPython's ``ast_node_interactivity`` to ``"all"`` (a Markdown cell before it says why): then
  Jupyter shows the value of every top-level expression of a cell, in order with what it
  prints, as Python's prompt on the page does, where by default it shows only the last one. A
  cell still ends after a statement that raises on the page, since a cell stops at its first
  error (the cell is tagged ``raises-exception`` so that "Run all" goes on past it). The page's
  outputs of the cell's statements are stored, in order, as the cell's outputs (a value as
  ``execute_result``, printed text as a ``stream``, a traceback as an ``error``), and the cell's
  metadata records the page lines it came from;
- exercises keep their question; each solution (a ``{dropdown}`` titled "Solution...") moves to
  a "Solutions" section at the end of the notebook.

The script is the same sequence in the percent format (``# %%`` cells, which VS Code, Spyder and
jupytext open as cells): prose and the page's outputs as comments, and each statement that
raises on the page wrapped in ``try``/``except`` that prints the error, so ``python page.py``
runs to the end. A plain script cannot carry the ``%config`` line, and an editor's cell runner
shows only a cell's last value, so there a ``# %%`` cell ends at each statement that shows
output.

A block that cannot become a cell (a statement that does not compile on its own, for example
one split over two blocks) is refused with the page and line, as a build warning (``-W`` makes
it an error) and as :class:`CellError` for the tests.
"""

from __future__ import annotations

import ast
import doctest
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from sphinx.ext.doctest import doctestopt_re

from fundamentals_site.doctest_fences import DOCTEST_LANGUAGES, iter_fences

# The downloads of page ``x`` are ``x-page.ipynb`` and ``x-page.py``: a name with a hyphen can
# never be imported, so the script of the torchinfo page cannot shadow the torchinfo package
# when a reader runs it (``python torchinfo.py`` would import itself instead).
DOWNLOAD_SUFFIX = "-page"


def download_stem(docname: str) -> str:
    return Path(docname).name + DOWNLOAD_SUFFIX


# The key under which each code cell records where it came from on the page.
METADATA_KEY = "page_source"
# Directives whose content a reader of the notebook does not need.
DROPPED_DIRECTIVES = {"toctree", "eval-rst", "minigallery", "contents", "include"}
COLON_FENCE_RE = re.compile(r"^(?P<colons>:{3,})\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
OPTION_RE = re.compile(r"^:[\w-]+:.*$")
LABEL_RE = re.compile(r"^\(([\w-]+)\)=\s*$")
ROLE_RE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
LINK_RE = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
EXPLICIT_TARGET_RE = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
PY_ROLES = {"func", "meth", "class", "attr", "mod", "data", "obj", "exc", "const", "function"}
CALLABLE_ROLES = {"func", "meth", "function"}


class CellError(ValueError):
    """A block of a page that cannot become a notebook cell; the message names file and line."""


@dataclass
class Statement:
    """One ``>>>`` statement of a page: its code and what the page shows under it."""

    source: str
    want: str
    exc_msg: str | None
    line: int  # 1-based line of the ``>>>`` prompt in the page
    end_line: int  # the page's last line of it: of its code, or of the output shown under it
    options: dict[int, bool] = field(default_factory=dict)

    @property
    def shows_output(self) -> bool:
        return bool(self.want) or self.exc_msg is not None

    @property
    def comparison_options(self) -> dict[int, bool]:
        """The ``# doctest:`` options that change how its output is compared."""
        return {flag: on for flag, on in self.options.items() if flag & doctest.COMPARISON_FLAGS}


@dataclass
class CodeCell:
    """Consecutive statements of one block: the whole block, or its part up to a statement that
    raises (cells_of_block says where a block splits)."""

    statements: list[Statement]
    block_line: int  # 1-based line of the block's opening fence

    @property
    def line(self) -> int:
        return self.statements[0].line

    @property
    def end_line(self) -> int:
        return self.statements[-1].end_line

    @property
    def source(self) -> str:
        return "\n".join(s.source.rstrip("\n") for s in self.statements).rstrip()

    @property
    def raises(self) -> Statement | None:
        """The statement that raises on the page, if any: always the cell's last."""
        last = self.statements[-1]
        return last if last.exc_msg is not None else None


@dataclass
class MarkdownCell:
    text: str


class Resolver:
    """How cross-references become Markdown. This one, without a Sphinx build, keeps text."""

    def role(self, role: str, target: str, text: str | None) -> str:
        name = role.split(":")[-1]
        if name in PY_ROLES:
            shown = text or _python_display(target, name)
            return f"`{shown}`"
        if name == "doc":
            return text or target.strip("/")
        if name == "ref":
            return text or target
        if name == "download":
            return f"`{text or target}`"
        return f"`{text or target}`" if name in {"code", "file", "samp"} else (text or target)

    def page_link(self, docname: str, anchor: str, text: str) -> str:
        return text or docname


def _python_display(target: str, role: str) -> str:
    target = target.lstrip("!")
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return target + ("()" if role in CALLABLE_ROLES else "")


def _split_role_content(content: str) -> tuple[str, str | None]:
    explicit = EXPLICIT_TARGET_RE.match(content)
    if explicit:
        return explicit["target"], explicit["text"]
    return content, None


def markdown_inline(line: str, resolver: Resolver, page: Path) -> str:
    """MyST roles and page links of one line as plain Markdown."""

    def role(match: re.Match) -> str:
        # a role may run over a line break (and, in an admonition, its "> " prefix)
        content = re.sub(r"\s*\n[>\s]*", " ", match["content"])
        target, text = _split_role_content(content)
        return resolver.role(match["role"], target, text)

    def link(match: re.Match) -> str:
        target = match["target"]
        text = re.sub(r"\s*\n[>\s]*", " ", match["text"])
        if "://" in target or target.startswith(("mailto:", "#")):
            return match[0]
        path, _, anchor = target.partition("#")
        if not path.endswith(".md"):
            return match[0]
        docname = str((page.parent / path).resolve().relative_to(page.parent.resolve()))
        return resolver.page_link(docname.removesuffix(".md"), anchor, text)

    return LINK_RE.sub(link, ROLE_RE.sub(role, line))


def statements_of(body: list[str], fence_start: int, path: str) -> list[Statement]:
    """The doctest examples of a pycon fence, with their page lines."""
    parser = doctest.DocTestParser()
    examples = parser.get_examples("\n".join(body) + "\n", path)
    first_line = fence_start + 2  # the page's line of body[0]
    statements = []
    for index, example in enumerate(examples):
        # a statement runs up to the next one's prompt (or the fence), less any blank lines
        end = examples[index + 1].lineno if index + 1 < len(examples) else len(body)
        while end - 1 > example.lineno and not body[end - 1].strip():
            end -= 1
        statements.append(
            Statement(
                # Sphinx strips `# doctest:` options from the page; so does the download
                source=doctestopt_re.sub("", example.source),
                want=example.want,
                exc_msg=example.exc_msg,
                line=first_line + example.lineno,
                end_line=first_line + end - 1,
                options=example.options,
            )
        )
    return statements


def cells_of_block(statements: list[Statement], path: str, block_line: int) -> list[CodeCell]:
    """A block's statements as cells: one cell, split only where the notebook needs it.

    - After a statement that raises on the page: a cell stops at its first error, so what
      follows it would never run.
    - Before a statement whose ``# doctest:`` comparison options (ELLIPSIS, NORMALIZE_WHITESPACE,
      ...) differ from the statement before it. The kernel shows a cell's outputs as one
      sequence that cannot always be cut back into statements (consecutive prints arrive as one
      stream), so a cell's outputs are compared with the page as a whole, under one set of
      flags; compared under either statement's flags, the other statement would be checked more
      loosely (or more strictly) than its doctest. No page has such a pair today.
    """
    cells: list[CodeCell] = []
    pending: list[Statement] = []
    for statement in statements:
        try:
            compile(statement.source, path, "exec")
        except SyntaxError as error:
            raise CellError(
                f"{path}:{statement.line}: this statement cannot become a notebook cell "
                f"({error.msg}); a statement must be complete within one block"
            ) from None
        if pending and statement.comparison_options != pending[-1].comparison_options:
            cells.append(CodeCell(pending, block_line))
            pending = []
        pending.append(statement)
        if statement.exc_msg is not None:
            cells.append(CodeCell(pending, block_line))
            pending = []
    if pending:
        cells.append(CodeCell(pending, block_line))
    return cells


@dataclass
class Page:
    path: Path
    title: str
    cells: list[MarkdownCell | CodeCell]

    @property
    def code_cells(self) -> list[CodeCell]:
        return [cell for cell in self.cells if isinstance(cell, CodeCell)]


def _closing_colon_fence(lines: list[str], start: int, colons: int) -> int:
    depth = 0
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        opening = COLON_FENCE_RE.match(stripped)
        if opening:
            depth += 1
        elif stripped and set(stripped) == {":"} and len(stripped) >= 3:
            if depth:
                depth -= 1
            elif len(stripped) >= colons:
                return index
    raise CellError(f"line {start + 1}: directive opened here is never closed")


class _Converter:
    def __init__(self, path: Path, text: str, resolver: Resolver):
        self.path = path
        self.name = str(path)
        self.lines = text.splitlines()
        self.fences = {fence.start: fence for fence in iter_fences(text, self.name)}
        self.resolver = resolver
        self.cells: list[MarkdownCell | CodeCell] = []
        self.solutions: list[tuple[str, list[MarkdownCell | CodeCell]]] = []
        self.section = ""
        self.title = ""
        self._prose: list[str] = []

    def flush(self, into: list) -> None:
        text = markdown_inline("\n".join(self._prose), self.resolver, self.path).strip("\n")
        if text.strip():
            into.append(MarkdownCell(text))
        self._prose = []

    def convert(self) -> Page:
        start = self._skip_front_matter()
        self.walk(start, len(self.lines), self.cells, quote="")
        self.flush(self.cells)
        if self.solutions:
            self.cells.append(MarkdownCell("## Solutions"))
            for section, cells in self.solutions:
                self.cells.append(MarkdownCell(f"### Solution: {section}"))
                self.cells.extend(cells)
        return Page(self.path, self.title, self.cells)

    def _skip_front_matter(self) -> int:
        if self.lines and self.lines[0].strip() == "---":
            for index in range(1, len(self.lines)):
                if self.lines[index].strip() == "---":
                    return index + 1
        return 0

    def walk(self, start: int, end: int, into: list, quote: str) -> None:
        index = start
        while index < end:
            line = self.lines[index]
            fence = self.fences.get(index)
            colon = COLON_FENCE_RE.match(line.strip())
            if fence is not None:
                self.fence(fence, into, quote)
                index = fence.end + 1
            elif colon:
                close = _closing_colon_fence(self.lines, index, len(colon["colons"]))
                self.directive(colon["name"], colon["argument"], index + 1, close, into, quote)
                index = close + 1
            else:
                self.prose_line(line, quote)
                index += 1

    def prose_line(self, line: str, quote: str) -> None:
        if LABEL_RE.match(line) or line.startswith("% "):
            return
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            text = markdown_inline(heading[2], self.resolver, self.path)
            if len(heading[1]) == 1 and not self.title:
                self.title = re.sub(r"[`*]", "", text)
            self.section = re.sub(r"[`*]", "", text)
        self._prose.append(quote + line)

    def fence(self, fence, into: list, quote: str) -> None:
        if fence.language in DOCTEST_LANGUAGES:
            self.flush(into)
            statements = statements_of(fence.body, fence.start, self.name)
            into.extend(cells_of_block(statements, self.name, fence.start + 1))
        elif fence.language in DROPPED_DIRECTIVES:
            return
        else:
            opening = self.lines[fence.start]
            if "{" in opening:  # a directive in backtick form: keep its text only
                self.walk(fence.start + 1, fence.end, into, quote)
                return
            for line in (opening, *fence.body, self.lines[fence.end]):
                self._prose.append(quote + line)

    def directive(
        self, name: str, argument: str, start: int, end: int, into: list, quote: str
    ) -> None:
        body = start
        while body < end and OPTION_RE.match(self.lines[body].strip()):
            body += 1
        if name in DROPPED_DIRECTIVES:
            return
        if name == "dropdown" and argument.strip().lower().startswith("solution"):
            self.flush(into)
            solution: list[MarkdownCell | CodeCell] = []
            saved, self._prose = self._prose, []
            self.walk(body, end, solution, quote="")
            self.flush(solution)
            self._prose = saved
            self.solutions.append((self.section or self.title, solution))
            self._prose.append(quote + "*(The solution is at the end of this notebook.)*")
            return
        title = argument.strip() or name.title()
        self._prose.append(f"{quote}> **{title}**")
        self._prose.append(f"{quote}>")
        self.walk(body, end, into, quote=quote + "> ")
        self._prose.append("")


def convert_page(path: Path, text: str | None = None, resolver: Resolver | None = None) -> Page:
    """The page at ``path`` as cells; raises :class:`CellError` naming file and line."""
    text = path.read_text(encoding="utf-8") if text is None else text
    try:
        return _Converter(path, text, resolver or Resolver()).convert()
    except CellError as error:
        message = str(error)
        if message.startswith("line "):
            raise CellError(f"{path}:{message.removeprefix('line ')}") from None
        raise


def has_code(text: str, path: str) -> bool:
    return any(fence.language in DOCTEST_LANGUAGES for fence in iter_fences(text, path))


# -- Outputs as the page shows them -------------------------------------------------------------


def _shown_text(want: str) -> str:
    return "\n".join("" if line == "<BLANKLINE>" else line for line in want.splitlines()) + "\n"


def exception_name(exc_msg: str) -> tuple[str, str]:
    """``(name, message)`` of an exception line as a notebook shows it: the class name only
    (IPython writes ``type.__name__``, never the module that ``traceback`` prefixes)."""
    head, _, message = exc_msg.partition(":")
    return head.strip().rsplit(".", 1)[-1], message.strip()


def is_displayed_value(source: str) -> bool:
    """Whether the statement's output is its value (Jupyter's execute_result), not printing."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    value = tree.body[-1].value
    return not (isinstance(value, ast.Call) and getattr(value.func, "id", None) == "print")


# Cells and outputs are built as plain nodes and the whole notebook is validated once
# (notebook_of): nbformat.v4's new_code_cell/new_output validate every node on its own against
# the JSON schema, about 2 ms each, which made a no-op rebuild spend 3 s of its 5 here.
def _node(**fields) -> nbformat.NotebookNode:
    return nbformat.from_dict(fields)


def statement_outputs(statement: Statement) -> list:
    """What the page shows under one statement, as notebook outputs."""
    if statement.exc_msg is not None:
        name, message = exception_name(statement.exc_msg)
        return [
            _node(
                output_type="error",
                ename=name,
                evalue=message,
                traceback=_shown_text(statement.want).rstrip("\n").splitlines(),
            )
        ]
    if not statement.want:
        return []
    text = _shown_text(statement.want)
    if is_displayed_value(statement.source):
        return [
            _node(
                output_type="execute_result",
                data={"text/plain": text.rstrip("\n")},
                metadata={},
                execution_count=None,
            )
        ]
    return [_node(output_type="stream", name="stdout", text=text)]


def expected_outputs(cell: CodeCell) -> list:
    """The page's outputs of all the cell's statements, in order. Printed text of consecutive
    statements is one stream, as a kernel sends it."""
    outputs: list = []
    for statement in cell.statements:
        for output in statement_outputs(statement):
            previous = outputs[-1] if outputs else None
            if output.output_type == "stream" and previous and previous.output_type == "stream":
                previous.text += output.text
            else:
                outputs.append(output)
    return outputs


# Jupyter displays only the value of a cell's last expression; Python's prompt, and so the page,
# shows every one. IPython's setting "all" displays the value of each top-level expression
# statement (in order with what the cell prints), in any IPython kernel: Jupyter, Colab, VS Code.
# It compiles each top-level statement as the prompt compiles a line (mode "single"), so an
# expression inside a ``for`` or ``with`` body shows its value as it does at the prompt.
# IPython also pretty-prints a value by default (a list longer than a line, one item a line);
# ``PlainTextFormatter.pprint = False`` shows ``repr()``, as the prompt does.
SHOW_EVERY_VALUE = (
    '%config InteractiveShell.ast_node_interactivity = "all"\n'
    "%config PlainTextFormatter.pprint = False"
)
SHOW_EVERY_VALUE_WHY = (
    "At Python's `>>>` prompt, as on the web page this notebook comes from, each expression you "
    "enter shows its value (`t.dtype` shows `torch.int64`). Jupyter shows only the value of "
    "the last expression in a cell, and lays out long values its own way. The next cell holds "
    "two Jupyter commands (`%config`, not Python) that make every expression show its value "
    "as on the page. Run it first, and again after restarting the kernel. Some cells end in "
    "an error on purpose, as on the page; `...` in a stored output stands for text the page "
    "leaves out."
)


def notebook_of(page: Page, source_name: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update(
        {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    for cell in page.cells:
        if isinstance(cell, MarkdownCell):
            notebook.cells.append(_node(cell_type="markdown", metadata={}, source=cell.text))
            continue
        if not any(c.cell_type == "code" for c in notebook.cells):
            notebook.cells.append(
                _node(cell_type="markdown", metadata={}, source=SHOW_EVERY_VALUE_WHY)
            )
            notebook.cells.append(
                _node(
                    cell_type="code",
                    metadata={},
                    execution_count=None,
                    source=SHOW_EVERY_VALUE,
                    outputs=[],
                )
            )
        code = _node(
            cell_type="code",
            metadata={},
            execution_count=None,
            source=cell.source,
            outputs=expected_outputs(cell),
        )
        code.metadata[METADATA_KEY] = {"file": source_name, "lines": [cell.line, cell.end_line]}
        if cell.raises is not None:
            # The page shows this error on purpose: "Run all" goes on past it.
            code.metadata["tags"] = ["raises-exception"]
        notebook.cells.append(code)
    # Stable cell ids: the same page gives byte-identical notebooks on every build.
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
    nbformat.validate(notebook)
    return notebook


def _comment(text: str, prefix: str = "# ") -> list[str]:
    return [(prefix + line).rstrip() for line in text.splitlines()]


def _script_steps(cell: CodeCell) -> Iterator[list[Statement]]:
    """A cell's statements as the script's ``# %%`` cells: each ends at a statement that shows
    output, since an editor's cell runner shows only a cell's last value."""
    pending: list[Statement] = []
    for statement in cell.statements:
        pending.append(statement)
        if statement.shows_output:
            yield pending
            pending = []
    if pending:
        yield pending


def script_of(page: Page, source_name: str) -> str:
    lines = [
        f"# Generated from {source_name}: each cell is one step of the page, with the",
        "# output the page shows as comments under it. Run it with `python`, or open it",
        "# as a notebook in an editor that reads `# %%` cells.",
        "",
    ]
    for cell in page.cells:
        if isinstance(cell, MarkdownCell):
            lines += ["", "# %% [markdown]", *_comment(cell.text)]
            continue
        for step in _script_steps(cell):
            lines += ["", f"# %% page line {step[-1].line}"]
            for statement in step:
                code = statement.source.rstrip()
                if statement.exc_msg is not None:
                    name, _ = exception_name(statement.exc_msg)
                    lines += [
                        "try:",
                        *("    " + line if line else "" for line in code.splitlines()),
                    ]
                    lines += [
                        f"except Exception as error:  # the page shows a {name}",
                        '    print(f"{type(error).__name__}: {error}")',
                    ]
                else:
                    lines += code.splitlines()
                if statement.want:
                    lines += _comment(_shown_text(statement.want).rstrip("\n"), "# | ")
    return "\n".join(lines).rstrip() + "\n"


def page_downloads(
    path: Path, resolver: Resolver | None = None
) -> tuple[nbformat.NotebookNode, str] | None:
    """The notebook and script of the page at ``path``, or None for a page without code."""
    text = path.read_text(encoding="utf-8")
    if not has_code(text, str(path)):
        return None
    page = convert_page(path, text, resolver)
    return notebook_of(page, path.name), script_of(page, path.name)


# -- Sphinx ---------------------------------------------------------------------------------------

DOWNLOAD_CLASS = "page-downloads"


class SphinxResolver(Resolver):
    """Cross-references resolved with the build's environment."""

    def __init__(self, app):
        self.env = app.env
        self.baseurl = (app.config.html_baseurl or "").rstrip("/")
        try:
            from sphinx.ext.intersphinx import InventoryAdapter

            self.inventory = InventoryAdapter(app.env).main_inventory
        except (ImportError, AttributeError):
            self.inventory = {}

    def _title(self, docname: str) -> str:
        title = self.env.titles.get(docname)
        return title.astext() if title is not None else docname

    def _url(self, docname: str, anchor: str = "") -> str | None:
        if not self.baseurl:
            return None
        return f"{self.baseurl}/{docname}.html" + (f"#{anchor}" if anchor else "")

    def _linked(self, text: str, url: str | None) -> str:
        return f"[{text}]({url})" if url else text

    def role(self, role: str, target: str, text: str | None) -> str:
        name = role.split(":")[-1]
        if name in PY_ROLES:
            shown = f"`{text or _python_display(target, name)}`"
            clean = target.lstrip("!~")
            for objtype, entries in self.inventory.items():
                if objtype.startswith("py:") and clean in entries:
                    entry = entries[clean]
                    uri = getattr(entry, "uri", None) or entry[2]
                    return f"[{shown}]({uri})"
            return shown
        if name == "doc":
            docname = target.strip("/")
            return self._linked(text or self._title(docname), self._url(docname))
        if name == "ref":
            labels = self.env.domaindata.get("std", {}).get("labels", {})
            if target in labels:
                docname, anchor, section = labels[target]
                return self._linked(text or section, self._url(docname, anchor))
            return text or target
        return super().role(role, target, text)

    def page_link(self, docname: str, anchor: str, text: str) -> str:
        return self._linked(text or self._title(docname), self._url(docname, anchor))


def _pages_with_code(app) -> list[str]:
    docnames = []
    for docname in sorted(app.env.found_docs):
        path = Path(app.env.doc2path(docname))
        if path.suffix == ".md" and has_code(path.read_text(encoding="utf-8"), str(path)):
            docnames.append(docname)
    return docnames


def _add_download_links(app, doctree, docname: str) -> None:
    """Under the page's title: "Download this page as a notebook / script"."""
    from docutils import nodes

    # The pages written in this build: the ones whose downloads build-finished remakes.
    if not hasattr(app, "_page_notebooks_written"):
        app._page_notebooks_written = set()
    app._page_notebooks_written.add(docname)
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md" or not has_code(path.read_text(encoding="utf-8"), str(path)):
        return
    stem = download_stem(docname)
    links = (
        '<p class="page-downloads">Download this page as a '
        f'<a href="{stem}.ipynb" download>notebook ({stem}.ipynb)</a> / '
        f'<a href="{stem}.py" download>script ({stem}.py)</a></p>'
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    raw = nodes.raw("", links, format="html")
    if section is None:
        doctree.insert(0, raw)
        return
    title_index = next(
        (i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), -1
    )
    section.insert(title_index + 1, raw)


def _write_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    resolver = SphinxResolver(app)
    written = getattr(app, "_page_notebooks_written", set())
    for docname in _pages_with_code(app):
        target = Path(app.outdir) / Path(docname).parent / download_stem(docname)
        made_before = target.with_suffix(".ipynb").is_file() and target.with_suffix(".py").is_file()
        if docname not in written and made_before:
            continue  # Sphinx did not rewrite the page: its downloads are current
        path = Path(app.env.doc2path(docname))
        try:
            made = page_downloads(path, resolver)
        except CellError as error:
            logger.warning(str(error), type="page-notebooks")
            continue
        notebook, script = made
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_if_changed(target.with_suffix(".ipynb"), nbformat.writes(notebook) + "\n")
        _write_if_changed(target.with_suffix(".py"), script)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _check_cells(app, docname, source) -> None:
    """Refuse, while the page is read, a block that cannot become a cell (file and line)."""
    from sphinx.util import logging

    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md":
        return
    try:
        if has_code(source[0], str(path)):
            convert_page(path, source[0])
    except CellError as error:
        where, _, message = str(error).partition(": ")
        line = int(where.rsplit(":", 1)[1]) if where.rsplit(":", 1)[-1].isdigit() else None
        logging.getLogger(__name__).warning(
            message, location=(docname, line), type="page-notebooks"
        )
    except ValueError:
        pass  # a malformed fence: doctest_fences reports it


def setup(app):
    app.connect("source-read", _check_cells)
    app.connect("doctree-resolved", _add_download_links)
    app.connect("build-finished", _write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


def iter_pages(docs_dir: Path) -> Iterator[Path]:
    """The pages of ``docs_dir`` that have code, in name order (for the tests)."""
    for path in sorted(docs_dir.glob("*.md")):
        if has_code(path.read_text(encoding="utf-8"), str(path)):
            yield path


__all__ = [
    "METADATA_KEY",
    "SHOW_EVERY_VALUE",
    "CellError",
    "CodeCell",
    "MarkdownCell",
    "convert_page",
    "exception_name",
    "iter_pages",
    "notebook_of",
    "page_downloads",
    "script_of",
]
