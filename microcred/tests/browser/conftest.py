"""Browser tests: real Chromium driven by Playwright against the live test server.

Each page a test visits is checked with axe-core (WCAG 2.2 A/AA and best practices)
and must log no console errors (a CSP violation is one). Chromium comes from the
system (Debian's `chromium`); without it these tests skip, unless
MICROCRED_REQUIRE_BROWSER=1 (set by CI) makes its absence a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCREENSHOTS = os.environ.get("MICROCRED_SCREENSHOTS", "")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MICROCRED_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


class Visitor:
    """One person's browser tab, with the checks every page must pass."""

    def __init__(
        self, browser: Any, base_url: str, *, width: int = 1280, height: int = 900
    ) -> None:
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.audited: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # A page answered with 400 or 404 on purpose logs its own status; anything else counts.
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url") == self.page.url
        ):
            return
        self.errors.append(f"{message.text} ({message.location.get('url')})")

    def goto(self, path: str) -> Any:
        self.page.goto(path)
        self.check()
        return self.page

    def check(self) -> None:
        """axe-core must find no violation, and the console must stay clean."""
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("networkidle")
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        detail = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        )
        assert not violations, f"axe-core on {self.page.url}:\n{detail}"
        assert not self.errors, f"console errors on {self.page.url}: {self.errors}"
        self.audited.append(self.page.url)

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.check()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state()

    def screenshot(self, name: str, *, full_page: bool = True) -> None:
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, live_server) -> Iterator[Any]:
    opened: list[Visitor] = []

    def open_tab(**kwargs: Any) -> Visitor:
        visitor = Visitor(browser, live_server.url, **kwargs)
        opened.append(visitor)
        return visitor

    yield open_tab
    for visitor in opened:
        visitor.close()
