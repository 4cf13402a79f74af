"""Gallery downloads that run as downloaded: each carries the drawing code it imports.

The examples import their figures from one module, ``examples/shape_figures.py``, which lives
once in the repository. A reader who downloads one example's ``.py``, ``.ipynb`` or ``.zip``
(or the "download all" archives) gets a file that runs alone: when the build has finished, every
such download in the output is rewritten so that the module's code comes first, under a heading
that says where it comes from, and the example's ``from shape_figures import ...`` line goes.
The source in ``examples/`` and sphinx-gallery's own copies (and so its md5 cache) are left as
they are; only the files in ``_downloads/`` change.

- the script: the example's docstring, then the module's code as a section of its own, then the
  example, exactly as written, less the import;
- the notebook: made from that script by sphinx-gallery's own converter (so its cells are the
  ones sphinx-gallery makes), whose remaining reST roles (``:doc:``, ``:download:``, ``:func:``)
  are turned into Markdown: its text cells are Markdown, not reST;
- the zips: the same two files, and the archives of every example the same way.

The module's top-level names and the example's must not collide (the two now share one
namespace): a collision fails the build, naming the example.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

FIGURE_MODULE = "shape_figures"
ROLE_RE = re.compile(r":(?P<role>[\w:]+):`(?P<content>[^`]*)`")
EXPLICIT_RE = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


class CollisionError(ValueError):
    """The example binds a name the inlined figure module also binds."""


def _bound_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


@functools.lru_cache(maxsize=4)
def _module_names(module_source: str) -> frozenset[str]:
    """The names the figure module binds, parsed once per build, not once per example."""
    return frozenset(_bound_names(ast.parse(module_source)))


@functools.lru_cache(maxsize=4)
def _module_body(module_source: str) -> tuple[str, str]:
    """(the module's docstring, its code without the docstring)."""
    tree = ast.parse(module_source)
    docstring = ast.get_docstring(tree) or ""
    lines = module_source.splitlines()
    if docstring:
        first = tree.body[0]
        lines = lines[first.end_lineno :]
    return docstring, "\n".join(lines).strip("\n")


def standalone_source(example_source: str, module_source: str, name: str = "example") -> str:
    """The example with the figure module's code in place of its import of it."""
    tree = ast.parse(example_source)
    imports = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == FIGURE_MODULE
    ]
    if not imports:
        return example_source
    clashes = _bound_names(tree) & _module_names(module_source)
    if clashes:
        raise CollisionError(
            f"{name}: binds {', '.join(sorted(clashes))}, which {FIGURE_MODULE}.py also "
            "defines; its downloads carry that module inline, so rename them in the example"
        )
    lines = example_source.splitlines()
    for node in reversed(imports):
        del lines[node.lineno - 1 : node.end_lineno]
    docstring_node = tree.body[0]
    split = docstring_node.end_lineno if isinstance(docstring_node, ast.Expr) else 0
    _, module_code = _module_body(module_source)
    section = [
        "",
        "# %%",
        "# The drawing code",
        "# ----------------",
        f"# The figures below are drawn by the site's one drawing module, ``{FIGURE_MODULE}.py``,",
        "# included here so that this file runs on its own.",
        "",
        module_code,
        "",
    ]
    return "\n".join([*lines[:split], *section, *lines[split:]]).rstrip() + "\n"


def markdown_roles(text: str) -> str:
    """reST roles sphinx-gallery's Markdown conversion leaves in a text cell, as Markdown."""

    def convert(match: re.Match) -> str:
        content = match["content"]
        explicit = EXPLICIT_RE.match(content)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
        role = match["role"].split(":")[-1]
        if role == "doc":
            return text or f"the page *{target.strip('/')}* of the site"
        if role == "download":
            return f"`{text or Path(target).name}`"
        if role == "ref":
            return text or target
        shown = text or target.lstrip("~!")
        if target.startswith("~"):
            shown = shown.rsplit(".", 1)[-1]
        return f"`{shown}`"

    return ROLE_RE.sub(convert, text)


def notebook_source(script: str, gallery_conf: dict, target_dir: Path) -> str:
    """The notebook sphinx-gallery makes of ``script``, with Markdown text cells."""
    from sphinx_gallery import py_source_parser
    from sphinx_gallery.notebook import jupyter_notebook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.py"
        path.write_text(script, encoding="utf-8")
        _, blocks = py_source_parser.split_code_and_text_blocks(str(path))
    cleaned = []
    for block in blocks:
        content = py_source_parser.remove_ignore_blocks(block.content)
        if gallery_conf.get("remove_config_comments"):
            content = py_source_parser.remove_config_comments(content)
        cleaned.append(py_source_parser.Block(block.type, content, block.lineno))
    if cleaned and cleaned[-1].content.isspace():
        cleaned.pop()
    notebook = jupyter_notebook(cleaned, gallery_conf, str(target_dir))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = [markdown_roles("".join(cell["source"]))]
    return json.dumps(notebook, indent=2) + "\n"


def _zip_bytes(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


class Standalone:
    """The standalone versions of the gallery's examples, made once per build.

    With ``cache`` (a file in Sphinx's doctree folder, which persists between builds like the
    environment), they are made again only when an example, the figure module or this module
    changed: Sphinx copies the original downloads over them on every build, so a no-op
    rebuild must rewrite them, but need not remake them (0.7 s of its 3.5).
    """

    def __init__(
        self, examples_dir: Path, gallery_conf: dict, target_dir: Path, cache: Path | None = None
    ):
        self.module_source = (examples_dir / f"{FIGURE_MODULE}.py").read_text(encoding="utf-8")
        self.gallery_conf = gallery_conf
        self.target_dir = target_dir
        self.scripts: dict[str, str] = {}
        self.notebooks: dict[str, str] = {}
        examples = sorted(examples_dir.rglob("plot_*.py"))
        key = hashlib.sha256(
            "\0".join(
                [
                    Path(__file__).read_text(encoding="utf-8"),
                    self.module_source,
                    repr(bool(gallery_conf.get("remove_config_comments"))),
                    *(f"{path}\0{path.read_text(encoding='utf-8')}" for path in examples),
                ]
            ).encode("utf-8")
        ).hexdigest()
        if cache is not None and cache.is_file():
            cached = json.loads(cache.read_text(encoding="utf-8"))
            if cached.get("key") == key:
                self.scripts, self.notebooks = cached["scripts"], cached["notebooks"]
                return
        for example in examples:
            script = standalone_source(
                example.read_text(encoding="utf-8"), self.module_source, str(example)
            )
            self.scripts[example.name] = script
            self.notebooks[example.stem + ".ipynb"] = notebook_source(
                script, gallery_conf, target_dir
            )
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(
                json.dumps({"key": key, "scripts": self.scripts, "notebooks": self.notebooks}),
                encoding="utf-8",
            )

    def replacement(self, name: str) -> str | None:
        return self.scripts.get(name) or self.notebooks.get(name)

    def rewrite_zip(self, path: Path) -> None:
        with zipfile.ZipFile(path) as original:
            entries = []
            for info in original.infolist():
                data = original.read(info)
                new = self.replacement(Path(info.filename).name)
                entries.append((info, new.encode("utf-8") if new is not None else data))
        rewritten = _zip_bytes(entries)
        if rewritten != path.read_bytes():
            path.write_bytes(rewritten)


def _write_if_changed(path: Path, text: str) -> None:
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def make_downloads_standalone(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    gallery_conf = app.config.sphinx_gallery_conf
    examples_dir = Path(gallery_conf["examples_dirs"])
    downloads = Path(app.outdir) / "_downloads"
    if not downloads.is_dir():
        return
    try:
        standalone = Standalone(
            examples_dir,
            gallery_conf,
            Path(app.srcdir),
            cache=Path(app.doctreedir) / "standalone-downloads.json",
        )
    except CollisionError as error:
        raise ExtensionError(str(error)) from None
    for path in sorted(downloads.glob("*/*")):
        if path.suffix == ".zip":
            standalone.rewrite_zip(path)
            continue
        new = standalone.replacement(path.name)
        if new is not None:
            _write_if_changed(path, new)


def notebook_of_the_figure_module(app) -> None:
    """Give the gallery's copy of the figure module a notebook beside it.

    With ``download_all_examples``, sphinx-gallery zips a notebook for every ``.py`` in the
    gallery folder, the figure module's copy (``copyfile_regex``) included, and fails when that
    notebook does not exist. The module's notebook holds its docstring and its code.
    """
    from sphinx_gallery.notebook import jupyter_notebook

    gallery_conf = app.config.sphinx_gallery_conf
    module = Path(gallery_conf["examples_dirs"]) / f"{FIGURE_MODULE}.py"
    gallery_dir = Path(app.srcdir) / gallery_conf["gallery_dirs"]
    docstring, code = _module_body(module.read_text(encoding="utf-8"))
    from sphinx_gallery.py_source_parser import Block

    blocks = [Block("text", docstring, 1), Block("code", code, 1)]
    notebook = jupyter_notebook(blocks, {**gallery_conf, "first_notebook_cell": None,
                                         "last_notebook_cell": None}, str(gallery_dir))  # fmt: skip
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = [markdown_roles("".join(cell["source"]))]
    gallery_dir.mkdir(parents=True, exist_ok=True)
    target = gallery_dir / f"{FIGURE_MODULE}.ipynb"
    text = json.dumps(notebook, indent=2) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app):
    # Before sphinx-gallery's own handler (default priority 500) zips the gallery.
    app.connect("builder-inited", notebook_of_the_figure_module, priority=450)
    # Before reproducible_zips restamps every zip (default priority 500).
    app.connect("build-finished", make_downloads_standalone, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
