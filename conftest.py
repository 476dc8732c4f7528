"""Test set-up shared by every app: settings for tests, and the personas.

Personas live in two districts of one state: Riverbend ("north") and Lakeshore
("south"). Names say the role: `designer_dan` designs credentials in Riverbend,
`outsider_oz` is Lakeshore's designer and must never see Riverbend's drafts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from microcred.core.models import Organization, Role, User

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests render templates without collectstatic; production keeps the manifest storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test servers speak plain HTTP (production settings assume TLS in front).
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # WhiteNoise would scan STATIC_ROOT each time a test client builds its middleware.
    settings.WHITENOISE_AUTOREFRESH = True


AUTHZ_REPORT = os.path.join(os.path.dirname(__file__), "var", "reports", "authz-matrix.txt")
WRITES_REPORT = os.path.join(os.path.dirname(__file__), "var", "reports", "authz-writes.txt")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, not an xdist worker
        os.makedirs(os.path.dirname(AUTHZ_REPORT), exist_ok=True)
        for report in (AUTHZ_REPORT, WRITES_REPORT):
            if os.path.exists(report):
                os.unlink(report)


@pytest.fixture(autouse=True, scope="session")
def _task_modules() -> None:
    """Every task made once, with the tests' task backend. Django's `@task` makes an object
    of the configured backend's task class: a task module imported first inside a test that
    configures django-tasks-rq would hold the backport's Task class for the rest of the
    session, which the database backend refuses as "not a Task"."""
    import importlib

    for app in ("core", "catalog", "earning", "assessment", "badges", "rosters"):
        importlib.import_module(f"microcred.{app}.tasks")


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    _write_matrix_summary(terminalreporter)
    if not os.path.exists(AUTHZ_REPORT):
        return
    with open(AUTHZ_REPORT) as report:
        rows = [line.rstrip("\n").split("\t") for line in report if line.strip()]
    if rows:
        personas = max(int(r[1]) for r in rows)
        total = sum(int(r[2]) for r in rows)
        terminalreporter.write_line(
            f"Authorization matrix: {len(rows)} URL patterns × {personas} personas × GET/POST "
            f"= {total} requests checked (details: var/reports/authz-matrix.txt)"
        )


def _write_matrix_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """The write matrix's counts (microcred/tests/test_write_matrix.py), one line."""
    if not os.path.exists(WRITES_REPORT):
        return
    with open(WRITES_REPORT) as report:
        rows = [line.rstrip("\n").split("\t") for line in report if line.strip()]
    if not rows:
        return
    writes = [row for row in rows if row[0] == "write"]
    endpoints = {row[1].split("#", 1)[0] for row in writes}
    reads = len(rows) - len(writes)
    terminalreporter.write_line(
        f"Write matrix: {len(endpoints)} state-changing endpoints ({len(writes)} cases) and "
        f"{reads} read-only URLs × {max(int(r[2]) for r in rows)} personas = "
        f"{sum(int(r[3]) for r in rows)} requests; changes refused "
        f"{sum(int(r[4]) for r in rows)}, changes allowed {sum(int(r[5]) for r in rows)} "
        "(details: var/reports/authz-writes.txt)"
    )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Mail goes through the real path (TaskEmailBackend → task → delivery backend); the
    # delivery backend is the in-memory outbox, and tasks run at once in the test process.
    settings.MAILERS = {
        "default": {"BACKEND": "microcred.core.mail.TaskEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.UPLOAD_STAGING_DIR = tmp_path / "staging"
    settings.SHOW_DEMO_LOGINS = False
    from django.core.cache import cache

    cache.clear()  # cached public pages must not leak from one test into the next
    from microcred.badges import did, fetch, selectors, services

    # Kept per process: DID documents, active keys, open status lists, version facts. Each
    # test makes its own organizations and keys under the same slugs and ids.
    did.forget_local()
    fetch.forget()
    services.forget_keys()
    selectors.forget()


@dataclass
class District:
    organization: Organization
    school: Organization
    people: dict[Role, User] = field(default_factory=dict)


@dataclass
class World:
    state: Organization
    north: District
    south: District


@pytest.fixture
def world(db) -> World:
    from microcred.core.tests.factories import make_org, member

    state = make_org("Lakeland Department of Education", "state")

    def district(name: str, slug: str, school_name: str) -> District:
        org = make_org(name, "district", state, slug=slug)
        school = make_org(school_name, "school", org)
        d = District(organization=org, school=school)
        for role in Role:
            at = school if role in (Role.EDUCATOR, Role.COACH, Role.LEADER) else org
            d.people[role] = member(
                at,
                role,
                email=f"{role.value}@{slug}.example",
                full_name=f"{slug.title()} {role.label}",
            )
        return d

    return World(
        state=state,
        north=district("Riverbend Unified", "riverbend", "Maple Elementary"),
        south=district("Lakeshore County Schools", "lakeshore", "Harbor Elementary"),
    )


@pytest.fixture
def educator_ana(world: World) -> User:
    return world.north.people[Role.EDUCATOR]


@pytest.fixture
def coach_carmen(world: World) -> User:
    return world.north.people[Role.COACH]


@pytest.fixture
def assessor_ben(world: World) -> User:
    return world.north.people[Role.ASSESSOR]


@pytest.fixture
def issuer_carla(world: World) -> User:
    return world.north.people[Role.ISSUER]


@pytest.fixture
def designer_dan(world: World) -> User:
    return world.north.people[Role.DESIGNER]


@pytest.fixture
def reviewer_rita(world: World) -> User:
    return world.north.people[Role.REVIEWER]


@pytest.fixture
def principal_dee(world: World) -> User:
    return world.north.people[Role.LEADER]


@pytest.fixture
def admin_adam(world: World) -> User:
    return world.north.people[Role.ADMIN]


@pytest.fixture
def outsider_oz(world: World) -> User:
    """Lakeshore's credential designer: another district."""
    return world.south.people[Role.DESIGNER]


@pytest.fixture
def north(world: World) -> Organization:
    return world.north.organization


@pytest.fixture
def south(world: World) -> Organization:
    return world.south.organization
