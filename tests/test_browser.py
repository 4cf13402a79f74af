"""The built site as a reader uses it, in Chromium: every page, on a desktop (light, then dark)
and on a phone.

Served on loopback under a sub-path (tests/conftest.py: ``site_url``) and opened from the file
system. Deselect with ``-m 'not browser'``.
"""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import PageVisit, Reader, doctest_flags
from sphinx.ext.doctest import doctestopt_re

# Without the `browser` dependency group (a bare `pytest` in the doctest environment, say) these
# tests are skipped with this one line; `nox -s tests` installs the group.
_NO_BROWSER_GROUP = (
    "browser tests: playwright, pytest-playwright or axe-playwright-python missing "
    "(`browser` group)"
)
pytest.importorskip("playwright.sync_api", reason=_NO_BROWSER_GROUP)
pytest.importorskip("pytest_playwright", reason=_NO_BROWSER_GROUP)
# axe-core itself, as the axe-playwright-python package ships it (injected into each page).
AXE_SCRIPT = (
    pytest.importorskip("axe_playwright_python.sync_playwright", reason=_NO_BROWSER_GROUP)
    .Axe()
    .axe_script
)

ROOT = Path(__file__).resolve().parent.parent
from fundamentals_site.doctest_fences import DOCTEST_LANGUAGES, iter_fences

pytestmark = pytest.mark.browser

DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
GENERATED_DIRS = {"auto_examples", "gen_modules"}
MAX_PAGE_BYTES = 300 * 1024
BLOCKING_AXE_IMPACTS = {"serious", "critical"}
# axe-core's colour-contrast rule measures each element that holds text against what lies behind
# it, and that is most of axe's time: a page of code holds thousands of highlighted tokens (2,069
# on saving.html), the navigation and the cheat sheet hundreds of links. Measured one by one,
# the rule took about 5 s of an 8 s axe run on saving.html, and 2 s on index.html, in each colour
# scheme and layout.
# An element's contrast is fixed by its colour, font size and weight, text shadow, whether it is
# shown, and what lies behind it: the background colours and images, opacities, filters and
# blend modes of it and every element around it. Of the elements with text of their own that
# agree in all of these, the first is marked as the sample that the rule measures (with what it
# contains); the others are counted as duplicates. Every other rule sees the whole page. (axe
# reads what lies behind an element from the rendered page, where a positioned element could
# also overlap it; axe reports that case as "needs review", which these tests do not fail on
# either way.)
MARK_CONTRAST_SAMPLES = r"""() => {
    const behind = new Map();
    const backdrop = (element) => {
        if (!element) return "";
        if (!behind.has(element)) {
            const style = getComputedStyle(element);
            const layer = [
                style.backgroundColor, style.backgroundImage, style.opacity, style.filter,
                style.mixBlendMode,
            ].join(" ");
            behind.set(element, layer + " > " + backdrop(element.parentElement));
        }
        return behind.get(element);
    };
    // A text field shows its value as text of its own (axe measures those too).
    const hasOwnText = (element) => element.matches("input, select, textarea") ||
        Array.from(element.childNodes).some(
            (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
        );
    for (const marked of document.querySelectorAll("[data-contrast-sample]")) {
        marked.removeAttribute("data-contrast-sample");  // marked before the colours changed
    }
    const seen = new Set();
    let measured = 0;
    let duplicates = 0;
    for (const element of document.body.querySelectorAll("*")) {
        if (!hasOwnText(element)) continue;
        const style = getComputedStyle(element);
        const key = [
            style.color, style.fontSize, style.fontWeight, style.textShadow,
            element.checkVisibility({opacityProperty: true, visibilityProperty: true}),
            backdrop(element),
        ].join("|");
        if (seen.has(key)) {
            duplicates += 1;
        } else {
            seen.add(key);
            element.setAttribute("data-contrast-sample", "");
            measured += 1;
        }
    }
    return {measured, duplicates, keys: Array.from(seen)};
}"""
CONTRAST_RULE = "color-contrast"
# The browsers a reader comes with: a desktop window and a phone, each first with the system in
# light mode. On the desktop the system then turns dark: furo follows the preference through CSS
# media queries, so the open page turns into the page a dark system loads (a sample of pages
# shows that it does: test_dark_after_switching_is_dark_on_load).
LIGHT, DARK = "light", "dark"
READERS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "mobile": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# A search term and the page it must land on first. Terms whose page is not in docs/ yet are
# left out; add a row when a page arrives.
SEARCH_LANDINGS = {
    "ndim": "shapes",
    "reshape": "reshaping",
    "keepdim": "norms",
    "state_dict": "saving",
}


def source_pages() -> list[str]:
    """Every HTML page the build must produce, derived from the sources (not from the build,
    so that the list exists at collection time and a missing page is a failure)."""
    pages = [
        str(path.relative_to(DOCS).with_suffix(".html"))
        for path in sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.rst")])
        if not GENERATED_DIRS & set(path.relative_to(DOCS).parts)
        and path.name != "sg_execution_times.rst"  # stale output of an older build
    ]
    pages += [
        str(Path("auto_examples") / path.relative_to(EXAMPLES).parent / "index.html")
        # sphinx-gallery: each gallery folder's header (README.txt in older layouts)
        for path in sorted([*EXAMPLES.rglob("GALLERY_HEADER.*"), *EXAMPLES.rglob("README.*")])
    ]
    pages += [
        str(Path("auto_examples") / path.relative_to(EXAMPLES).with_suffix(".html"))
        for path in sorted(EXAMPLES.rglob("plot_*.py"))
    ]
    return [*pages, "genindex.html", "search.html"]


PAGES = source_pages()


def doctest_blocks(page: str) -> list[list[doctest.Example]]:
    """The doctest examples of each ``pycon`` block of docs/<page>, in page order."""
    path = DOCS / page
    text = path.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    return [
        parser.get_examples("\n".join(fence.body) + "\n", f"{path}:{fence.start + 1}")
        for fence in iter_fences(text, str(path))
        if fence.language in DOCTEST_LANGUAGES
    ]


COPY_PAGES = [path.name for path in sorted(DOCS.glob("*.md")) if doctest_blocks(path.name)]


def served_on_site(site_url: str):
    site = urlsplit(site_url)

    def is_on_site(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        return parts.netloc == site.netloc and parts.path.startswith(site.path)

    return is_on_site


def described_with_screenshot(tab, page: str, mode: str, problems: list[str], directory: Path):
    """The problems found on ``page`` shown in ``mode``, with a screenshot of it as it is now."""
    shot = directory / f"{page.replace('/', '__')}-{mode}.png"
    tab.screenshot(path=str(shot), full_page=True)
    return f"{page} ({mode}), screenshot {shot}:\n  " + "\n  ".join(problems)


def fail_with_screenshot(tab, page: str, mode: str, problems: list[str], directory: Path):
    if problems:
        pytest.fail(described_with_screenshot(tab, page, mode, problems, directory))


def is_dark(css_color: str) -> bool:
    """Whether an opaque CSS rgb()/rgba() colour is dark; a transparent one is an error."""
    red, green, blue, *alpha = (float(v) for v in re.findall(r"[\d.]+", css_color))
    assert not alpha or alpha[0] == 1, f"the page has no background colour: {css_color}"
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 < 0.5


def test_every_built_page_is_checked(built_html):
    """The page list the browser tests use is the build's: a new kind of page is not missed."""
    built = sorted(
        str(path.relative_to(built_html))
        for path in built_html.rglob("*.html")
        if not path.relative_to(built_html).parts[0].startswith("_")
    )
    assert built == sorted(PAGES)


# Resolves when the CSS transitions running now have ended or been cancelled, or after 2 s
# (an endless animation elsewhere on the page must not hold the test).
TRANSITIONS_ENDED = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter((animation) => animation instanceof CSSTransition)
        .map((animation) => animation.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 2000)),
])"""


def turn_dark(tab) -> None:
    """The system's preference turns dark; returns once the colours have arrived: a colour
    that a CSS transition animates changes over the transition's duration."""
    tab.emulate_media(color_scheme=DARK)
    tab.evaluate(TRANSITIONS_ENDED)


def desktop_reader(reader_for, site_url, color_scheme: str = LIGHT):
    reader = reader_for(
        f"desktop-{color_scheme}",
        served_on_site(site_url),
        color_scheme=color_scheme,
        **READERS["desktop"],
    )
    reader.tab.emulate_media(color_scheme=color_scheme)  # a test before may have turned it dark
    return reader


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize("page", PAGES)
def test_page(reader_for, site_url, record_page_weight, screenshot_dir, page, kind):
    """Loads with no console error, no failed or off-site request, in the right colours, with
    no serious or critical axe-core violation, within the weight budget, and without sideways
    scrolling on a phone; on the desktop, in light mode and then in dark mode."""
    if kind == "desktop":
        reader = desktop_reader(reader_for, site_url)
    else:
        reader = reader_for(kind, served_on_site(site_url), color_scheme=LIGHT, **READERS[kind])
    visit = reader.open(site_url + page)
    tab = reader.tab
    # axe reads the page as it stands at its load event (sphinx-copybutton, furo and site.js
    # change it at DOMContentLoaded, before); the network must then settle too.
    problems = colour_problems(tab, LIGHT, contrast_only=False)
    if kind == "mobile":
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"the page scrolls sideways by {overflow}px on a phone")
    reader.settle()  # at once, as a rule: axe takes longer than the network's quiet half second
    problems += visit.problems()
    if kind == "desktop":  # everything a light load fetched: the Reader's tab keeps no cache
        weight = sum(len(response.body()) for response in visit.responses)
        record_page_weight(page, weight)
        if weight > MAX_PAGE_BYTES:
            problems.append(f"weighs {weight / 1024:.0f} KB > {MAX_PAGE_BYTES // 1024} KB")
    failures = []
    if problems:
        failures.append(
            described_with_screenshot(tab, page, f"{kind}-light", problems, screenshot_dir)
        )
    if kind == "desktop":
        # Dark mode changes colours only (furo swaps CSS variables over the same HTML and
        # layout): the rules that read the HTML and the layout have nothing new to find there.
        light_load = visit.mark()
        turn_dark(tab)
        dark_problems = colour_problems(tab, DARK, contrast_only=True)
        reader.settle()
        dark_problems += visit.problems(since=light_load)
        if dark_problems:
            failures.append(
                described_with_screenshot(tab, page, "desktop-dark", dark_problems, screenshot_dir)
            )
    if failures:
        pytest.fail("\n".join(failures))


def colour_problems(tab, color_scheme: str, contrast_only: bool) -> list[str]:
    """The page's background against the colour scheme it is shown in, and axe-core's
    serious and critical violations (axe_violations), each labelled with the scheme."""
    problems = []
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    if is_dark(background) != (color_scheme == DARK):
        problems.append(f"{color_scheme} mode shows background {background}")
    problems += [
        f"{color_scheme}: axe {v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in axe_violations(tab, contrast_only)
        if v["impact"] in BLOCKING_AXE_IMPACTS
    ]
    return problems


# Pages of each kind the site has: the start page, a topic page, the gallery's start page, an
# example, the index and the search page.
DARK_ON_LOAD_PAGES = [
    "index.html",
    "saving.html",
    "auto_examples/index.html",
    next(page for page in PAGES if page.startswith("auto_examples/") and "plot_" in page),
    "genindex.html",
    "search.html",
]


def shown_text_styles(tab) -> list[str]:
    """MARK_CONTRAST_SAMPLES's keys of the text a reader sees, in page order. (Hidden text is
    left out: Chromium may keep a colour from before the switch on an element that is not
    rendered, such as the <title> of the copy button's icon.)"""
    keys = tab.evaluate(MARK_CONTRAST_SAMPLES)["keys"]
    return [key for key in keys if key.split("|")[4] == "true"]  # the checkVisibility() field


@pytest.mark.parametrize("page", DARK_ON_LOAD_PAGES)
def test_dark_after_switching_is_dark_on_load(reader_for, site_url, page):
    """A page loaded light whose system then turns dark shows every text style on the same
    backgrounds as the page a dark system loads, and a dark system's load fetches the same
    files with no error: test_page may check dark mode on the page it loaded light. (A
    <picture> source or a script that chose by colour scheme at load would differ; the site
    has neither, and these pages would show one.)"""
    loaded_dark = desktop_reader(reader_for, site_url, DARK)
    dark_visit = loaded_dark.open(site_url + page)
    loaded_dark.settle()
    switched = desktop_reader(reader_for, site_url)
    switched_visit = switched.open(site_url + page)
    turn_dark(switched.tab)
    switched.settle()
    assert dark_visit.problems() == []
    assert sorted(r.url for r in dark_visit.responses) == sorted(
        r.url for r in switched_visit.responses
    )
    assert shown_text_styles(switched.tab) == shown_text_styles(loaded_dark.tab)
    assert is_dark(switched.tab.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_turning_dark_waits_for_colour_transitions(browser):
    """turn_dark returns when the colours have arrived, not in the middle of a transition."""
    context = browser.new_context(color_scheme=LIGHT)
    try:
        tab = context.new_page()
        tab.set_content(
            "<style>p {color: rgb(0, 0, 0); transition: color 0.3s}"
            " @media (prefers-color-scheme: dark) {p {color: rgb(255, 255, 255)}}"
            # an endless animation elsewhere does not hold turn_dark
            " @keyframes turn {to {transform: rotate(1turn)}}"
            " i {display: inline-block; animation: turn 1s infinite}</style>"
            "<p>text</p><i>*</i>"
        )
        turn_dark(tab)
        assert tab.evaluate("getComputedStyle(document.querySelector('p')).color") == (
            "rgb(255, 255, 255)"
        )
    finally:
        context.close()


def axe_violations(tab, contrast_only: bool) -> list[dict]:
    """axe-core's violations on the open page: colour contrast, each text style once
    (MARK_CONTRAST_SAMPLES), and every other rule unless ``contrast_only``.

    One axe run per page: the contrast rule's selector is narrowed to the samples
    (axe.configure), the other rules see the whole page. axe's setup (reading the page's tree
    and styles) is most of a run's time on a short page, and one run pays it once.
    """
    tab.evaluate(MARK_CONTRAST_SAMPLES)
    if tab.evaluate("typeof axe") == "undefined":
        tab.evaluate(AXE_SCRIPT)
    tab.evaluate(
        "rule => axe.configure({rules: [{id: rule, selector: '[data-contrast-sample]'}]})",
        CONTRAST_RULE,
    )
    options = {"resultTypes": ["violations"]}
    if contrast_only:
        options["runOnly"] = [CONTRAST_RULE]
    return tab.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def code_page(tokens: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><title>Tokens</title></head><body><main>'
        f"{tokens}</main></body></html>"
    )


def highlighted(spans: str) -> str:
    return f'<div class="highlight"><pre>{spans}</pre></div>'


GOOD = '<span style="color:#000">good</span> '
POOR = '<span style="color:#999">poor</span> '  # 2.8:1 on white: below the 4.5:1 of WCAG AA


def test_a_poor_contrast_code_token_among_duplicates_is_found(browser):
    """Measuring each text style once still finds the one style that fails."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content(code_page(highlighted(GOOD * 50 + POOR * 3 + GOOD * 5)))
        marked = tab.evaluate(MARK_CONTRAST_SAMPLES)
        assert (marked["measured"], marked["duplicates"]) == (2, 56)
        found = [(v["id"], len(v["nodes"])) for v in axe_violations(tab, contrast_only=True)]
        assert found == [(CONTRAST_RULE, 1)]
    finally:
        context.close()


def test_a_visible_code_token_is_measured_when_a_hidden_one_looks_the_same(browser):
    """A folded solution's tokens are hidden, and axe skips hidden text: a visible token of
    the same style elsewhere is measured on its own."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        folded = f"<details><summary>Solution</summary>{highlighted(POOR)}</details>"
        tab.set_content(code_page(folded + highlighted(POOR)))
        # the summary's text, and the poor token both folded and shown
        marked = tab.evaluate(MARK_CONTRAST_SAMPLES)
        assert (marked["measured"], marked["duplicates"]) == (3, 0)
        assert [v["id"] for v in axe_violations(tab, contrast_only=True)] == [CONTRAST_RULE]
    finally:
        context.close()


# A 1x1 GIF with no text alternative: axe's image-alt rule (critical) fails it.
IMAGE_WITHOUT_ALT = (
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==">'
)


@pytest.mark.parametrize(
    ("contrast_only", "expected"),
    [(False, ["color-contrast", "image-alt"]), (True, ["color-contrast"])],
)
def test_the_one_axe_run_applies_contrast_and_the_other_rules(browser, contrast_only, expected):
    """Narrowing the contrast rule to the samples leaves the other rules on the whole page,
    and ``contrast_only`` (dark mode) runs the contrast rule alone."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content(code_page(IMAGE_WITHOUT_ALT + highlighted(GOOD * 3 + POOR)))
        found = [
            v["id"]
            for v in axe_violations(tab, contrast_only)
            if v["impact"] in BLOCKING_AXE_IMPACTS
        ]
        assert sorted(found) == expected
    finally:
        context.close()


def test_a_text_field_with_poor_contrast_is_found(browser):
    """A form control has no text node, but its value is text: it is measured too."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        field = '<label>Your name <input style="color:#bbb" value="hello"></label>'
        tab.set_content(code_page(field))
        found = [(v["id"], v["nodes"][0]["target"]) for v in axe_violations(tab, True)]
        assert found == [(CONTRAST_RULE, ["input"])]
    finally:
        context.close()


def small_page(script: str = "") -> str:
    return (
        '<!doctype html><html lang="en"><head><title>Small</title></head>'
        f"<body><main><p>text</p></main><script>{script}</script></body></html>"
    )


def test_a_reader_reports_each_request_on_the_page_that_made_it(browser, served_pages):
    """A request made after the load event is waited for and reported on its page; a page
    that never stops requesting fails, and the next page in the same tab is clean."""
    url = served_pages(
        {
            "late.html": small_page("setTimeout(() => fetch('late-missing.json'), 300)"),
            "busy.html": small_page("setInterval(() => fetch('busy.json'), 100)"),
            "plain.html": small_page(),
        }
    )
    reader = Reader(browser, lambda address: address.startswith(url))
    try:
        late = reader.open(url + "late.html")
        reader.settle()
        assert f"failed request: {url}late-missing.json (HTTP 404)" in late.problems()
        busy = reader.open(url + "busy.html")
        with pytest.raises(AssertionError, match="kept requesting"):
            reader.settle(timeout=1)
        plain = reader.open(url + "plain.html")
        reader.settle()
        assert plain.problems() == []
        assert busy.problems()  # its own requests: busy.json is not there
    finally:
        reader.close()


def test_a_reader_empties_the_storage_of_the_page_before(browser, served_pages):
    """Sphinx's search leaves the terms to highlight in localStorage for the next page: a
    page opened after another finds none of it."""
    url = served_pages(
        {
            "writes.html": small_page("localStorage.setItem('left', 'over')"),
            "reads.html": small_page("window.found = localStorage.getItem('left')"),
        }
    )
    reader = Reader(browser, lambda address: address.startswith(url))
    try:
        reader.open(url + "writes.html")
        reader.open(url + "reads.html")
        assert reader.tab.evaluate("window.found") is None
    finally:
        reader.close()


def search_and_open_first(reader, start_url: str, term: str) -> tuple[PageVisit, str]:
    """Type ``term`` into the sidebar search box like a reader, and follow the first result.
    Returns what the visit recorded, from ``start_url`` on, and the address it landed on."""
    visit = reader.open(start_url)
    tab = reader.tab
    tab.fill("input.sidebar-search", term)
    tab.press("input.sidebar-search", "Enter")
    summary = tab.locator("#search-results p.search-summary")
    summary.filter(has_text=re.compile("Search finished|did not match")).wait_for()
    results_page = urlsplit(tab.url).path
    first = tab.locator("#search-results ul.search li a").first
    first.click()
    # The click starts a navigation; until it commits, the tab still shows the results.
    tab.wait_for_url(lambda url: urlsplit(url).path != results_page, wait_until="load")
    reader.settle()
    return visit, tab.url


def test_search_cases_exist():
    assert any((DOCS / f"{page}.md").exists() for page in SEARCH_LANDINGS.values()), (
        "none of the pages SEARCH_LANDINGS searches for exists"
    )


@pytest.mark.parametrize(
    ("term", "landing"),
    [(term, page) for term, page in SEARCH_LANDINGS.items() if (DOCS / f"{page}.md").exists()],
)
def test_search_lands_on_page(reader_for, site_url, screenshot_dir, term, landing):
    reader = desktop_reader(reader_for, site_url)
    visit, landed = search_and_open_first(reader, site_url + "index.html", term)
    problems = visit.problems()
    if landed.split("#")[0] != f"{site_url}{landing}.html":
        problems.append(f"search for {term!r} opened {landed} first, not {landing}.html")
    fail_with_screenshot(reader.tab, f"search-{term}", "light", problems, screenshot_dir)


# Pastes each copied block into a fresh Python the way the classic REPL (Python 3.11 and 3.12,
# the oldest this site supports) takes a paste: line by line, a compound statement ending only
# at an empty line, then Enter after the block. Python 3.13's REPL, IPython and Jupyter take a
# paste as one input and accept all that this one does. ``sys.ps1``/``sys.ps2`` are set, as at
# a real prompt. Reports, for every statement in order, what it printed (its echoed value
# included) and the last line of the exception it raised, if any: doctest's own exc_msg.
PASTE_RUNNER = """
import code, contextlib, io, json, sys, traceback
pasted = json.load(sys.stdin)
sys.ps1, sys.ps2 = ">>> ", "... "
statements = []
raised = []

class Console(code.InteractiveConsole):
    def showtraceback(self):
        kind, value = sys.exc_info()[:2]
        raised.append(traceback.format_exception_only(kind, value)[-1])
        super().showtraceback()

    def showsyntaxerror(self, filename=None, **kwargs):
        kind, value = sys.exc_info()[:2]
        raised.append(traceback.format_exception_only(kind, value)[-1])
        super().showsyntaxerror(filename)

console = Console({"__name__": "__main__"})
exec(pasted["setup"], console.locals)
for block in pasted["blocks"]:
    printed = io.StringIO()
    for line in [*block.splitlines(), ""]:
        had_code = bool(console.buffer) or bool(line.strip())
        del raised[:]
        with contextlib.redirect_stdout(printed):
            more = console.push(line)
        if had_code and not more:
            statements.append(
                {"printed": printed.getvalue(), "raised": raised[-1] if raised else None}
            )
            printed = io.StringIO()
print("STATEMENTS " + json.dumps(statements))
"""


def provided_names_setup(page_names) -> str:
    """Code that defines, in a fresh Python, the names the doctests get from conftest.py
    without defining them (``device``; docs/devices.md tells the reader what it is)."""
    import torch

    lines = ["import torch"]
    for name, value in sorted(page_names.items()):
        if isinstance(value, torch.device):
            lines.append(f"{name} = torch.device({str(value)!r})")
        else:
            pytest.fail(f"the doctest namespace's {name!r} cannot be set up in a fresh Python")
    return "\n".join(lines)


def code_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, without the ``# doctest: ...`` comments that Sphinx
    strips from a rendered block (trim_doctest_flags, with sphinx.ext.doctest's pattern)."""
    text = doctestopt_re.sub("", text)
    return [line.rstrip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("page", COPY_PAGES)
def test_copy_button_copies_code_that_runs(
    reader_for, site_url, tmp_path, page_names, fresh_python_with_torch, page
):
    """Each doctest block's copy button gives its code without prompts or outputs; the page's
    blocks, pasted one after another into a fresh Python prompt (PASTE_RUNNER) in which only the
    doctest namespace's names are defined, print what the page shows under each statement,
    compared as the doctests compare it, and raise exactly the errors the page shows."""
    blocks = doctest_blocks(page)
    reader = reader_for(
        "clipboard", served_on_site(site_url), permissions=["clipboard-read", "clipboard-write"]
    )
    reader.open(site_url + page.replace(".md", ".html"))
    tab = reader.tab
    # Exercise solutions are folded (<details>): a reader opens one to copy its code.
    tab.locator("details > summary").evaluate_all("els => els.forEach(s => s.click())")
    rendered = tab.locator("div.highlight-pycon")
    assert rendered.count() == len(blocks), "rendered pycon blocks differ from the page's"
    copied = []
    for index, examples in enumerate(blocks):
        # The button shows on hover; Playwright's click scrolls it into view and moves the
        # mouse onto it, and the browser delivers the click to whatever lies there. (force: no
        # waiting for the button to stand still, about 30 ms a block. The clipboard, emptied
        # after each block, holds this block's code only if the click reached its button.)
        rendered.nth(index).locator("button.copybtn").click(force=True)
        text = tab.evaluate(
            "async () => {const text = await navigator.clipboard.readText();"
            " await navigator.clipboard.writeText(''); return text}"
        )
        expected = "".join(example.source for example in examples)
        assert code_lines(text) == code_lines(expected), f"block {index + 1} of {page}"
        copied.append(text)

    returncode, stdout, stderr = fresh_python_with_torch(
        PASTE_RUNNER,
        json.dumps({"setup": provided_names_setup(page_names), "blocks": copied}),
        tmp_path,
    )
    assert returncode == 0, stderr
    statements = json.loads(stdout.rsplit("STATEMENTS ", 1)[1])
    examples = [example for block in blocks for example in block]
    assert len(statements) == len(examples), (
        f"{page}: pasted, the blocks ran as {len(statements)} statements, the page shows "
        f"{len(examples)}\n{stderr}"
    )
    checker = doctest.OutputChecker()
    differences = []
    for example, ran in zip(examples, statements, strict=True):
        where = f"docs/{page}:{example.lineno + 1}"
        flags = doctest_flags(example.options)
        if example.exc_msg is not None:
            if ran["raised"] is None or not checker.check_output(
                example.exc_msg, ran["raised"], flags
            ):
                differences.append(f"{where}: expected {example.exc_msg!r}, got {ran['raised']!r}")
        elif ran["raised"] is not None:
            differences.append(f"{where}: raised {ran['raised']!r} at the prompt")
        elif not checker.check_output(example.want, ran["printed"], flags):
            differences.append(
                f"{where}: the prompt printed {ran['printed']!r}, the page shows {example.want!r}"
            )
    assert not differences, "\n".join(differences)


def on_disk(url: str) -> bool:
    return urlsplit(url).scheme in {"file", "data"}


@pytest.mark.parametrize("page", PAGES)
def test_page_opened_from_file_system(reader_for, built_html, screenshot_dir, page):
    """Opened from disk, a page loads all it needs from disk, with no error."""
    reader = reader_for("file", on_disk)
    visit = reader.open((built_html / page).as_uri())
    reader.settle()
    fail_with_screenshot(reader.tab, page, "file", visit.problems(), screenshot_dir)


def test_search_from_file_system(reader_for, built_html, screenshot_dir):
    term, landing = next(
        (term, page) for term, page in SEARCH_LANDINGS.items() if (DOCS / f"{page}.md").exists()
    )
    reader = reader_for("file", on_disk)
    visit, landed = search_and_open_first(reader, (built_html / "index.html").as_uri(), term)
    problems = visit.problems()
    if not urlsplit(landed).path.endswith(f"/{landing}.html"):
        problems.append(f"search for {term!r} opened {landed} first, not {landing}.html")
    fail_with_screenshot(reader.tab, f"search-{term}", "file", problems, screenshot_dir)


def test_theme_toggle_switches_and_remembers(browser, site_url):
    """furo's toggle: a reader on a light system can choose dark, and it stays dark."""
    context = browser.new_context(color_scheme="light")
    try:
        tab = context.new_page()
        tab.goto(site_url + "index.html")
        for _ in range(3):  # furo cycles auto -> dark -> light (or auto -> light -> dark)
            if tab.evaluate("document.body.dataset.theme") == "dark":
                break
            tab.locator("button.theme-toggle:visible").first.click()
        tab.reload(wait_until="load")
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        assert is_dark(background), background
    finally:
        context.close()
