"""Where a doctest lives in a Markdown page, and what makes a code fence malformed.

Python's doctest parser does not know Markdown: an expected output runs on into the closing
fence that follows it. Rather than ask every author for a blank line before each fence (which
then renders as an empty line), the collection step is taught where a fence ends: only the
lines inside ``pycon`` fences are shown to doctest, everything else is blanked, and line numbers
are kept so that a failure points at the right line of the ``.md`` file.

The same checks run in two places, so that a malformed block fails both commands a contributor
uses: pytest (``conftest.py`` installs :class:`MarkdownDocTestParser`) and the Sphinx build
(this module is also a Sphinx extension that warns, and ``-W`` turns warnings into errors).
"""

from __future__ import annotations

import doctest
import re
from collections.abc import Iterator
from dataclasses import dataclass

FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")

# Fences that hold a doctest: rendered as a console session, run by pytest.
DOCTEST_LANGUAGES = {"pycon"}
# Fences whose code is Python but that no doctest would run: refused.
UNTESTED_PYTHON_LANGUAGES = {"", "python", "py", "python3", "ipython"}
# MyST directives that show code in the language their argument names: ```{code-block} python
# is as untested as ```python.
CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "code-cell"}
# A doctest directive that keeps an example from running (or from being compared). Sphinx strips
# `# doctest: ...` comments from the rendered block, so a skipped example looks exactly like a
# checked one: refused on pages.
UNRUN_DIRECTIVE_RE = re.compile(r"#\s*doctest:.*?[+](SKIP)\b")


@dataclass(frozen=True)
class Fence:
    language: str
    argument: str  # the word after a directive's name: ```{code-block} python -> "python"
    start: int  # 0-based index of the opening fence line
    end: int  # 0-based index of the closing fence line
    body: list[str]


class MalformedBlock(ValueError):
    """A code fence that would be untested, or would render wrongly, at ``path``:``line``
    (1-based); ``message`` says what is wrong and what to write instead."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


def iter_fences(text: str, path: str) -> Iterator[Fence]:
    """Yield every fenced code block in ``text``, in order; raises on an unclosed fence."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = FENCE_RE.match(lines[index])
        if not match:
            index += 1
            continue
        marker = match["fence"]
        words = match["info"].strip().split()
        language = words[0].strip("{}") if words else ""
        argument = words[1] if len(words) > 1 and words[0].startswith("{") else ""
        closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if end == len(lines):
            raise MalformedBlock(
                path,
                index + 1,
                f"code fence opened here is never closed; close it with a line of {marker}",
            )
        yield Fence(language, argument, index, end, lines[index + 1 : end])
        index = end + 1


def check_fence(fence: Fence, path: str) -> None:
    """Raise :class:`MalformedBlock` naming the file and line if ``fence`` is written wrongly."""
    line = fence.start + 1
    has_prompt = any(line.lstrip().startswith(">>>") for line in fence.body)
    if fence.language in DOCTEST_LANGUAGES:
        if not has_prompt:
            raise MalformedBlock(
                path,
                line,
                "a pycon block with no '>>> ' prompt tests nothing; "
                "write the code as an interactive session with '>>> ' and '... ' prompts",
            )
        if fence.body and not fence.body[-1].strip():
            raise MalformedBlock(
                path,
                line,
                "blank line before the closing fence; remove it: it renders as an "
                "empty line, and the fence already ends the expected output",
            )
        if fence.body and not fence.body[0].lstrip().startswith(">>>"):
            raise MalformedBlock(
                path, line, "a pycon block must start with a '>>> ' prompt, not output or prose"
            )
        check_prompts(fence, path)
        check_pastable(fence, path)
        check_every_example_runs(fence, path)
    elif fence.language in CODE_DIRECTIVES and fence.argument in UNTESTED_PYTHON_LANGUAGES:
        raise MalformedBlock(
            path,
            line,
            f"a {{{fence.language}}} {fence.argument or '(no language)'} block shows Python "
            "that no doctest runs; write it as a ```pycon session with '>>> ' prompts",
        )
    elif fence.language in UNTESTED_PYTHON_LANGUAGES:
        label = fence.language or "(no language)"
        hint = (
            "it holds '>>>' prompts, so mark the fence ```pycon"
            if has_prompt
            else "no doctest runs it; write it as a ```pycon session with '>>> ' prompts "
            "and the output that torch prints"
        )
        raise MalformedBlock(path, line, f"code fence {label!r}: {hint}")


def check_every_example_runs(fence: Fence, path: str) -> None:
    """Raise :class:`MalformedBlock` at a ``# doctest: +SKIP``: a page shows no code it does not
    run. (What to do instead is in README.md, "Working on the pages".)"""
    for offset, line in enumerate(fence.body):
        if UNRUN_DIRECTIVE_RE.search(line):
            raise MalformedBlock(
                path,
                fence.start + offset + 2,
                "'# doctest: +SKIP' shows code as if it ran, but it is never run or checked (the "
                "rendered page hides the directive); run it, or show it as prose or a ```text "
                "block that makes no claim to have run",
            )


def check_prompts(fence: Fence, path: str) -> None:
    """Raise :class:`MalformedBlock` at a prompt with no space after it (``>>>x = 1``).

    doctest refuses such a line too, but names neither the page's path nor its fence; here the
    build and the tests say the same thing. As in doctest, a ``...`` line is a prompt only when
    it continues the code above it; elsewhere it is output (an ellipsis, a traceback's ``...``).
    """
    in_code = False
    for offset, line in enumerate(fence.body):
        text = line.lstrip()
        prompt = (
            ">>>"
            if text.startswith(">>>")
            else "..."
            if in_code and text.startswith("...")
            else None
        )
        in_code = prompt is not None
        if prompt and len(text) > 3 and text[3] != " ":
            raise MalformedBlock(
                path,
                fence.start + offset + 2,
                f"no space after the {prompt!r} prompt in {line.strip()!r}; "
                f"write {prompt + ' ' + text[3:]!r}",
            )


COMPOUND_RE = re.compile(r">>> (?:async\s+)?(?:def|class|for|while|if|with|try|@)\b")


def check_pastable(fence: Fence, path: str) -> None:
    """Raise :class:`MalformedBlock` where a block pasted into Python's classic REPL (3.11 and
    3.12, which the copy button's users paste into) would fail though its doctest passes.

    That REPL ends a compound statement (``def``, ``for``, ``with``...) only at an empty line:
    a bare ``...`` inside one ends it early, and code right after one is a SyntaxError. The
    copy button turns a bare ``...`` into that empty line.
    """
    body = fence.body
    index = 0
    while index < len(body):
        if not COMPOUND_RE.match(body[index].lstrip()):
            index += 1
            continue
        start, index = index, index + 1
        while index < len(body) and body[index].lstrip().startswith("..."):
            bare = body[index].strip() == "..."
            if bare and index + 1 < len(body) and body[index + 1].lstrip().startswith("... "):
                raise MalformedBlock(
                    path,
                    fence.start + index + 2,
                    f"a bare '...' inside the statement that starts on line "
                    f"{fence.start + start + 2} ends it when the block is pasted into Python's "
                    "REPL; remove it",
                )
            index += 1
        if index < len(body) and body[index - 1].strip() != "...":
            raise MalformedBlock(
                path,
                fence.start + index + 1,
                f"end the statement that starts on line {fence.start + start + 2} with a bare "
                "'...' line: pasted into Python's REPL, what follows it would otherwise be a "
                "SyntaxError",
            )


def doctest_text(text: str, path: str) -> str:
    """``text`` with every line outside a pycon fence blanked; line numbers are kept."""
    lines = text.splitlines()
    kept = [""] * len(lines)
    for fence in iter_fences(text, path):
        check_fence(fence, path)
        if fence.language in DOCTEST_LANGUAGES:
            kept[fence.start + 1 : fence.end] = fence.body
    return "\n".join(kept) + "\n"


class MarkdownDocTestParser(doctest.DocTestParser):
    """A DocTestParser that reads only the pycon fences of a Markdown file."""

    def get_doctest(self, string, globs, name, filename, lineno):
        if filename and str(filename).endswith(".md"):
            string = doctest_text(string, str(filename))
        return super().get_doctest(string, globs, name, filename, lineno)


def _check_markdown_source(app, docname, source):
    from sphinx.util import logging

    path = app.env.doc2path(docname)
    if not str(path).endswith(".md"):
        return
    try:
        for fence in iter_fences(source[0], str(path)):
            check_fence(fence, str(path))
    except MalformedBlock as error:
        logging.getLogger(__name__).warning(
            error.message, location=(docname, error.line), type="doctest-fences"
        )


def _render_blanklines(app, doctree):
    """Show doctest's ``<BLANKLINE>`` marker as the empty line torch really printed."""
    from docutils import nodes

    for block in doctree.findall(nodes.literal_block):
        if block.get("language") in DOCTEST_LANGUAGES and "<BLANKLINE>" in block.astext():
            text = "\n".join(
                "" if line.strip() == "<BLANKLINE>" else line
                for line in block.astext().splitlines()
            )
            block.children = [nodes.Text(text)]
            block.rawsource = text


def setup(app):
    app.connect("source-read", _check_markdown_source)
    app.connect("doctree-read", _render_blanklines)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
