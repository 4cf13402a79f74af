"""Every page has a meta description written for it, and every image its width and height.

Descriptions
    A Markdown page gives its own in its front matter (``myst: html_meta: description: ...``),
    which MyST turns into the page's ``<meta name="description">``. A gallery page is described
    by its example: the first paragraph of the script's docstring (the text under its title);
    a gallery folder's page by the first paragraph of its ``GALLERY_HEADER.rst``. The index and
    search pages, which no source describes, get theirs from ``GENERATED_PAGES``. A page left
    without one is a build warning naming its source file, which ``-W`` makes an error.

Image sizes
    An ``<img>`` without ``width`` and ``height`` lets the page jump as the image arrives (layout
    shift). Each one is given the picture's real size in pixels, read with Pillow; the theme's
    CSS (``max-width: 100%; height: auto``) still scales it, keeping that aspect ratio. An image
    whose file cannot be found is a build warning.
"""

from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MAX_DESCRIPTION = 160
GENERATED_PAGES = {
    "genindex": "Index of every API name the pages of PyTorch Fundamentals, Checked link to.",
    "search": "Search the pages and gallery examples of PyTorch Fundamentals, Checked.",
}


# -- descriptions ------------------------------------------------------------------------------


class _MetaDescriptionFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = False

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.found = True


def has_description(metatags: str) -> bool:
    finder = _MetaDescriptionFinder()
    finder.feed(metatags)
    return finder.found


def first_paragraph(rst: str) -> str:
    """The first paragraph after a reStructuredText title, as plain text."""
    lines = rst.strip().splitlines()
    # Skip the title (and its over/underline), then blank lines.
    index = 0
    while index < len(lines) and (not lines[index].strip() or _is_adornment(lines[index])):
        index += 1
    index += 1  # the title itself
    while index < len(lines) and (not lines[index].strip() or _is_adornment(lines[index])):
        index += 1
    paragraph = []
    while index < len(lines) and lines[index].strip():
        paragraph.append(lines[index].strip())
        index += 1
    return plain_text(" ".join(paragraph))


def _is_adornment(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 3 and len(set(stripped)) == 1 and not stripped[0].isalnum()


def plain_text(rst: str) -> str:
    """Inline reStructuredText as a reader sees it: roles, literals and emphasis unwrapped."""
    text = re.sub(r":[\w:]+:`~?([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", rst)  # :role:`text <target>`
    text = re.sub(r"`([^`<]*?)\s*(?:<[^>]*>)?`_{1,2}", r"\1", text)  # `link <url>`_
    text = text.replace("``", "").replace("**", "").replace("*", "")
    return " ".join(text.split())


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """Whole sentences that fit ``limit``; else the first sentence cut at a word, with '…'."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def gallery_source(app: Sphinx, pagename: str) -> Path | None:
    """The example script or gallery header a gallery page was made from."""
    conf = app.config.sphinx_gallery_conf
    gallery_dir = conf["gallery_dirs"]
    if not isinstance(gallery_dir, str) or not pagename.startswith(f"{gallery_dir}/"):
        return None
    relative = Path(pagename.removeprefix(f"{gallery_dir}/"))
    examples_dir = Path(conf["examples_dirs"])
    if relative.name == "index":
        return next(iter(sorted((examples_dir / relative.parent).glob("GALLERY_HEADER.*"))), None)
    script = examples_dir / relative.with_suffix(".py")
    return script if script.is_file() else None


def gallery_description(app: Sphinx, pagename: str) -> str | None:
    """The description of a gallery page, from the example or gallery header it was made from."""
    source = gallery_source(app, pagename)
    if source is None:
        return None
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".py":
        text = ast.get_docstring(ast.parse(text)) or ""
    paragraph = first_paragraph(text)
    return shorten(paragraph) if paragraph else None


def add_description(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    metatags = context.get("metatags", "")
    if has_description(metatags):
        return
    description = GENERATED_PAGES.get(pagename) or gallery_description(app, pagename)
    if description is None:
        if doctree is not None:
            source = gallery_source(app, pagename)
            logger.warning(
                f"{source}: no first paragraph under its title to describe the page"
                if source
                else "page has no meta description: give it front matter "
                "(myst: html_meta: description: ...)",
                location=pagename,
                type="page-meta",
            )
        return
    context["metatags"] = (
        f'{metatags}<meta name="description" content="{html.escape(description)}" />\n'
    )


# -- image sizes ---------------------------------------------------------------------------------


class _ImageTags(HTMLParser):
    """Where each ``<img>`` start tag is in a piece of HTML, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.images: list[tuple[int, int, str, dict[str, str | None]]] = []
        self._line_starts = [0]

    def feed_all(self, text: str) -> None:
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._record(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._record(tag, attrs)

    def _record(self, tag, attrs):
        if tag != "img":
            return
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        source = self.get_starttag_text() or ""
        self.images.append((start, start + len(source), source, dict(attrs)))


def _image_files(app: Sphinx) -> dict[str, Path]:
    """Output image name -> the file it is copied from (images Sphinx itself copies)."""
    return {name: Path(app.srcdir) / source for source, name in app.builder.images.items()}


def size_images(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    body = context.get("body")
    if not body or "<img" not in body:
        return
    parser = _ImageTags()
    parser.feed_all(body)
    sources = _image_files(app)
    pieces, last = [], 0
    for start, end, source, attrs in parser.images:
        if attrs.get("width") and attrs.get("height"):
            continue
        name = Path((attrs.get("src") or "").split("?")[0]).name
        path = sources.get(name) or Path(app.outdir) / app.builder.imagedir / name
        if not path.is_file():
            logger.warning(
                f"image {attrs.get('src')!r}: no file to read its size from",
                location=pagename,
                type="page-meta",
            )
            continue
        from PIL import Image

        with Image.open(path) as image:
            width, height = image.size
        if body[start:end] != source:  # the parser's position is off: leave the tag alone
            logger.warning(f"image {attrs.get('src')!r}: tag not found", location=pagename)
            continue
        closing = "/>" if source.rstrip().endswith("/>") else ">"
        opening = source.rstrip()[: -len(closing)].rstrip()
        pieces += [body[last:start], f'{opening} width="{width}" height="{height}" {closing}']
        last = end
    if pieces:
        context["body"] = "".join([*pieces, body[last:]])


def setup(app: Sphinx):
    app.connect("html-page-context", add_description)
    app.connect("html-page-context", size_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
