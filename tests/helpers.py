"""Helpers for the tests of the site (fixtures live in conftest.py)."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def doctest_flags(options: dict[int, bool] | None = None) -> int:
    """The flags doctest compares an example with: pytest's ``doctest_optionflags`` from
    pyproject.toml, then the example's own ``# doctest:`` options. The copy-button and notebook
    tests compare what a reader's prompt or kernel printed under the same rules."""
    names = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]["doctest_optionflags"]
    flags = 0
    for name in names:
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    for flag, enabled in (options or {}).items():
        flags = flags | flag if enabled else flags & ~flag
    return flags


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str


def run_pytest(root: Path, *args: str) -> Run:
    """Run pytest on the copy of the site at ``root``, with that copy's own configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )
    return Run(result.returncode, result.stdout + result.stderr)


@dataclass
class PageVisit:
    """What the browser saw while one page loaded."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    off_site_requests: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)

    def problems(self) -> list[str]:
        return [
            *(f"console error: {text}" for text in self.console_errors),
            *(f"failed request: {text}" for text in self.failed_requests),
            *(f"request outside the site: {url}" for url in self.off_site_requests),
        ]


class Reader:
    """A browser tab, in a context of its own (``context_options``: colour scheme, viewport,
    permissions), that records into ``visit`` the console errors and failed requests of the
    page it shows, and blocks and records every request for which ``is_on_site`` is false."""

    def __init__(self, browser, is_on_site, **context_options):
        self.context = browser.new_context(**context_options)
        self.tab = self.context.new_page()
        self.visit = PageVisit()
        self._opened = False

        def route(route_request):
            if is_on_site(route_request.request.url):
                route_request.continue_()
            else:
                self.visit.off_site_requests.append(route_request.request.url)
                route_request.abort()

        # Routing every request also turns the browser's cache off (microsoft/playwright#7220):
        # every page loads all it needs, as on a first visit, even in a tab that showed others.
        self.context.route("**/*", route)
        self.tab.on("console", lambda msg: msg.type == "error" and self._console_error(msg.text))
        self.tab.on("pageerror", lambda error: self._console_error(str(error)))
        self.tab.on("requestfailed", self._request_failed)
        self.tab.on("response", self._response)

    def _console_error(self, text: str) -> None:
        self.visit.console_errors.append(text)

    def _request_failed(self, request) -> None:
        if request.url not in self.visit.off_site_requests:
            self.visit.failed_requests.append(f"{request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.ok:
            self.visit.responses.append(response)
        else:
            self.visit.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def open(self, url: str) -> PageVisit:
        """Show ``url`` (until its load event) and return what this page's visit records."""
        if self._opened:  # the previous page's requests end before this page's visit begins
            self.tab.wait_for_load_state("networkidle")
        self._opened = True
        self.visit = PageVisit()
        self.tab.goto(url, wait_until="load")
        return self.visit

    def close(self) -> None:
        self.context.close()
