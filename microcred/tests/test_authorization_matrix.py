"""Authorization matrix: every URL pattern of the project × GET and POST × every persona.

This one checks who can *reach* what (pages, documents, and that another district gets a
404). It posts empty forms and counts only 2xx answers as success, so it cannot tell a
refused change from a done one behind a redirect: whether a POST/PUT/PATCH/DELETE
changes anything, and for whom, is `test_write_matrix.py`'s job (valid payloads, rows
compared before and after).

The URL patterns come from the resolver, so a new URL is checked automatically and
fails until ACCESS says who may use it. Every object in the URLs belongs to
Riverbend ("north"); Lakeshore ("south") has the same roles. The test fails on:
- a 2xx answer to a persona the rule does not allow;
- an answer other than 404 to a Lakeshore persona for a Riverbend object (405 for a
  method the URL never accepts is allowed: it is decided before any lookup);
- any 5xx.
Each request runs in a transaction that is rolled back, so a POST cannot change
what the next request sees. The number of checks is written to
var/reports/authz-matrix.txt and printed at the end of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from microcred.core.models import Role

# Marks the tests as database tests, so pytest-django creates the test database even when
# this module runs alone (the world itself is built once per module, below).
pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "var" / "reports" / "authz-matrix.txt"
ALL_ROLES = frozenset(Role)
METHODS = ("get", "post")


@dataclass(frozen=True)
class Rule:
    """Who may get a 2xx answer."""

    public: bool = False  # anyone, signed in or not
    authenticated: bool = False  # anyone signed in
    north_roles: frozenset[Role] = frozenset()  # these roles in Riverbend (the object's owner)
    any_roles: frozenset[Role] = (
        frozenset()
    )  # these roles in any organization (no object in the URL)
    tenant_object: bool = False  # the URL names a Riverbend object: Lakeshore must get 404
    obj: str = ""  # which world object fills the URL


PUBLIC = Rule(public=True)
AUTH = Rule(authenticated=True)
NOBODY = Rule()  # none of the personas is staff, so the operators' admin site is closed to all


def north(*roles: Role, obj: str = "") -> Rule:
    return Rule(north_roles=frozenset(roles), tenant_object=True, obj=obj)


def anywhere(*roles: Role) -> Rule:
    return Rule(any_roles=frozenset(roles))


STUDIO = (Role.DESIGNER, Role.REVIEWER, Role.ADMIN)
READERS = (Role.EDUCATOR, Role.COACH, Role.LEADER, Role.ADMIN, Role.ISSUER)  # of an attempt

ACCESS: dict[str, Rule] = {
    "home": PUBLIC,
    "about": PUBLIC,
    "healthz": PUBLIC,
    "favicon": NOBODY,  # a redirect to the icon
    # Catalog: an internal published credential of Riverbend
    "catalog:list": PUBLIC,
    "catalog:detail": north(*ALL_ROLES, obj="internal"),
    "catalog:version": north(*ALL_ROLES, obj="internal"),
    "catalog:resource": north(*ALL_ROLES, obj="internal"),
    # Design studio
    "studio:index": anywhere(*STUDIO),
    "studio:new": anywhere(Role.DESIGNER),
    "studio:credential": north(*STUDIO, obj="draft"),
    "studio:preview": north(*STUDIO, obj="draft"),
    "studio:edit": north(Role.DESIGNER, obj="draft"),
    "studio:submit": north(obj="draft"),  # POST only, answers with a redirect
    "studio:withdraw": north(obj="in_review"),
    "studio:review": north(Role.REVIEWER, obj="in_review"),
    "studio:new-version": north(obj="published"),
    "studio:discard": north(Role.DESIGNER, obj="draft"),  # GET: the confirm page; POST discards
    "studio:retire": north(Role.DESIGNER, Role.ADMIN, obj="published"),
    "studio:reinstate": north(obj="published"),
    "studio:visibility": north(obj="published"),
    "studio:badge": north(Role.DESIGNER, obj="draft"),  # POST: nothing chosen, 400
    "studio:badge-preview": north(*STUDIO, obj="draft"),
    # Earning: Riverbend's educator's attempt at the internal credential. Its readers are the
    # educator, the school's coach and leader, and the district's issuer and program admin.
    "earning:dashboard": AUTH,
    "earning:staff": anywhere(Role.COACH, Role.LEADER, Role.ADMIN),
    "earning:start": north(obj="internal"),  # POST only, answers with a redirect
    "earning:attempt": north(*READERS, obj="attempt"),
    "earning:reflection": north(*READERS, obj="attempt"),
    "earning:answer": north(Role.EDUCATOR, obj="attempt"),  # autosave (an empty answer)
    "earning:resources": north(*READERS, obj="attempt"),
    "earning:resource-tick": north(obj="attempt"),  # redirects back
    "earning:evidence": north(*READERS, obj="attempt"),
    "earning:evidence-add": north(obj="attempt"),  # no file: 400
    "earning:upload-begin": north(obj="attempt"),  # no size: 400
    "earning:upload-chunk": north(Role.EDUCATOR, obj="upload"),  # GET says the offset
    "earning:evidence-file": north(*READERS, obj="evidence"),
    "earning:evidence-remove": north(obj="evidence"),  # redirects back
    "earning:submit": north(*READERS, obj="attempt"),  # POST: incomplete, 400
    "earning:withdraw": north(obj="attempt"),  # redirects
    "earning:comment": north(obj="attempt"),  # empty comment: 400
    "core:notifications": AUTH,
    # Riverbend's educator's notice: she is redirected to what it is about (not a 2xx), and
    # to anyone else it does not exist.
    "core:notification-open": north(obj="notification"),
    # Assessment: Riverbend's educator's hand-in of "Assessed one", assigned to Riverbend's
    # assessor (the district's general pool), and an awarded attempt at "Earned one".
    "assessment:index": anywhere(Role.ASSESSOR, Role.ISSUER, Role.ADMIN),
    "assessment:review": north(Role.ASSESSOR, obj="review"),  # POST without op: 400
    "assessment:review-decline": north(Role.ASSESSOR, obj="review"),  # POST: no reason, 400
    "assessment:reassign": north(Role.ISSUER, Role.ADMIN, obj="review"),  # POST: no reason, 400
    "assessment:decisions": anywhere(Role.ISSUER, Role.ADMIN),
    "assessment:decide": north(Role.ISSUER, Role.ADMIN, obj="review"),  # POST: not reviewed
    "assessment:feedback": north(*READERS, Role.ASSESSOR, obj="review"),  # POST: educator only
    "assessment:certificate": north(*READERS, Role.ASSESSOR, obj="award"),
    "assessment:pools": anywhere(Role.ISSUER, Role.ADMIN),  # POST: empty form, 400
    "assessment:pool": north(Role.ISSUER, Role.ADMIN, obj="pool"),
    "assessment:pool-settings": north(Role.ISSUER, Role.ADMIN, obj="pool"),  # POST: empty, 400
    "assessment:pool-member-add": north(Role.ISSUER, Role.ADMIN, obj="pool"),  # POST: 400
    "assessment:pool-member-remove": north(Role.ISSUER, Role.ADMIN, obj="pool"),  # POST: 400
    "assessment:calibration": anywhere(Role.ISSUER, Role.ADMIN),
    # Badges: the documents verifiers fetch and the badge pages are public (the earner may
    # make a page private); Riverbend's educator's badge for "Earned one" fills the URLs.
    "badges:did": PUBLIC,
    "badges:status-list": PUBLIC,
    "badges:issuer": PUBLIC,
    "badges:issuer-image": PUBLIC,
    "badges:ob2-issuer": PUBLIC,
    "badges:achievement-image": PUBLIC,
    "badges:ob2-badge-class": PUBLIC,
    "badges:wallet": AUTH,
    "badges:public": PUBLIC,
    "badges:json": PUBLIC,
    "badges:png": PUBLIC,
    "badges:svg": PUBLIC,
    "badges:qr": PUBLIC,
    "badges:ob2-assertion": PUBLIC,
    "badges:ob2-png": PUBLIC,
    "badges:preferences": north(obj="credential"),  # POST: empty name, 400
    "badges:reissue": north(obj="credential"),  # POST: no reason chosen, 400
    "badges:revoke": north(obj="credential"),  # POST: no reason, 400
    "badges:reinstate": north(obj="credential"),  # not revoked: redirects back
    "badges:renew": north(obj="credential"),  # does not expire: redirects back
    "badges:issued": anywhere(Role.ISSUER, Role.ADMIN),
    "badges:keys": north(Role.ISSUER, Role.ADMIN, obj="district"),  # POST rotates: redirect
    "badges:key-compromised": north(obj="district"),  # POST only; empty: 400 for the issuer
    "badges:verify": PUBLIC,  # POST: nothing given, 400
    "badges:verify-api": PUBLIC,  # nothing given: 400
    # Programs: Riverbend's published stack
    "programs:stacks": AUTH,
    "programs:stack-new": anywhere(Role.ADMIN),  # POST: empty form, 400
    "programs:stack": north(*ALL_ROLES, obj="stack"),
    "programs:stack-publish": north(obj="stack"),  # POST only; published already: redirect
    # The stack's credentials are agreed: Riverbend's educator proposes (POST: empty, 400);
    # her agreement is hers and her leaders' and program admins' (POST: the leader's empty
    # decision, 400).
    "programs:stack-agree": north(Role.EDUCATOR, obj="stack"),
    "programs:agreements": AUTH,
    "programs:agreement": north(Role.EDUCATOR, Role.LEADER, Role.ADMIN, obj="agreement"),
    # Licensure credit: each person's own page and transcripts (the signed one is a POST:
    # Riverbend's educator's badge is signed, the others hold none, 400); Riverbend's renewal
    # rule is its program admins' (POST: empty form, 400), and applies to everyone under
    # Riverbend, who give the day their own cycle began (POST only; empty clears: redirect).
    "licensure:credit": AUTH,
    "licensure:transcript-pdf": AUTH,
    "licensure:transcript-clr": AUTH,
    "licensure:cycle": north(obj="rule"),
    "licensure:rules": anywhere(Role.ADMIN),
    "licensure:rule-new": anywhere(Role.ADMIN),
    "licensure:rule": north(Role.ADMIN, obj="rule"),
    # The ledger: each program admin opens her own program's (no ?org: the first she runs);
    # an empty POST or a payroll without a month is refused (400); the educator's own page.
    "programs:ledger": anywhere(Role.ADMIN),
    "programs:ledger-terms": NOBODY,
    "programs:ledger-budget": NOBODY,
    "programs:ledger-waiver": NOBODY,
    "programs:ledger-approve": NOBODY,
    "programs:payroll": NOBODY,
    "programs:my-ledger": AUTH,
    "programs:stack-stipends": north(obj="stack"),  # POST only; saved: redirect
    # The program dashboard and its CSV: each program admin or school leader reads her own
    # organizations' figures (GET only).
    "reports:dashboard": anywhere(Role.LEADER, Role.ADMIN),
    "reports:export": anywhere(Role.LEADER, Role.ADMIN),
    "programs:recommend": anywhere(Role.LEADER, Role.ADMIN),  # POST: empty form, 400
    "programs:recommendation-dismiss": north(obj="recommendation"),  # POST only: redirect
    # Organizations and people
    "core:profile": AUTH,
    "core:organizations": AUTH,
    "core:organization": north(*ALL_ROLES, obj="district"),
    "core:members": north(Role.ADMIN, obj="district"),
    "core:add-unit": north(obj="district"),  # POST only, answers with a redirect
    "core:organization-linkedin": north(Role.ISSUER, Role.ADMIN, obj="district"),  # POST: redirect
    "core:member-remove": north(obj="membership"),
    "core:invitation-revoke": north(obj="invitation"),
    "core:invitation": PUBLIC,  # the token in the emailed link is the authority
    # Roster imports: Riverbend's program admins' (POST of the upload or the role map: empty
    # form, 400; the confirmation of a checked import: redirect).
    "rosters:imports": north(Role.ADMIN, obj="district"),
    "rosters:roles": north(Role.ADMIN, obj="district"),
    "rosters:invitations": north(Role.ADMIN, obj="district"),
    "rosters:import": north(Role.ADMIN, obj="roster"),
    "rosters:import-progress": north(Role.ADMIN, obj="roster"),
    "rosters:import-problems": north(Role.ADMIN, obj="roster"),
    "rosters:import-confirm": north(obj="roster"),
    # Single sign-on: Riverbend's program admins' settings (POST: empty form, 400); the test
    # sign-in is a POST (nothing saved yet: redirect back). The sign-in and callback URLs are
    # anyone's (no such provider here: 404); allauth's page to connect provider accounts is
    # shadowed by a 404, its sign-up for provider accounts is closed (redirects).
    "rosters:sso": north(Role.ADMIN, obj="district"),
    "rosters:sso-test": north(obj="district"),
    "rosters:oidc-callback": PUBLIC,
    "rosters:social-connections-off": NOBODY,
    "openid_connect_login": PUBLIC,
    "openid_connect_callback": PUBLIC,
    "socialaccount_connections": NOBODY,
    "socialaccount_signup": NOBODY,
    "socialaccount_login_cancelled": PUBLIC,
    "socialaccount_login_error": PUBLIC,
    "<unnamed social/login/cancelled/>": NOBODY,  # allauth's old addresses: redirects
    "<unnamed social/login/error/>": NOBODY,
    "<unnamed social/signup/>": NOBODY,
    "<unnamed social/connections/>": NOBODY,
    # Accounts (django-allauth)
    "account_login": PUBLIC,
    "account_logout": AUTH,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_reauthenticate": AUTH,
    "account_email": AUTH,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": AUTH,
    "account_set_password": NOBODY,  # every persona has a password: redirects to change
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": NOBODY,  # login by code is off: redirects
    "account_confirm_email": PUBLIC,  # an unknown key shows "expired or invalid"
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,  # an unknown key shows "bad token"
    "account_reset_password_done": PUBLIC,
    # The operators' admin site: only its login page answers non-staff
    "admin:login": PUBLIC,
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], namespace: str, prefix: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns,
                    namespace + (f"{p.namespace}:" if p.namespace else ""),
                    prefix + str(p.pattern),
                )
            elif isinstance(p, URLPattern):
                yield Route(
                    namespace + (p.name or f"<unnamed {p.pattern}>"), prefix + str(p.pattern)
                )

    yield from walk(get_resolver().url_patterns, "", "")


def rule_for(route: Route) -> Rule:
    if route.name in ACCESS:
        return ACCESS[route.name]
    if route.name.startswith("admin:"):
        return NOBODY
    raise AssertionError(f"{route.name} ({route.pattern}) is not in ACCESS: say who may use it.")


def fill(route: Route, values: dict[str, str]) -> str:
    def value(name: str) -> str:
        if name not in values:
            raise AssertionError(
                f"No value for <{name}> in {route.name}; add one to the matrix's url_values()."
            )
        return values[name]

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route.pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "")


# ----------------------------------------------------------------------------- the world


@dataclass
class MatrixWorld:
    personas: dict[str, Any]  # name -> User or None (anonymous)
    roles: dict[str, tuple[str, Role | None]]  # name -> (district, role)
    objects: dict[str, Any] = field(default_factory=dict)


def build_world() -> MatrixWorld:
    from django.core.files.base import ContentFile

    from microcred.catalog.models import Resource
    from microcred.catalog.tests.factories import (
        draft_credential,
        in_review_credential,
        published_credential,
    )
    from microcred.core import services
    from microcred.core.models import Membership, Notification
    from microcred.core.tests.factories import make_org, member

    state = make_org("Lakeland", "state")
    personas: dict[str, Any] = {"anonymous": None}
    roles: dict[str, tuple[str, Role | None]] = {"anonymous": ("", None)}
    districts = {}
    for key, slug in (("north", "riverbend"), ("south", "lakeshore")):
        district = make_org(slug.title(), "district", state, slug=slug)
        school = make_org(
            f"{slug.title()} Elementary", "school", district, slug=f"{slug}-elementary"
        )
        districts[key] = (district, school)
        for role in Role:
            at = school if role in (Role.EDUCATOR, Role.COACH, Role.LEADER) else district
            name = f"{key}_{role.value}"
            personas[name] = member(at, role, email=f"{role.value}@{slug}.example")
            roles[name] = (key, role)
    district, school = districts["north"]
    designer, reviewer, admin = (
        personas[f"north_{r.value}"] for r in (Role.DESIGNER, Role.REVIEWER, Role.ADMIN)
    )
    internal = published_credential(
        designer, reviewer, district, title="Internal one", visibility="internal"
    )
    assert internal.current_version is not None
    resource = Resource.objects.create(
        version=internal.current_version,
        position=9,
        title="Handout",
        kind="file",
        file_name="handout.pdf",
        content_type="application/pdf",
    )
    resource.file.save("handout.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    objects = {
        "district": district,
        "internal": internal,
        "resource": resource,
        "draft": draft_credential(designer, district, title="A draft"),
        "in_review": in_review_credential(designer, district, title="In review"),
        "published": published_credential(designer, reviewer, district, title="Published one"),
        "membership": Membership.objects.get(user=personas["north_educator"]),
        "invitation": services.invitation_create(
            actor=admin, organization=district, email="x@example.org", role=Role.COACH
        ),
        "school": school,
        "notification": Notification.objects.create(
            user=personas["north_educator"], verb="submission.decided", text="Hers", url="/my/"
        ),
    }
    objects.update(_earning_objects(personas["north_educator"], internal))
    objects.update(_assessment_objects(personas, district))
    objects["stack"] = _stack(admin, district, [internal, objects["published"]])
    objects["agreement"] = _agreement(personas["north_educator"], objects["stack"], internal)
    objects["recommendation"] = _recommendation(personas, objects["published"])
    objects["rule"] = _renewal_rule(admin, district)
    objects["roster"] = _roster_import(admin, district)
    return MatrixWorld(personas=personas, roles=roles, objects=objects)


def _roster_import(admin: Any, district: Any) -> Any:
    from microcred.rosters import services
    from microcred.rosters.oneroster import Problem, Roster

    problem = Problem("users.csv", 3, "email", "Not an email address: “x”.", "warning")
    roster = Roster(version="1.2", modes={}, orgs=[], users=[], problems=[problem])
    return services.roster_check(actor=admin, organization=district, name="r.zip", roster=roster)


def _earning_objects(educator: Any, credential: Any) -> dict[str, Any]:
    from microcred.earning import services as earning
    from microcred.earning.tests.factories import PDF, started_attempt, upload

    attempt = started_attempt(educator, credential)
    requirement = attempt.version.evidence_requirements.get()
    evidence = earning.evidence_upload(
        actor=educator, attempt=attempt, requirement=requirement, upload=upload("a.pdf", PDF)
    )
    session = earning.upload_begin(
        actor=educator, attempt=attempt, requirement=requirement, file_name="b.pdf", size=100
    )
    return {"attempt": attempt, "evidence": evidence, "upload": session}


def _assessment_objects(personas: dict[str, Any], district: Any) -> dict[str, Any]:
    from microcred.assessment import services as assessment
    from microcred.assessment.tests.factories import pool, submit_review
    from microcred.catalog.tests.factories import published_credential
    from microcred.earning.tests.factories import submitted_attempt

    educator, assessor = personas["north_educator"], personas["north_assessor"]
    designer, reviewer = personas["north_designer"], personas["north_reviewer"]
    general = pool(district, None, [assessor])
    assessed = published_credential(designer, reviewer, district, title="Assessed one")
    earned = published_credential(designer, reviewer, district, title="Earned one")
    review = submitted_attempt(educator, assessed).reviews.get()
    done = submitted_attempt(educator, earned).reviews.get()
    submit_review(done)
    assessment.submission_decide(
        actor=personas["north_issuer"], submission=done.submission, outcome="award", reason=""
    )
    from microcred.badges.services import credential_issue

    award = done.submission.attempt.award
    return {
        "review": review,
        "pool": general,
        "award": award,
        "credential": credential_issue(award=award),
    }


def _stack(admin: Any, district: Any, credentials: list[Any]) -> Any:
    from microcred.programs import services as programs

    stack = programs.stack_create(
        actor=admin,
        organization=district,
        title="Riverbend leaders",
        summary="",
        rule="agreed",
        choose=1,
        credentials=credentials,
    )
    return programs.stack_publish(actor=admin, stack=stack)


def _renewal_rule(admin: Any, district: Any) -> Any:
    import datetime
    from decimal import Decimal

    from microcred.programs import licensure

    return licensure.renewal_rule_save(
        actor=admin,
        organization=district,
        data=licensure.RuleInput(
            name="Riverbend renewal",
            required=Decimal(90),
            unit="hours",
            cycle_years=5,
            cycles_start_on=datetime.date(2025, 7, 1),
        ),
    )


def _recommendation(personas: dict[str, Any], credential: Any) -> Any:
    from microcred.programs import services as programs
    from microcred.programs.models import Recommendation

    programs.recommend_to(
        actor=personas["north_leader"],
        target="person",
        email=personas["north_educator"].email,
        credential=credential,
        kind="recommended",
        reason="For the matrix.",
    )
    return Recommendation.objects.get(educator=personas["north_educator"])


def _agreement(educator: Any, stack: Any, credential: Any) -> Any:
    import datetime

    from django.utils import timezone

    from microcred.programs import services as programs

    return programs.agreement_propose(
        actor=educator,
        stack=stack,
        credentials=[credential],
        growth_goal="Lead my team.",
        target_date=timezone.localdate() + datetime.timedelta(days=90),
    )


def url_values(route: Route, rule: Rule, world: MatrixWorld) -> dict[str, str]:
    o = world.objects
    values = {
        "number": "1",
        "part": "rubric",
        "key": "not-a-real-key",
        "uidb36": "1",
        "token": o["invitation"].token,
        "object_id": "1",
        "app_label": "core",
        "content_type_id": "1",
        "url": "nowhere/",
        "id": "1",
        "provider_id": "district-riverbend",
    }
    name = route.name
    if name.startswith("catalog:"):
        values["slug"] = o["internal"].slug
        values["pk"] = str(o["resource"].pk)
    elif name.startswith("studio:") and rule.obj:
        values["pk"] = str(o[rule.obj].pk)
    elif name == "core:member-remove":
        values.update(slug=o["school"].slug, pk=str(o["membership"].pk))
    elif name == "core:notification-open":
        values["pk"] = str(o["notification"].pk)
    elif name == "core:invitation-revoke":
        values.update(slug=o["district"].slug, pk=str(o["invitation"].pk))
    elif name.startswith("core:"):
        values["slug"] = o["district"].slug
    elif name.startswith("rosters:"):
        values.update(slug=o["district"].slug, pk=str(o["roster"].pk))
    elif name.startswith("licensure:"):
        values["pk"] = str(o["rule"].pk)
    elif name.startswith("programs:"):
        values["slug"] = o["stack"].slug
        values["pk"] = str(
            o["recommendation" if name == "programs:recommendation-dismiss" else "agreement"].pk
        )
    elif name.startswith("earning:"):
        attempt = o["attempt"]
        version = attempt.version
        values.update(
            slug=o["internal"].slug,
            attempt_id=str(attempt.public_id),
            phase="pre",
            prompt_id=str(version.prompts.filter(phase="post").first().pk),
            resource_id=str(version.resources.first().pk),
            requirement_id=str(version.evidence_requirements.first().pk),
            token=str(o["upload"].token),
            evidence_id=str(o["evidence"].public_id),
        )
    elif name.startswith("badges:"):
        credential = o["credential"]
        version = credential.award.attempt.version
        values.update(
            slug=version.credential.slug
            if name in ("badges:achievement-image", "badges:ob2-badge-class")
            else o["district"].slug,
            public_id=str(credential.public_id),
            key_id="key-1",
        )
    elif name.startswith("assessment:"):
        review = o["review"]
        values.update(
            review_id=str(review.public_id),
            attempt_id=str(review.submission.attempt.public_id),
            award_id=str(o["award"].public_id),
            pk=str(
                o["pool"].pk
                if name.startswith("assessment:pool-") or name == "assessment:pool"
                else review.submission_id
            ),
        )
    return values


def allowed(rule: Rule, district: str, role: Role | None) -> bool:
    if rule.public:
        return True
    if role is None:
        return False
    if rule.authenticated:
        return True
    if role in rule.any_roles:
        return True
    return district == "north" and role in rule.north_roles


@pytest.fixture(scope="module")
def matrix_storage(tmp_path_factory) -> dict[str, Any]:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("matrix-media")},
    }


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, matrix_storage):
    from django.conf import settings
    from django.test import override_settings

    with (
        override_settings(
            STORAGES={**settings.STORAGES, "default": matrix_storage},
            UPLOAD_STAGING_DIR=matrix_storage["OPTIONS"]["location"] / "staging",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


ROUTES = sorted(routes(), key=lambda r: r.name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "route" in metafunc.fixturenames:
        metafunc.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])


def test_every_url_answers_each_persona_as_its_rule_says(
    route: Route, matrix_world: MatrixWorld, matrix_storage, django_db_blocker, settings
):
    settings.STORAGES = {**settings.STORAGES, "default": matrix_storage}
    settings.UPLOAD_STAGING_DIR = matrix_storage["OPTIONS"]["location"] / "staging"
    settings.ACCOUNT_RATE_LIMITS = False
    settings.AXES_ENABLED = False
    rule = rule_for(route)
    url = fill(route, url_values(route, rule, matrix_world))
    failures: list[str] = []
    seen: list[str] = []
    checked = 0
    with django_db_blocker.unblock():
        for name, user in matrix_world.personas.items():
            district, role = matrix_world.roles[name]
            for method in METHODS:
                with transaction.atomic():
                    client = Client(raise_request_exception=False)
                    if user is not None:
                        client.force_login(user)
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                checked += 1
                status = response.status_code
                seen.append(f"{method.upper()}:{name}={status}")
                where = f"{method.upper()} {url} as {name}: {status}"
                if status >= 500:
                    failures.append(f"{where} (server error)")
                elif 200 <= status < 300 and not allowed(rule, district, role):
                    failures.append(f"{where} (unexpected success)")
                elif rule.tenant_object and district == "south" and status not in (404, 405):
                    failures.append(f"{where} (another district must get 404)")
    with REPORT.open("a") as report:
        report.write(f"{route.name}\t{len(matrix_world.personas)}\t{checked}\t{' '.join(seen)}\n")
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_named_url():
    names = {r.name for r in ROUTES}
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"ACCESS names URLs that no longer exist: {stale}"
    assert len(ROUTES) > 100
