"""Helpers for the tests of the site (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import doctest
import os
import subprocess
import sys
import time
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

    def mark(self) -> tuple[int, int, int]:
        """Where the records stand now: ``problems(since=...)`` leaves out what came before."""
        return len(self.console_errors), len(self.failed_requests), len(self.off_site_requests)

    def problems(self, since: tuple[int, int, int] = (0, 0, 0)) -> list[str]:
        console, failed, off_site = since
        return [
            *(f"console error: {text}" for text in self.console_errors[console:]),
            *(f"failed request: {text}" for text in self.failed_requests[failed:]),
            *(f"request outside the site: {url}" for url in self.off_site_requests[off_site:]),
        ]


# A page has finished loading when no request has been in flight for this long: Playwright's
# "networkidle" uses the same half second, but marks it once per navigation only.
QUIET_SECONDS = 0.5
# A page that keeps the network busy longer fails (Reader.settle).
SETTLE_TIMEOUT_SECONDS = 30


class Reader:
    """A browser tab, in a context of its own (``context_options``: colour scheme, viewport,
    permissions), that records into ``visit`` the console errors and failed requests of the
    page it shows, and blocks and records every request for which ``is_on_site`` is false.

    One Reader shows page after page: each page is opened afresh (``open``), and the page
    before is left first, so that nothing of it reaches the next page's visit."""

    def __init__(self, browser, is_on_site, **context_options):
        self._browser = browser
        self._is_on_site = is_on_site
        self._context_options = context_options
        self._start()

    def _start(self) -> None:
        self.context = self._browser.new_context(**self._context_options)
        self.tab = self.context.new_page()
        self.visit = PageVisit()
        self._in_flight: set = set()
        self._last_network_event = time.monotonic()

        def route(route_request):
            if self._is_on_site(route_request.request.url):
                route_request.continue_()
            else:
                self.visit.off_site_requests.append(route_request.request.url)
                route_request.abort()

        # Routing every request also turns the browser's cache off (microsoft/playwright#7220):
        # every page loads all it needs, as on a first visit, even in a tab that showed others.
        self.context.route("**/*", route)
        self.tab.on("console", lambda msg: msg.type == "error" and self._console_error(msg.text))
        self.tab.on("pageerror", lambda error: self._console_error(str(error)))
        self.tab.on("request", self._request)
        self.tab.on("requestfinished", self._request_ended)
        self.tab.on("requestfailed", self._request_failed)
        self.tab.on("response", self._response)

    def _console_error(self, text: str) -> None:
        self.visit.console_errors.append(text)

    def _request(self, request) -> None:
        self._in_flight.add(request)
        self._last_network_event = time.monotonic()

    def _request_ended(self, request) -> None:
        self._in_flight.discard(request)
        self._last_network_event = time.monotonic()

    def _request_failed(self, request) -> None:
        self._request_ended(request)
        if request.url not in self.visit.off_site_requests:
            self.visit.failed_requests.append(f"{request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.ok:
            self.visit.responses.append(response)
        else:
            self.visit.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def open(self, url: str) -> PageVisit:
        """Show ``url`` (until its load event) and return what this page's visit records."""
        self._leave()
        self.visit = PageVisit()
        self._in_flight = set()
        self.tab.goto(url, wait_until="load")
        return self.visit

    def _leave(self) -> None:
        """End the page shown before, while its own visit still records: its storage is
        emptied (Sphinx's search leaves the terms to highlight there for the next page) and
        what it still has in flight is cancelled. A tab that no longer answers is replaced."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.tab.evaluate(
                "() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }"
            )
            self.tab.goto("about:blank")
        except PlaywrightError:
            self.close()
            self._start()

    def settle(self, timeout: float = SETTLE_TIMEOUT_SECONDS) -> None:
        """Return once no request has been in flight for QUIET_SECONDS: at once if the checks
        made on the page took longer. Fails, naming them, if requests go on for ``timeout``
        seconds."""
        deadline = time.monotonic() + timeout
        while self._in_flight or time.monotonic() - self._last_network_event < QUIET_SECONDS:
            if time.monotonic() > deadline:
                busy = sorted(request.url for request in self._in_flight) or "one after another"
                raise AssertionError(f"the page kept requesting for {timeout} s: {busy}")
            self.tab.wait_for_timeout(50)  # Playwright delivers the tab's events meanwhile

    def close(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):  # the browser has gone: nothing to close
            self.context.close()
