"""Walk every page each demo login can open, in real Chromium, on a desktop and a phone.

    .venv/bin/python -m scripts.sweep --out /tmp/sweep
    .venv/bin/python -m scripts.sweep --out /tmp/sweep --only ana@riverbend.example,anonymous

Loads the demo into a throw-away data directory and serves it (as scripts/screenshots.py
does), then for each demo login (and an anonymous visitor) signs in through the sign-in
form and walks breadth-first from the home page along every same-site link, at most
``--per-name`` addresses per Django URL name (the studio's part editors and the
reflection phases count per part). Sign-out, downloads, JSON/images, the Django admin
and links to POST-only actions are skipped. Each page is then opened on a desktop
(1366x900) and a phone (390x844) and recorded: HTTP status, axe-core violations, sideways
overflow, console errors, and a full-page screenshot. A table per login is printed and
everything is written to OUT/report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scripts.demo_server import start_server

ROOT = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
# URL names never followed: they sign out, download a file, answer with JSON or an image,
# or only take a POST (a link to one would be a bug the sweep reports as 405 instead).
SKIP_NAMES = re.compile(
    r"(logout|healthz|favicon|did$|status-list|image|ob2|json|png|svg|qr|resource$"
    r"|evidence-file|upload|answer|resource-tick|verify-api|badge-preview"
    r"|remove|revoke|reinstate|reissue|renew|withdraw|discard|retire|submit$|decline"
    r"|key-compromised|notification-open)"
)
# Keyword arguments that name a different page rather than a different object.
DISTINCT_KWARGS = ("part", "phase")


@dataclass
class Visit:
    url: str
    name: str
    size: str
    status: int | None = None
    content_type: str = ""
    title: str = ""
    violations: list[str] = field(default_factory=list)
    overflow: int = 0
    console: list[str] = field(default_factory=list)
    screenshot: str = ""
    error: str = ""


def url_key(path: str) -> tuple[str, str]:
    """(URL name, de-duplication key) of a same-site path; name '' if it resolves nowhere."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return "", path
    extra = ",".join(f"{k}={match.kwargs[k]}" for k in DISTINCT_KWARGS if k in match.kwargs)
    return match.view_name, f"{match.view_name}[{extra}]"


def links_on(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], main a[href], footer a[href]",
        "els => els.filter(e => !e.hasAttribute('download')).map(e => e.href)",
    )
    out = []
    for href in hrefs:
        href, _fragment = urldefrag(href)
        if not href.startswith(base + "/"):
            continue
        out.append(href[len(base) :])
    return out


class Tab:
    def __init__(self, browser: Any, base: str, size: str) -> None:
        width, height = SIZES[size]
        self.size = size
        self.context = browser.new_context(
            base_url=base, viewport={"width": width, "height": height}, accept_downloads=False
        )
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # A page answered with 4xx on purpose logs its own status; the status column shows it.
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url") == self.page.url
        ):
            return
        self.console.append(f"{message.text} ({message.location.get('url')})")

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        if "/accounts/login/" in self.page.url:
            raise SystemExit(f"Could not sign in as {email}")

    def visit(self, path: str, name: str, shots: Path, slug: str) -> Visit:
        from axe_playwright_python.sync_playwright import Axe

        record = Visit(url=path, name=name, size=self.size)
        self.console = []
        try:
            response = self.page.goto(path)
        except Exception as error:  # a download starting, a crash: recorded, not fatal
            record.error = str(error).splitlines()[0]
            return record
        if response is not None:
            record.status = response.status
            record.content_type = response.headers.get("content-type", "")
        if "text/html" not in record.content_type:
            return record
        self.page.wait_for_load_state("networkidle")
        record.title = self.page.title()
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        record.violations = [
            f"{v['id']} ({v['impact']}) x{len(v['nodes'])}: {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        record.overflow = max(
            0,
            self.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth"),
        )
        record.console = list(self.console)
        shot = shots / f"{slug}-{self.size}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        record.screenshot = str(shot)
        return record

    def close(self) -> None:
        self.context.close()


def crawl(tab: Tab, base: str, per_name: int, limit: int) -> list[tuple[str, str]]:
    """Breadth-first from the home page: (path, URL name) of every page to look at."""
    seen_paths: set[str] = set()
    per_key: dict[str, int] = {}
    found: list[tuple[str, str]] = []
    queue: deque[str] = deque(["/"])
    while queue and len(found) < limit:
        path = queue.popleft()
        if path in seen_paths:
            continue
        seen_paths.add(path)
        name, key = url_key(path)
        if name and (SKIP_NAMES.search(name) or name.startswith("admin:")):
            continue
        if per_key.get(key, 0) >= per_name:
            continue
        try:
            response = tab.page.goto(path)
        except Exception as error:  # a download starting: not a page
            print(f"  not a page: {path} ({str(error).splitlines()[0]})")
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_key[key] = per_key.get(key, 0) + 1
        found.append((path, name or "(unresolved)"))
        for link in links_on(tab.page, base):
            if link not in seen_paths:
                queue.append(link)
    return found


def slugify(path: str) -> str:
    text = re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-") or "home"
    return text[:90]


def table(login: str, visits: list[Visit]) -> str:
    lines = [f"\n== {login}: {len({v.url for v in visits})} pages"]
    lines.append(f"{'size':7} {'st':>3} {'axe':>3} {'ovf':>4} {'con':>3}  url  (name)")
    for v in visits:
        lines.append(
            f"{v.size:7} {v.status or '-':>3} {len(v.violations):>3} {v.overflow:>4} "
            f"{len(v.console):>3}  {v.url}  ({v.name}){'  ERROR ' + v.error if v.error else ''}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("SWEEP_PORT", "8797")))
    parser.add_argument("--only", default="", help="comma-separated logins (or 'anonymous')")
    parser.add_argument("--per-name", type=int, default=2)
    parser.add_argument("--limit", type=int, default=60, help="pages per login at most")
    parser.add_argument("--sizes", default="desktop,phone")
    args = parser.parse_args()

    server, data, env = start_server(args.port, prefix="microcred-sweep-")
    base = f"http://localhost:{args.port}"
    os.environ.update(env)  # the same settings as the server, to resolve URL names
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from microcred.demo.loader import DEMO_LOGINS, DEMO_PASSWORD

    logins = ["anonymous"] + [email for email, _what in DEMO_LOGINS]
    if args.only:
        wanted = set(args.only.split(","))
        logins = [login for login in logins if login in wanted]
    sizes = args.sizes.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"base": base, "sizes": SIZES, "logins": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            for login in logins:
                who = login.split("@")[0]
                shots = args.out / who
                shots.mkdir(parents=True, exist_ok=True)
                visits: list[Visit] = []
                pages: list[tuple[str, str]] = []
                for size in sizes:
                    tab = Tab(browser, base, size)
                    if login != "anonymous":
                        tab.sign_in(login, DEMO_PASSWORD)
                    if not pages:
                        pages = crawl(tab, base, args.per_name, args.limit)
                    for index, (path, name) in enumerate(pages):
                        slug = f"{index:02d}-{slugify(path)}"
                        visits.append(tab.visit(path, name, shots, slug))
                    tab.close()
                visits.sort(key=lambda v: (pages.index((v.url, v.name)), v.size))
                print(table(login, visits), flush=True)
                report["logins"][login] = [asdict(v) for v in visits]
                (args.out / "report.json").write_text(json.dumps(report, indent=1))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    total = [v for visits in report["logins"].values() for v in visits]
    print(
        f"\n{len(total)} page views; "
        f"{sum(1 for v in total if v['violations'])} with axe violations, "
        f"{sum(1 for v in total if v['overflow'] > 0)} overflowing, "
        f"{sum(1 for v in total if v['console'])} with console errors, "
        f"{sum(1 for v in total if (v['status'] or 0) >= 400 or v['error'])} failing; "
        f"report: {args.out / 'report.json'}"
    )


if __name__ == "__main__":
    main()
