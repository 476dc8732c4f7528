"""Write authorization matrix: every endpoint that changes state × every persona, with a
payload the real page would post.

An answer's status says little (a refused change and a done change can both redirect, and
an empty form stops at validation before any permission check), so each request is judged
by what it did to the database: a digest of every row of every table (the accounts' too;
not sessions) is compared before and after it. For each endpoint
- the allowed personas succeed: no error status, the digest moved, and the endpoint's own
  check (`changed`) sees the change;
- every other persona changes nothing and is refused: 400 (the form offers no such
  choice), 403, 404, 405 or a redirect to a sign-in page, never a success; an endpoint
  anyone may use (`open_`: the verifier, the sign-in pages) only has to change nothing;
- PUT, PATCH and DELETE (and POST, for an endpoint whose change is a PUT or a DELETE)
  with the same payload change nothing for anybody, and our own views answer them 405.
  URLs that take no write at all get PUT/PATCH/DELETE from every persona as well.

Personas: the anonymous visitor; Riverbend's eight roles; a second Riverbend educator
and assessor (same role, not the owner); Lakeshore's eight roles; the site operator
(staff, no membership). Each request runs in a savepoint that is rolled back, so every
persona meets the same fresh objects, built once per endpoint by the factories.

Adding an endpoint is one entry in WRITES: its URL name (with `#variant` when one URL
does several things) → `Write(builder, allowed personas, what changes)`.
`test_every_state_changing_url_is_in_the_matrix` fails for a URL that accepts POST, PUT,
PATCH or DELETE (read from its decorators or its class) without an entry. The counts go
to var/reports/authz-writes.txt; the root conftest prints their sums after the run.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from microcred.core.models import Role, User
from microcred.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "var" / "reports" / "authz-writes.txt"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# ----------------------------------------------------------------------------- personas

NORTH = {
    "educator": Role.EDUCATOR,
    "coach": Role.COACH,
    "assessor": Role.ASSESSOR,
    "issuer": Role.ISSUER,
    "designer": Role.DESIGNER,
    "reviewer": Role.REVIEWER,
    "leader": Role.LEADER,
    "admin": Role.ADMIN,
}
# Lakeshore has every role too: the outsider most likely to slip through is the one whose
# role is allowed in Riverbend.
OUTSIDERS = {f"outsider_{name}": role for name, role in NORTH.items()}
# Riverbend's second educator and second assessor: same school, same role, but neither
# the attempt's owner nor the review's assessor. The operator is staff with no membership.
PEERS = ("educator_two", "assessor_two")
PERSONAS = ("anonymous", *NORTH, *PEERS, *OUTSIDERS, "operator")
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
NOBODY: frozenset[str] = frozenset()


def north(*names: str) -> frozenset[str]:
    unknown = set(names) - set(NORTH) - set(PEERS)
    assert not unknown, f"not Riverbend personas: {unknown}"
    return frozenset(names)


# ----------------------------------------------------------------------------- the world


@dataclass
class World:
    users: dict[str, User]
    district: Any  # Riverbend
    school: Any  # Riverbend Elementary, the educator's school
    south: Any  # Lakeshore
    internal: Any  # a published, internal credential of Riverbend: attempts are at it
    pool: Any  # Riverbend's general assessor pool (the Riverbend assessor)
    second_assessor: User  # Riverbend's other assessor (assessor_two), outside the pool
    returning: User  # someone with an account and no role, who signs in

    def user(self, name: str) -> User | None:
        return self.users.get(name)


def build_world() -> World:
    from microcred.assessment.tests.factories import pool
    from microcred.catalog.tests.factories import published_credential
    from microcred.core.tests.factories import UserFactory, make_org, member

    state = make_org("Lakeland", "state")
    users: dict[str, User] = {}
    places = {}
    for prefix, slug in (("", "riverbend"), ("outsider_", "lakeshore")):
        district = make_org(slug.title(), "district", state, slug=slug)
        school = make_org(f"{slug.title()} Elementary", "school", district, slug=f"{slug}-elem")
        places[slug] = (district, school)
        for name, role in NORTH.items():
            at = school if role in (Role.EDUCATOR, Role.COACH, Role.LEADER) else district
            users[prefix + name] = member(at, role, email=f"{name}@{slug}.example")
    users["operator"] = cast(User, UserFactory(email="operator@microcred.example", is_staff=True))
    users["operator"].is_superuser = True
    users["operator"].save(update_fields=["is_superuser"])
    district, school = places["riverbend"]
    users["educator_two"] = member(school, Role.EDUCATOR, email="educator2@riverbend.example")
    users["assessor_two"] = member(district, Role.ASSESSOR, email="assessor2@riverbend.example")
    internal = published_credential(
        users["designer"], users["reviewer"], district, title="Internal", visibility="internal"
    )
    return World(
        users=users,
        district=district,
        school=school,
        south=places["lakeshore"][0],
        internal=internal,
        pool=pool(district, None, [users["assessor"]]),
        second_assessor=users["assessor_two"],
        returning=cast(User, UserFactory(email="returning@example.org")),
    )


# ----------------------------------------------------------------------------- the matrix


@dataclass
class Case:
    """One request, built on fresh objects: where it goes, what it sends, and how to see
    that the allowed change happened (called inside the savepoint, after the request)."""

    url: str
    data: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    changed: Callable[[User | None], bool] = lambda user: True
    method: str = "POST"
    body: bytes | None = None  # a raw body (PATCH of an upload's piece) instead of form data
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return self.data() if callable(self.data) else dict(self.data)


@dataclass(frozen=True)
class Write:
    build: Callable[[World], Case]
    allowed: frozenset[str]  # personas whose request must make the change
    what: str  # the change, in words
    open_: bool = False  # anyone may post (no refusal status required), nobody else changes
    unchecked: frozenset[str] = NOBODY  # may change, not asserted (the operator in the admin)


def _reload(obj: Any) -> Any:
    return type(obj)._base_manager.get(pk=obj.pk)


def _gone(obj: Any) -> bool:
    return not type(obj)._base_manager.filter(pk=obj.pk).exists()


# ----------------------------------------------------------------------------- studio


def _studio_new(where: str) -> Callable[[World], Case]:
    """A new draft in Riverbend, or in Lakeshore (only Lakeshore's designer may)."""

    def build(w: World) -> Case:
        from microcred.catalog.models import CredentialVersion

        organization = w.district if where == "north" else w.south
        return Case(
            reverse("studio:new"),
            {"title": "Matrix draft", "organization": organization.pk, "visibility": "public"},
            lambda user: CredentialVersion.objects.filter(
                title="Matrix draft", credential__organization=organization
            ).exists(),
        )

    return build


def _studio_edit(w: World) -> Case:
    from microcred.catalog.tests.factories import audience, draft_credential

    credential = draft_credential(w.users["designer"], w.district, title="Edited")
    version = credential.versions.get()
    return Case(
        reverse("studio:edit", args=[credential.pk, "basics"]),
        {
            "title": "Edited by the matrix",
            "summary": "A summary that is long enough to say what the credential is about.",
            "competency": "Uses formative assessment data to adjust instruction",
            "key_method": "Exit tickets sorted and acted on the next day.",
            "audiences": [audience("teacher").pk],
            "subject": "all",
            "grade_band": "pk-12",
            "estimated_hours": "12",
            "credit_hours": "1.5",
            "valid_for_months": "",
        },
        lambda user: _reload(version).title == "Edited by the matrix",
    )


def _version_state(credential: Any, state: str) -> Callable[[User | None], bool]:
    version = credential.versions.order_by("-number").first()
    return lambda user: _reload(version).state == state


def _studio_submit(w: World) -> Case:
    from microcred.catalog.tests.factories import draft_credential

    credential = draft_credential(w.users["designer"], w.district, title="To submit")
    return Case(
        reverse("studio:submit", args=[credential.pk]), {}, _version_state(credential, "in_review")
    )


def _studio_withdraw(w: World) -> Case:
    from microcred.catalog.tests.factories import in_review_credential

    credential = in_review_credential(w.users["designer"], w.district, title="To withdraw")
    return Case(
        reverse("studio:withdraw", args=[credential.pk]), {}, _version_state(credential, "draft")
    )


def _studio_review(w: World) -> Case:
    from microcred.catalog.models import QUALITY_CHECKLIST
    from microcred.catalog.tests.factories import in_review_credential

    credential = in_review_credential(w.users["designer"], w.district, title="To review")
    data = {"decision": "approve", "summary": "Ready."}
    data.update({f"{part}_met": "yes" for part in QUALITY_CHECKLIST})
    return Case(
        reverse("studio:review", args=[credential.pk]),
        data,
        _version_state(credential, "published"),
    )


def _published(w: World, title: str) -> Any:
    from microcred.catalog.tests.factories import published_credential

    return published_credential(w.users["designer"], w.users["reviewer"], w.district, title=title)


def _studio_new_version(w: World) -> Case:
    credential = _published(w, "New version")
    return Case(
        reverse("studio:new-version", args=[credential.pk]),
        {},
        lambda user: credential.versions.count() == 2,
    )


def _studio_discard(w: World) -> Case:
    from microcred.catalog import services

    credential = _published(w, "Discard")
    draft = services.credential_new_version(actor=w.users["designer"], credential=credential)
    return Case(
        reverse("studio:discard", args=[credential.pk]),
        {},
        lambda user: _gone(draft) or _reload(draft).state != "draft",
    )


def _studio_retire(w: World) -> Case:
    credential = _published(w, "Retire")
    return Case(
        reverse("studio:retire", args=[credential.pk]),
        {"reason": "Replaced by the new exit-ticket credential."},
        lambda user: _reload(credential).status == "retired",
    )


def _studio_reinstate(w: World) -> Case:
    from microcred.catalog import services

    credential = _published(w, "Reinstate")
    services.credential_retire(actor=w.users["admin"], credential=credential, reason="Old.")
    return Case(
        reverse("studio:reinstate", args=[credential.pk]),
        {},
        lambda user: _reload(credential).status != "retired",
    )


def _studio_visibility(w: World) -> Case:
    credential = _published(w, "Visibility")
    return Case(
        reverse("studio:visibility", args=[credential.pk]),
        {"visibility": "internal"},
        lambda user: _reload(credential).visibility == "internal",
    )


def _png(size: int = 128) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _studio_badge(w: World) -> Case:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from microcred.catalog.tests.factories import draft_credential

    credential = draft_credential(w.users["designer"], w.district, title="Badge")
    version = credential.versions.get()
    before = _field_values(version)
    image = _png()
    return Case(
        reverse("studio:badge", args=[credential.pk]),
        lambda: {"image": SimpleUploadedFile("badge.png", image, content_type="image/png")},
        lambda user: _field_values(_reload(version)) != before,
    )


def _field_values(obj: Any) -> tuple[Any, ...]:
    return tuple(
        str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.name != "updated_at"
    )


# ----------------------------------------------------------------------------- earning


def _attempt(w: World, *, reflected: bool = True) -> Any:
    from microcred.earning.tests.factories import started_attempt

    return started_attempt(w.users["educator"], w.internal, reflected=reflected)


def _earning_start(w: World) -> Case:
    from microcred.earning.models import Attempt

    return Case(
        reverse("earning:start", args=[w.internal.slug]),
        {},
        lambda user: Attempt.objects.filter(educator=user, version__credential=w.internal).exists(),
    )


def _earning_reflection(w: World) -> Case:
    attempt = _attempt(w, reflected=False)
    prompts = attempt.version.prompts.filter(phase="pre")
    return Case(
        reverse("earning:reflection", args=[attempt.public_id, "pre"]),
        {
            f"prompt-{p.pk}": "I ask for thumbs up; I rarely change the next lesson."
            for p in prompts
        },
        lambda user: _reload(attempt).task_unlocked,
    )


def _earning_answer(w: World) -> Case:
    from microcred.earning.models import ReflectionAnswer

    attempt = _attempt(w)
    prompt = attempt.version.prompts.filter(phase="post").first()
    return Case(
        reverse("earning:answer", args=[attempt.public_id, prompt.pk]),
        {"text": "The tickets showed who needed a reteach."},
        lambda user: ReflectionAnswer.objects.filter(
            attempt=attempt, prompt=prompt, text__startswith="The tickets"
        ).exists(),
    )


def _earning_resource_tick(w: World) -> Case:
    from microcred.earning.models import ResourceProgress

    attempt = _attempt(w)
    resource = attempt.version.resources.first()
    return Case(
        reverse("earning:resource-tick", args=[attempt.public_id, resource.pk]),
        {"done": "1"},
        lambda user: ResourceProgress.objects.filter(attempt=attempt, resource=resource).exists(),
    )


def _pdf_upload() -> Any:
    from microcred.earning.tests.factories import PDF, upload

    return upload("plan.pdf", PDF, "application/pdf")


def _earning_evidence_add(w: World) -> Case:
    attempt = _attempt(w)
    requirement = attempt.version.evidence_requirements.get()
    return Case(
        reverse("earning:evidence-add", args=[attempt.public_id, requirement.pk]),
        lambda: {"file": _pdf_upload(), "caption": "Sorted tickets"},
        lambda user: attempt.evidence.exists(),
    )


def _earning_upload_begin(w: World) -> Case:
    from microcred.earning.models import UploadSession

    attempt = _attempt(w)
    requirement = attempt.version.evidence_requirements.get()
    return Case(
        reverse("earning:upload-begin", args=[attempt.public_id, requirement.pk]),
        changed=lambda user: UploadSession.objects.filter(attempt=attempt).exists(),
        # tus creation; the Tus-Resumable header stands in for the CSRF token (see earning/tus.py)
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "2048",
            "Upload-Metadata": "filename cGxhbi5wZGY=",
        },
    )


def _upload_session(w: World) -> Any:
    from microcred.earning import services
    from microcred.earning.tests.factories import PDF

    attempt = _attempt(w)
    return services.upload_begin(
        actor=w.users["educator"],
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(),
        file_name="plan.pdf",
        size=len(PDF),
    )


def _earning_upload_chunk(w: World) -> Case:
    from microcred.earning.tests.factories import PDF

    session = _upload_session(w)
    return Case(
        reverse("earning:upload-chunk", args=[session.token]),
        method="PATCH",
        body=PDF,
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
        changed=lambda user: session.attempt.evidence.exists(),
    )


def _earning_upload_cancel(w: World) -> Case:
    session = _upload_session(w)
    return Case(
        reverse("earning:upload-chunk", args=[session.token]),
        method="DELETE",
        headers={"Tus-Resumable": "1.0.0"},
        changed=lambda user: _gone(session),
    )


def _earning_evidence_remove(w: World) -> Case:
    from microcred.earning import services

    attempt = _attempt(w)
    evidence = services.evidence_upload(
        actor=w.users["educator"],
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(),
        upload=_pdf_upload(),
    )
    return Case(
        reverse("earning:evidence-remove", args=[evidence.public_id]),
        {},
        lambda user: _gone(evidence) or _reload(evidence).removed_at is not None,
    )


def _earning_submit(w: World) -> Case:
    from microcred.earning.tests.factories import ready_attempt

    attempt = ready_attempt(w.users["educator"], w.internal)
    return Case(
        reverse("earning:submit", args=[attempt.public_id]),
        {"note": "Three lessons in a row."},
        lambda user: _reload(attempt).state not in ("started", "in_progress"),
    )


def _earning_withdraw(w: World) -> Case:
    attempt = _attempt(w)
    return Case(
        reverse("earning:withdraw", args=[attempt.public_id]),
        {"reason": "No time this term."},
        lambda user: _reload(attempt).state == "withdrawn",
    )


def _earning_comment(w: World) -> Case:
    attempt = _attempt(w)
    return Case(
        reverse("earning:comment", args=[attempt.public_id]),
        {"body": "Try a ticket with one question."},
        lambda user: attempt.comments.filter(author=user).exists(),
    )


# ----------------------------------------------------------------------------- core


def _core_profile(w: World) -> Case:
    return Case(
        reverse("core:profile"),
        {"full_name": "Renamed By Matrix"},
        lambda user: user is not None and _reload(user).full_name == "Renamed By Matrix",
    )


def _core_notifications(w: World) -> Case:
    from microcred.core.models import Notification

    for user in w.users.values():
        Notification.objects.create(user=user, verb="test.notice", text="Unread")
    return Case(
        reverse("core:notifications"),
        {},
        lambda user: not Notification.objects.filter(user=user, read_at__isnull=True).exists(),
    )


def _core_add_unit(w: World) -> Case:
    from microcred.core.models import Organization

    return Case(
        reverse("core:add-unit", args=[w.district.slug]),
        {"name": "Matrix Middle School", "kind": "school"},
        lambda user: Organization.objects.filter(name="Matrix Middle School").exists(),
    )


def _core_members(where: str) -> Callable[[World], Case]:
    """An invitation to the district, or to the school (where its leader works)."""

    def build(w: World) -> Case:
        from microcred.core.models import Invitation

        organization = w.district if where == "district" else w.school
        return Case(
            reverse("core:members", args=[organization.slug]),
            {"email": "invited@example.org", "role": "educator"},
            lambda user: Invitation.objects.filter(
                email="invited@example.org", organization=organization
            ).exists(),
        )

    return build


def _core_member_remove(w: World) -> Case:
    from microcred.core.models import Membership
    from microcred.core.tests.factories import member

    leaving = member(w.school, Role.EDUCATOR, email="leaving@riverbend.example")
    membership = Membership.objects.get(user=leaving)
    return Case(
        reverse("core:member-remove", args=[w.school.slug, membership.pk]),
        {},
        lambda user: _gone(membership),
    )


def _invitation(w: World, email: str) -> Any:
    from microcred.core import services

    return services.invitation_create(
        actor=w.users["admin"], organization=w.district, email=email, role=Role.COACH
    )


def _rosters_upload(w: World) -> Case:
    from microcred.rosters.models import RosterImport
    from microcred.rosters.tests.test_pages import zipped

    return Case(
        reverse("rosters:imports", args=[w.district.slug]),
        lambda: {"package": zipped("valid_12")},
        lambda user: RosterImport.objects.filter(organization=w.district).exists(),
    )


def _rosters_invitations(w: World) -> Case:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from microcred.rosters.models import RosterImport

    text = b"email,name,school,role\nmatrix@riverbend.example,Matrix Person,,assessor\n"
    return Case(
        reverse("rosters:invitations", args=[w.district.slug]),
        lambda: {"people": SimpleUploadedFile("people.csv", text, "text/csv")},
        lambda user: RosterImport.objects.filter(kind="invitations").exists(),
    )


def _rosters_sso(w: World) -> Case:
    from microcred.rosters.models import SingleSignOn

    return Case(
        reverse("rosters:sso", args=[w.district.slug]),
        {
            "issuer": "https://accounts.example.org",
            "client_id": "microcred",
            "client_secret": "a client secret",
            "email_domains": "riverbend.example",
        },
        lambda user: SingleSignOn.objects.filter(organization=w.district).exists(),
    )


def _path(path: str) -> Callable[[World], Case]:
    """An unnamed URL (allauth's old addresses, which redirect)."""
    return lambda w: Case(path, {})


def _rosters_roles(w: World) -> Case:
    from microcred.rosters.models import RosterSettings

    return Case(
        reverse("rosters:roles", args=[w.district.slug]),
        {"teacher": "educator", "aide": "educator"},
        lambda user: RosterSettings.objects.filter(organization=w.district).exists(),
    )


def _rosters_confirm(w: World) -> Case:
    from microcred.rosters import services
    from microcred.rosters.oneroster import Roster

    empty = Roster(version="1.2", modes={}, orgs=[], users=[], problems=[])
    record = services.roster_check(actor=None, organization=w.district, name="r.zip", roster=empty)
    return Case(
        reverse("rosters:import-confirm", args=[w.district.slug, record.pk]),
        {},
        lambda user: _reload(record).state != "validated",
    )


def _core_invitation_revoke(w: World) -> Case:
    invitation = _invitation(w, "revoked@example.org")
    return Case(
        reverse("core:invitation-revoke", args=[w.district.slug, invitation.pk]),
        {},
        lambda user: _reload(invitation).revoked_at is not None,
    )


def _core_invitation_accept(w: World) -> Case:
    # Addressed to Lakeshore's educator, who is asked to coach in Riverbend: only she may
    # accept it (issue 11, item 15).
    invitation = _invitation(w, w.users["outsider_educator"].email)
    return Case(
        reverse("core:invitation", args=[invitation.token]),
        {},
        lambda user: _reload(invitation).accepted_at is not None,
    )


# ----------------------------------------------------------------------------- assessment


def _hand_in(w: World) -> Any:
    """A hand-in of the internal credential, its review assigned to Riverbend's assessor."""
    from microcred.earning.tests.factories import submitted_attempt

    submission = submitted_attempt(w.users["educator"], w.internal)
    review = submission.reviews.get()
    assert review.assessor_id == w.users["assessor"].pk
    return review


def _review_data(review: Any, op: str) -> dict[str, Any]:
    from microcred.assessment.tests.factories import scores_for

    data: dict[str, Any] = {"op": op, "recommendation": "award", "summary": "Clear tickets."}
    for section_id, (level_id, feedback) in scores_for(review.submission).items():
        data[f"level-{section_id}"] = level_id
        data[f"feedback-{section_id}"] = feedback
    return data


def _assessment_review(op: str, state: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        review = _hand_in(w)
        data = (
            {"reason": "I coached this educator last year."}
            if op == "decline"
            else _review_data(review, op)
        )
        before = _field_values(review)

        def changed(user: User | None) -> bool:
            now = _reload(review)
            if state:
                return now.state == state
            return _field_values(now) != before or now.scores.exists()

        name = "assessment:review-decline" if op == "decline" else "assessment:review"
        return Case(reverse(name, args=[review.public_id]), data, changed)

    return build


def _assessment_reassign(to: str) -> Callable[[World], Case]:
    """To Riverbend's other assessor, or to Lakeshore's (nobody may: not a candidate)."""

    def build(w: World) -> Case:
        review = _hand_in(w)
        assessor = w.second_assessor if to == "north" else w.users["outsider_assessor"]
        return Case(
            reverse("assessment:reassign", args=[review.public_id]),
            {"assessor": assessor.pk, "reason": "Balancing the load."},
            lambda user: review.submission.reviews.filter(assessor=assessor).exists(),
        )

    return build


def _assessment_decide(w: World) -> Case:
    from microcred.assessment.tests.factories import submit_review

    review = _hand_in(w)
    submit_review(review)
    submission = review.submission
    return Case(
        reverse("assessment:decide", args=[submission.pk]),
        {"outcome": "award", "reason": "Strong evidence."},
        lambda user: submission.decisions.exists(),
    )


def _assessment_feedback(w: World) -> Case:
    from microcred.assessment import services
    from microcred.assessment.models import Appeal
    from microcred.assessment.tests.factories import submit_review

    review = _hand_in(w)
    sections = list(review.submission.sections.order_by("position").values_list("name", flat=True))
    submit_review(review, failing={sections[0]})
    decision = services.submission_decide(
        actor=w.users["issuer"],
        submission=review.submission,
        outcome="not_yet",
        reason="Show the regrouping next day.",
    )
    return Case(
        reverse("assessment:feedback", args=[review.submission.attempt.public_id]),
        {"reason": "The regrouping is in the second video, at minute four."},
        lambda user: Appeal.objects.filter(decision=decision).exists(),
    )


POOL_SETTINGS = {
    "turnaround_days": "7",
    "max_resubmissions": "2",
    "resubmit_wait_days": "0",
}


def _assessment_pools(w: World) -> Case:
    from microcred.assessment.models import AssessorPool

    return Case(
        reverse("assessment:pools"),
        {
            "organization": w.district.pk,
            "credential": w.internal.pk,
            "name": "Matrix pool",
            **POOL_SETTINGS,
        },
        lambda user: AssessorPool.objects.filter(name="Matrix pool").exists(),
    )


def _stack_new(w: World) -> Case:
    from microcred.programs.models import Stack

    other = _published(w, "Second in the stack")
    return Case(
        reverse("programs:stack-new"),
        {
            "organization": w.district.pk,
            "title": "Matrix stack",
            "credentials": [w.internal.pk, other.pk],
            "rule": "all",
        },
        lambda user: Stack.objects.filter(title="Matrix stack").exists(),
    )


def _agreed_stack(w: World) -> Any:
    from microcred.programs import services as programs

    stack = programs.stack_create(
        actor=w.users["admin"],
        organization=w.district,
        title="Agreed stack",
        summary="",
        rule="agreed",
        choose=1,
        credentials=[w.internal, _published(w, "Second in the stack")],
    )
    return programs.stack_publish(actor=w.users["admin"], stack=stack)


def _stack_agree(w: World) -> Case:
    import datetime

    from django.utils import timezone

    from microcred.programs.models import StackAgreement

    stack = _agreed_stack(w)
    return Case(
        reverse("programs:stack-agree", args=[stack.slug]),
        {
            "credentials": [w.internal.pk],
            "growth_goal": "Lead my team.",
            "target_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
        lambda user: StackAgreement.objects.filter(stack=stack, educator=user).exists(),
    )


def _agreement_decide(w: World) -> Case:
    import datetime

    from django.utils import timezone

    from microcred.programs import services as programs

    agreement = programs.agreement_propose(
        actor=w.users["educator"],
        stack=_agreed_stack(w),
        credentials=[w.internal],
        growth_goal="Lead my team.",
        target_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    return Case(
        reverse("programs:agreement", args=[agreement.pk]),
        {"number": 1, "decision": "approved", "comment": ""},
        lambda user: _reload(agreement).state == "approved",
    )


def _terms(w: World) -> Any:
    from decimal import Decimal

    from microcred.programs import ledger

    return ledger.terms_save(
        actor=w.users["admin"],
        organization=w.district,
        currency="USD",
        assessment_fee=Decimal("40"),
        fee_payer="district",
        credential_stipend=Decimal("200"),
    )


def _ledger_terms(w: World) -> Case:
    from microcred.programs.models import ProgramTerms

    return Case(
        reverse("programs:ledger-terms"),
        {
            "org": w.district.slug,
            "currency": "USD",
            "assessment_fee": "40",
            "fee_payer": "educator",
            "credential_stipend": "150",
        },
        lambda user: ProgramTerms.objects.filter(credential_stipend=150).exists(),
    )


def _ledger_budget(w: World) -> Case:
    from django.utils import timezone

    from microcred.programs.models import SchoolBudget

    _terms(w)
    return Case(
        reverse("programs:ledger-budget"),
        {
            "org": w.district.slug,
            "school": w.school.pk,
            "year": timezone.now().year,
            "amount": "900",
        },
        lambda user: SchoolBudget.objects.filter(amount=900).exists(),
    )


def _ledger_waiver(w: World) -> Case:
    from microcred.programs.models import FeeWaiver

    _terms(w)
    return Case(
        reverse("programs:ledger-waiver"),
        {"org": w.district.slug, "email": w.users["educator"].email, "reason": "Grant"},
        lambda user: FeeWaiver.objects.exists(),
    )


def _ledger_approve(w: World) -> Case:
    from django.utils import timezone

    from microcred.programs.models import LedgerEntry

    terms = _terms(w)
    entry = LedgerEntry.objects.create(
        terms=terms,
        educator=w.users["educator"],
        school=w.school,
        kind="credential_stipend",
        amount=200,
        district_cost=200,
        currency="USD",
        description="Stipend",
        created_at=timezone.now(),
    )
    return Case(
        reverse("programs:ledger-approve"),
        {"org": w.district.slug, "entries": [entry.pk]},
        lambda user: _reload(entry).approved_at is not None,
    )


def _stack_stipends(w: World) -> Case:
    stack = _agreed_stack(w)
    return Case(
        reverse("programs:stack-stipends", args=[stack.slug]),
        {"on_completion": "500", "per_year": ""},
        lambda user: _reload(stack).stipend_on_completion == 500,
    )


def _recommend(w: World) -> Case:
    from microcred.programs.models import Recommendation

    return Case(
        reverse("programs:recommend"),
        {
            "credential": w.internal.pk,
            "kind": "recommended",
            "target": "person",
            "email": w.users["educator"].email,
            "reason": "Worth it.",
        },
        lambda user: Recommendation.objects.filter(recommended_by=user).exists(),
    )


def _recommendation_dismiss(w: World) -> Case:
    from microcred.programs import services as programs
    from microcred.programs.models import Recommendation

    programs.recommend_to(
        actor=w.users["leader"],
        target="person",
        email=w.users["educator"].email,
        credential=w.internal,
        kind="recommended",
        reason="Worth it.",
    )
    found = Recommendation.objects.get(educator=w.users["educator"])
    return Case(
        reverse("programs:recommendation-dismiss", args=[found.pk]),
        {},
        lambda user: _reload(found).dismissed_at is not None,
    )


def _stack_publish(w: World) -> Case:
    from microcred.programs import services as programs

    stack = programs.stack_create(
        actor=w.users["admin"],
        organization=w.district,
        title="Draft stack",
        summary="",
        rule="all",
        choose=None,
        credentials=[w.internal, _published(w, "Second in the stack")],
    )
    return Case(
        reverse("programs:stack-publish", args=[stack.slug]),
        {},
        lambda user: _reload(stack).published_at is not None,
    )


def _renewal_rule(w: World) -> Any:
    import datetime
    from decimal import Decimal

    from microcred.programs import licensure

    return licensure.renewal_rule_save(
        actor=w.users["admin"],
        organization=w.district,
        data=licensure.RuleInput(
            name="Riverbend renewal",
            required=Decimal(90),
            unit="hours",
            cycle_years=5,
            cycles_start_on=datetime.date(2025, 7, 1),
        ),
    )


RULE_FORM = {
    "name": "Matrix renewal",
    "required": "60",
    "unit": "hours",
    "cycle_years": "3",
    "cycles_start_on": "2025-07-01",
    "active": "on",
}


def _licensure_rule_new(w: World) -> Case:
    from microcred.programs.models import RenewalRule

    return Case(
        reverse("licensure:rule-new"),
        {"organization": w.district.pk, **RULE_FORM},
        lambda user: RenewalRule.objects.filter(name="Matrix renewal").exists(),
    )


def _licensure_rule(w: World) -> Case:
    rule = _renewal_rule(w)
    return Case(
        reverse("licensure:rule", args=[rule.pk]),
        RULE_FORM,
        lambda user: _reload(rule).name == "Matrix renewal",
    )


def _licensure_cycle(w: World) -> Case:
    from microcred.programs.models import CreditCycleStart

    rule = _renewal_rule(w)
    return Case(
        reverse("licensure:cycle", args=[rule.pk]),
        {f"rule-{rule.pk}-starts_on": "2024-09-01"},
        lambda user: CreditCycleStart.objects.filter(educator=user, rule=rule).exists(),
    )


def _licensure_transcript(w: World) -> Case:
    from microcred.core.models import AuditEvent

    _issued(w)  # the educator's badge, signed into her transcript
    return Case(
        reverse("licensure:transcript-clr"),
        {},
        lambda user: AuditEvent.objects.filter(
            actor=user, verb="licensure.transcript_issued"
        ).exists(),
    )


def _assessment_pool(op: str) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        from microcred.assessment.models import PoolMember
        from microcred.assessment.tests.factories import pool

        item = pool(w.district, w.internal, [w.users["assessor"]])
        member = PoolMember.objects.get(pool=item)
        data: dict[str, Any] = {}
        if op == "settings":
            data.update(name="Renamed pool", **POOL_SETTINGS)
            changed = lambda user: _reload(item).name == "Renamed pool"  # noqa: E731
            name = "assessment:pool-settings"
        elif op in ("add", "add-foreign"):
            person = w.second_assessor if op == "add" else w.users["outsider_assessor"]
            data.update(assessor=person.pk)
            changed = lambda user: item.members.filter(  # noqa: E731
                assessor=person, active=True
            ).exists()
            name = "assessment:pool-member-add"
        else:
            data["member"] = member.pk
            changed = lambda user: _gone(member) or not _reload(member).active  # noqa: E731
            name = "assessment:pool-member-remove"
        return Case(reverse(name, args=[item.pk]), data, changed)

    return build


# ----------------------------------------------------------------------------- badges


def _issued(w: World, *, valid_for_months: int | None = None) -> Any:
    from microcred.assessment import services as assessment
    from microcred.assessment.tests.factories import submit_review
    from microcred.badges.services import credential_issue
    from microcred.catalog.models import CredentialVersion

    credential = _published(w, "Badge to manage")
    if valid_for_months:
        CredentialVersion.objects.filter(credential=credential).update(
            valid_for_months=valid_for_months
        )
    from microcred.earning.tests.factories import submitted_attempt

    submission = submitted_attempt(w.users["educator"], credential)
    submit_review(submission.reviews.get())
    assessment.submission_decide(
        actor=w.users["issuer"], submission=submission, outcome="award", reason=""
    )
    submission.attempt.refresh_from_db()
    return credential_issue(award=submission.attempt.award)


def _badge_case(
    name: str, data: dict[str, Any], check: Callable[[Any], bool], **issue: Any
) -> Callable[[World], Case]:
    def build(w: World) -> Case:
        credential = _issued(w, **issue)
        if name == "badges:reinstate":
            from microcred.badges import services

            services.credential_revoke(
                actor=w.users["issuer"], credential=credential, reason="Copied evidence."
            )
        return Case(
            reverse(name, args=[credential.public_id]),
            data,
            lambda user: check(_reload(credential)),
        )

    return build


def _core_organization_linkedin(w: World) -> Case:
    return Case(
        reverse("core:organization-linkedin", args=[w.district.slug]),
        {"linkedin_organization_id": "12345678"},
        lambda user: _reload(w.district).linkedin_organization_id == "12345678",
    )


def _badges_keys(w: World) -> Case:
    from microcred.badges.models import IssuerKey
    from microcred.badges.services import signing_key

    signing_key(w.district)
    count = IssuerKey.objects.filter(organization=w.district).count()
    return Case(
        reverse("badges:keys", args=[w.district.slug]),
        {},
        lambda user: IssuerKey.objects.filter(organization=w.district).count() > count,
    )


def _badges_key_compromised(w: World) -> Case:
    from microcred.badges.services import signing_key

    key = signing_key(w.district)
    prefix = key.key_id
    return Case(
        reverse("badges:key-compromised", args=[w.district.slug, key.key_id]),
        {
            f"{prefix}-reason": "The laptop with a copy of the database was stolen.",
            f"{prefix}-confirm": "on",
        },
        lambda user: _reload(key).compromised_at is not None,
    )


def _plain(name: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Callable[[World], Case]:
    """An endpoint that needs no object of its own."""
    return lambda w: Case(reverse(name, kwargs=kwargs or None), data or {})


# ----------------------------------------------------------------------------- accounts


def _account_login(w: World) -> Case:
    return Case(
        reverse("account_login"),
        {"login": w.returning.email, "password": PASSWORD},
        lambda user: _reload(w.returning).last_login is not None,
    )


def _account_email(w: World) -> Case:
    from allauth.account.models import EmailAddress

    return Case(
        reverse("account_email"),
        {"action_add": "", "email": "second-address@example.org"},
        lambda user: EmailAddress.objects.filter(
            user=user, email="second-address@example.org"
        ).exists(),
    )


def _account_change_password(w: World) -> Case:
    return Case(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
        lambda user: user is not None and _reload(user).check_password("a new long passphrase"),
    )


def _account_signup(w: World) -> Case:
    return Case(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
        lambda user: User.objects.filter(email="newcomer@example.org").exists(),
    )


# ----------------------------------------------------------------------------- the entries

ISSUER = north("issuer")
MANAGERS = north("issuer", "admin")

WRITES: dict[str, Write] = {
    # Design studio (Riverbend's credentials)
    "studio:new": Write(_studio_new("north"), north("designer"), "a new draft credential"),
    "studio:new#lakeshore": Write(
        _studio_new("south"), frozenset({"outsider_designer"}), "a new draft in Lakeshore"
    ),
    "studio:edit": Write(_studio_edit, north("designer"), "a draft's basics"),
    "studio:submit": Write(_studio_submit, north("designer"), "a draft goes to review"),
    "studio:withdraw": Write(_studio_withdraw, north("designer"), "a version back to draft"),
    "studio:review": Write(_studio_review, north("reviewer"), "a version approved and published"),
    "studio:new-version": Write(_studio_new_version, north("designer"), "a new draft version"),
    "studio:discard": Write(_studio_discard, north("designer"), "a draft version discarded"),
    "studio:retire": Write(_studio_retire, north("designer", "admin"), "a credential retired"),
    "studio:reinstate": Write(
        _studio_reinstate, north("designer", "admin"), "a retired credential active again"
    ),
    "studio:visibility": Write(_studio_visibility, north("designer"), "public → internal"),
    "studio:badge": Write(_studio_badge, north("designer"), "a draft's badge image"),
    # Earning (Riverbend's educator's attempt at an internal credential)
    # Any Riverbend educator starts her own attempt at the internal credential.
    "earning:start": Write(_earning_start, north("educator", "educator_two"), "a new attempt"),
    "earning:reflection": Write(_earning_reflection, north("educator"), "pre-reflection"),
    "earning:answer": Write(_earning_answer, north("educator"), "an autosaved answer"),
    "earning:resource-tick": Write(_earning_resource_tick, north("educator"), "a resource tick"),
    "earning:evidence-add": Write(_earning_evidence_add, north("educator"), "a file of evidence"),
    "earning:upload-begin": Write(_earning_upload_begin, north("educator"), "an upload session"),
    "earning:upload-chunk": Write(_earning_upload_chunk, north("educator"), "a finished upload"),
    "earning:upload-chunk#cancel": Write(
        _earning_upload_cancel, north("educator"), "a cancelled upload"
    ),
    "earning:evidence-remove": Write(
        _earning_evidence_remove, north("educator"), "evidence removed"
    ),
    "earning:submit": Write(_earning_submit, north("educator"), "an attempt handed in"),
    "earning:withdraw": Write(_earning_withdraw, north("educator"), "an attempt withdrawn"),
    "earning:comment": Write(_earning_comment, north("educator", "coach"), "a comment"),
    # People and organizations
    "core:profile": Write(_core_profile, SIGNED_IN, "one's own name"),
    "core:notifications": Write(_core_notifications, SIGNED_IN, "one's notices marked read"),
    "core:add-unit": Write(_core_add_unit, north("admin"), "a new school"),
    "core:organization-linkedin": Write(
        _core_organization_linkedin, north("issuer", "admin"), "the LinkedIn page id"
    ),
    "core:members": Write(_core_members("district"), north("admin"), "an invitation"),
    # The school leader leads the school; its people are the district's program admin's.
    "core:members#school": Write(
        _core_members("school"), north("admin"), "an invitation to the school"
    ),
    "core:member-remove": Write(_core_member_remove, north("admin"), "a membership ended"),
    "rosters:imports": Write(_rosters_upload, north("admin"), "a roster checked"),
    "rosters:roles": Write(_rosters_roles, north("admin"), "the district's role map"),
    "rosters:invitations": Write(_rosters_invitations, north("admin"), "invitations checked"),
    "rosters:import-confirm": Write(_rosters_confirm, north("admin"), "a roster import confirmed"),
    "rosters:sso": Write(_rosters_sso, north("admin"), "the district's sign-in settings"),
    # Starts a test sign-in at the provider (nothing is saved here yet: back to the page);
    # who may is the authorization matrix's.
    "rosters:sso-test": Write(
        _plain("rosters:sso-test", slug="riverbend"), NOBODY, "the session only", open_=True
    ),
    # Single sign-on through allauth: no provider is set up here, so nothing happens.
    "rosters:oidc-callback": Write(
        _plain("rosters:oidc-callback", provider_id="district-riverbend"),
        NOBODY,
        "nothing: no such provider",
        open_=True,
    ),
    "rosters:social-connections-off": Write(
        _plain("rosters:social-connections-off"), NOBODY, "nothing", open_=True
    ),
    "openid_connect_login": Write(
        _plain("openid_connect_login", provider_id="district-riverbend"),
        NOBODY,
        "nothing: no such provider",
        open_=True,
    ),
    "openid_connect_callback": Write(
        _plain("openid_connect_callback", provider_id="district-riverbend"),
        NOBODY,
        "nothing: no such provider",
        open_=True,
    ),
    "socialaccount_connections": Write(
        _plain("socialaccount_connections"), NOBODY, "nothing: the page is off", open_=True
    ),
    "socialaccount_signup": Write(
        _plain("socialaccount_signup", {"email": "x@riverbend.example"}),
        NOBODY,
        "nothing: no sign-up through a provider",
        open_=True,
    ),
    "<unnamed social/connections/>": Write(
        _path("/accounts/social/connections/"), NOBODY, "nothing", open_=True
    ),
    "<unnamed social/login/cancelled/>": Write(
        _path("/accounts/social/login/cancelled/"), NOBODY, "nothing", open_=True
    ),
    "<unnamed social/login/error/>": Write(
        _path("/accounts/social/login/error/"), NOBODY, "nothing", open_=True
    ),
    "<unnamed social/signup/>": Write(
        _path("/accounts/social/signup/"), NOBODY, "nothing", open_=True
    ),
    "core:invitation-revoke": Write(
        _core_invitation_revoke, north("admin"), "an invitation revoked"
    ),
    # The emailed link is the authority; someone else signed in is shown why not (any
    # answer), and nothing changes.
    "core:invitation": Write(
        _core_invitation_accept,
        frozenset({"outsider_educator"}),
        "an invitation accepted",
        open_=True,
    ),
    # Assessment (a hand-in of the internal credential; Riverbend's assessor reviews it)
    "assessment:review": Write(
        _assessment_review("submit", "submitted"), north("assessor"), "a review submitted"
    ),
    "assessment:review#save": Write(
        _assessment_review("save", ""), north("assessor"), "a review's draft scores"
    ),
    "assessment:review-decline": Write(
        _assessment_review("decline", "declined"), north("assessor"), "a review declined"
    ),
    "assessment:reassign": Write(_assessment_reassign("north"), MANAGERS, "a review reassigned"),
    "assessment:reassign#lakeshore-assessor": Write(
        _assessment_reassign("south"), NOBODY, "nothing: Lakeshore's assessor is no candidate"
    ),
    "assessment:decide": Write(_assessment_decide, ISSUER, "a decision"),
    "assessment:feedback": Write(_assessment_feedback, north("educator"), "an appeal"),
    "assessment:pools": Write(_assessment_pools, MANAGERS, "a new pool"),
    "assessment:pool-settings": Write(_assessment_pool("settings"), MANAGERS, "a pool's settings"),
    "assessment:pool-member-add": Write(_assessment_pool("add"), MANAGERS, "an assessor joins"),
    "assessment:pool-member-add#lakeshore-assessor": Write(
        _assessment_pool("add-foreign"), NOBODY, "nothing: Lakeshore's assessor cannot join"
    ),
    "assessment:pool-member-remove": Write(
        _assessment_pool("remove"), MANAGERS, "an assessor leaves"
    ),
    # Programs (Riverbend's stacks, designed by its program admin)
    "programs:stack-new": Write(_stack_new, north("admin"), "a new stack"),
    "programs:stack-publish": Write(_stack_publish, north("admin"), "a draft stack is published"),
    "programs:stack-agree": Write(_stack_agree, north("educator", "educator_two"), "a proposal"),
    "programs:agreement": Write(_agreement_decide, north("leader"), "an agreement approved"),
    "programs:ledger-terms": Write(_ledger_terms, north("admin"), "the program's terms"),
    "programs:ledger-budget": Write(_ledger_budget, north("admin"), "a school's budget"),
    "programs:ledger-waiver": Write(_ledger_waiver, north("admin"), "a fee waived"),
    "programs:ledger-approve": Write(_ledger_approve, north("admin"), "an entry approved"),
    "programs:stack-stipends": Write(_stack_stipends, north("admin"), "a stack's stipends"),
    "programs:recommend": Write(_recommend, north("leader", "admin"), "a recommendation"),
    "programs:recommendation-dismiss": Write(
        _recommendation_dismiss, north("educator"), "a recommendation dismissed"
    ),
    # Licensure credit: Riverbend's renewal rule is its program admin's; everyone under
    # Riverbend gives the day their own cycle began; the educator signs her badges into a
    # transcript (the others hold none: 400).
    "licensure:rule-new": Write(_licensure_rule_new, north("admin"), "a new renewal rule"),
    "licensure:rule": Write(_licensure_rule, north("admin"), "a renewal rule changed"),
    "licensure:cycle": Write(
        _licensure_cycle, north(*NORTH, *PEERS), "one's own cycle start under the rule"
    ),
    "licensure:transcript-clr": Write(
        _licensure_transcript, north("educator"), "a signed transcript (audited)"
    ),
    # Badges (Riverbend's educator's badge)
    "badges:preferences": Write(
        _badge_case(
            "badges:preferences",
            {"display_name": "Ana Matrix", "public": ""},
            lambda c: c.award.badge_preferences.public is False,
        ),
        north("educator"),
        "the badge page made private",
    ),
    "badges:reissue": Write(
        _badge_case("badges:reissue", {"reason": "correction"}, lambda c: c.state == "superseded"),
        ISSUER,
        "a corrected copy issued",
    ),
    "badges:revoke": Write(
        _badge_case(
            "badges:revoke", {"reason": "Copied evidence."}, lambda c: c.state == "revoked"
        ),
        ISSUER,
        "a badge revoked",
    ),
    "badges:reinstate": Write(
        _badge_case("badges:reinstate", {}, lambda c: c.state == "active"),
        ISSUER,
        "a revoked badge reinstated",
    ),
    "badges:renew": Write(
        _badge_case("badges:renew", {}, lambda c: c.state == "superseded", valid_for_months=12),
        ISSUER,
        "an expiring badge renewed",
    ),
    "badges:keys": Write(_badges_keys, ISSUER, "a new signing key"),
    "badges:key-compromised": Write(_badges_key_compromised, ISSUER, "a key marked compromised"),
    "badges:verify": Write(_plain("badges:verify", {"text": "{}"}), NOBODY, "nothing", open_=True),
    "badges:verify-api": Write(
        _plain("badges:verify-api", {"url": "not a web address"}), NOBODY, "nothing", open_=True
    ),
    # Accounts (django-allauth): each person's own account
    "account_login": Write(
        _account_login, frozenset({"anonymous"}), "signs in (last login)", open_=True
    ),
    "account_signup": Write(
        _account_signup, NOBODY, "nothing: sign-up needs an invitation", open_=True
    ),
    "account_logout": Write(_plain("account_logout"), NOBODY, "the session only", open_=True),
    "account_reauthenticate": Write(
        _plain("account_reauthenticate", {"password": PASSWORD}),
        NOBODY,
        "the session only",
        open_=True,
    ),
    "account_email": Write(_account_email, SIGNED_IN, "an email address added"),
    "account_change_password": Write(_account_change_password, SIGNED_IN, "one's own password"),
    "account_set_password": Write(
        _plain("account_set_password", {"password1": "x" * 12, "password2": "x" * 12}),
        NOBODY,
        "nothing: every persona has a password",
        open_=True,
    ),
    "account_reset_password": Write(
        _plain("account_reset_password", {"email": "educator@riverbend.example"}),
        NOBODY,
        "nothing stored (an email is sent)",
        open_=True,
    ),
    "account_email_verification_sent": Write(
        _plain("account_email_verification_sent"), NOBODY, "nothing", open_=True
    ),
    "account_confirm_login_code": Write(
        _plain("account_confirm_login_code", {"code": "123456"}), NOBODY, "nothing", open_=True
    ),
    "account_confirm_email": Write(
        _plain("account_confirm_email", key="not-a-real-key"), NOBODY, "nothing", open_=True
    ),
    "account_reset_password_from_key": Write(
        _plain(
            "account_reset_password_from_key",
            {"password1": "x" * 12, "password2": "x" * 12},
            uidb36="1",
            key="not-a-real-key",
        ),
        NOBODY,
        "nothing",
        open_=True,
    ),
}


# ----------------------------------------------------------------------------- the admin site


def _admin_model(name: str) -> Any:
    """The model of an admin URL name such as `admin:core_membership_delete`."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


def _admin_case(route: Route) -> Callable[[World], Case]:
    """POST an action that would delete a real row: the admin must send everyone but the
    operator to its sign-in page."""

    def build(w: World) -> Case:
        model = _admin_model(route.name)
        obj = model._base_manager.order_by("pk").first() if model else None
        values = dict(PLACEHOLDERS)
        if obj is not None:
            values.update(
                object_id=str(obj.pk),
                app_label=model._meta.app_label,
                id=str(obj.pk),
            )
        data: dict[str, Any] = {"action": "delete_selected", "post": "yes", "index": "0"}
        if obj is not None:
            data["_selected_action"] = [obj.pk]
        return Case(fill(route, values), data)

    return build


def _admin_delete_membership(w: World) -> Case:
    from microcred.core.models import Membership
    from microcred.core.tests.factories import member

    membership = Membership.objects.get(
        user=member(w.school, Role.EDUCATOR, email="admin-deleted@example.org")
    )
    return Case(
        reverse("admin:core_membership_delete", args=[membership.pk]),
        {"post": "yes"},
        lambda user: _gone(membership),
    )


def _admin_delete_audit_event(w: World) -> Case:
    from microcred.core.models import AuditEvent

    event = AuditEvent.objects.order_by("pk").first()
    assert event is not None
    return Case(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})


WRITES.update(
    {
        # The operator may delete a membership; nobody may delete an audit event (the
        # admin keeps history read-only) or change a published version by hand.
        "admin:core_membership_delete": Write(
            _admin_delete_membership, frozenset({"operator"}), "a membership deleted"
        ),
        "admin:core_auditevent_delete": Write(
            _admin_delete_audit_event, NOBODY, "nothing: audit events are read-only"
        ),
        "admin:login": Write(_plain("admin:login"), NOBODY, "nothing", open_=True),
        "admin:logout": Write(_plain("admin:logout"), NOBODY, "the session only", open_=True),
    }
)


# ----------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: Any = field(compare=False, repr=False)

    @property
    def ours(self) -> bool:
        """Our own view (django-allauth's and the admin's pages follow their own rules
        for a method they do not take: only "changes nothing" is asked of them)."""
        module = getattr(getattr(self.callback, "view_class", self.callback), "__module__", "")
        return module.startswith("microcred.")

    @property
    def methods(self) -> frozenset[str]:
        """The state-changing methods the view accepts (from its decorators or class)."""
        return accepted_writes(self.callback)


def accepted_writes(callback: Any) -> frozenset[str]:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return frozenset(m for m in WRITE_METHODS if hasattr(view_class, m.lower()))
    func = callback
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m for m in cell.cell_contents if m in WRITE_METHODS)
        func = getattr(func, "__wrapped__", None)
    return frozenset(WRITE_METHODS)  # no decorator: the view sees every method


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
                name = namespace + (p.name or f"<unnamed {p.pattern}>")
                yield Route(name, prefix + str(p.pattern), p.callback)

    yield from walk(get_resolver().url_patterns, "", "")


PLACEHOLDERS = {
    "slug": "riverbend",
    "pk": "1",
    "number": "1",
    "part": "basics",
    "phase": "pre",
    "key": "not-a-real-key",
    "uidb36": "1",
    "token": "not-a-token",
    "object_id": "1",
    "app_label": "core",
    "content_type_id": "1",
    "url": "nowhere/",
    "id": "1",
    "provider_id": "district-riverbend",
    "prompt_id": "1",
    "resource_id": "1",
    "requirement_id": "1",
    "attempt_id": "00000000-0000-4000-8000-000000000000",
    "review_id": "00000000-0000-4000-8000-000000000000",
    "award_id": "00000000-0000-4000-8000-000000000000",
    "evidence_id": "00000000-0000-4000-8000-000000000000",
    "public_id": "00000000-0000-4000-8000-000000000000",
}


def fill(route: Route, values: dict[str, str]) -> str:
    def value(name: str) -> str:
        assert name in values, f"No value for <{name}> in {route.name}: add one to PLACEHOLDERS."
        return values[name]

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route.pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "")


ROUTES = sorted(routes(), key=lambda r: r.name)
BY_NAME = {r.name: r for r in ROUTES}
for _route in ROUTES:
    if _route.name.startswith("admin:") and _route.methods and _route.name not in WRITES:
        WRITES[_route.name] = Write(
            _admin_case(_route),
            NOBODY,
            "nothing but for the operator",
            unchecked=frozenset({"operator"}),
        )


# Escalations this matrix found that are not fixed yet (strict xfail: the entry must go
# when the fix lands). Empty: item 15 of issue 11 (invitations) is fixed.
KNOWN: dict[str, str] = {}


def base_name(key: str) -> str:
    return key.split("#", 1)[0]


# ----------------------------------------------------------------------------- digest

SKIPPED_APPS = {"sessions", "contenttypes", "axes"}  # sign-in bookkeeping, not data


def _tables() -> list[tuple[str, str]]:
    return sorted(
        {
            (model._meta.db_table, str(model._meta.pk.column))
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label not in SKIPPED_APPS
            and not model._meta.proxy
            and model._meta.managed
        }
    )


def digest() -> dict[str, str]:
    """A hash of every row of every table, per table."""
    found = {}
    with connection.cursor() as cursor:
        for table, pk in TABLES:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{pk}"')  # noqa: S608 - our names
            found[table] = hashlib.blake2b(
                repr(cursor.fetchall()).encode(), digest_size=16
            ).hexdigest()
    return found


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in before if before[table] != after[table]]


TABLES = _tables()


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def matrix_storage(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("write-matrix-media")},
    }


@dataclass
class Matrix:
    world: World
    clients: dict[str, Client]


@pytest.fixture(scope="module")
def matrix(django_db_setup: Any, django_db_blocker: Any, matrix_storage: dict[str, Any]) -> Any:
    """The world and one signed-in client per persona, built once per module (per xdist
    worker) inside a transaction that is rolled back at the end."""
    from django.conf import settings
    from django.test import override_settings

    with (
        override_settings(
            STORAGES={**settings.STORAGES, "default": matrix_storage},
            UPLOAD_STAGING_DIR=matrix_storage["OPTIONS"]["location"] / "staging",
            TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        clients = {}
        for name in PERSONAS:
            client = Client(raise_request_exception=False)
            if name != "anonymous":
                client.force_login(world.users[name])
            clients[name] = client
        yield Matrix(world, clients)
        transaction.set_rollback(True)


@pytest.fixture
def matrix_settings(settings: Any, matrix_storage: dict[str, Any]) -> Iterator[None]:
    settings.STORAGES = {**settings.STORAGES, "default": matrix_storage}
    settings.UPLOAD_STAGING_DIR = matrix_storage["OPTIONS"]["location"] / "staging"
    settings.ACCOUNT_RATE_LIMITS = False
    settings.AXES_ENABLED = False
    settings.RATELIMIT_ENABLE = False
    # Every refusal would be logged with its traceback (and captured by pytest): thousands.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _send(client: Client, case: Case, method: str) -> Any:
    """One request; the client's cookies are put back after it (a sign-out or a sign-in
    would otherwise change who the next request is from)."""
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode

    saved = SimpleCookie()
    saved.load(client.cookies.output(header="", sep=";"))
    try:
        if method == case.method and case.body is not None:
            content_type = case.headers.get("Content-Type", "application/octet-stream")
            headers = {k: v for k, v in case.headers.items() if k != "Content-Type"}
            return client.generic(method, case.url, case.body, content_type, headers=headers)
        data = case.payload()
        if method == "POST":
            return client.post(case.url, data, headers=case.headers or None)
        flat = {k: (v.name if hasattr(v, "read") else v) for k, v in data.items()}
        return client.generic(
            method,
            case.url,
            urlencode(flat, doseq=True),
            "application/x-www-form-urlencoded",
            headers={k: v for k, v in case.headers.items() if k != "Content-Type"} or None,
        )
    finally:
        client.cookies = saved


def _refusal(response: Any) -> bool:
    """400 (the form offers no such choice), 403, 404, 405, or a redirect to a sign-in page."""
    if response.status_code in (400, 403, 404, 405):
        return True
    location = response.headers.get("Location", "") if response.status_code in (301, 302) else ""
    return location.startswith((reverse("account_login"), reverse("admin:login")))


def _write(kind: str, key: str, requests: int, refused: int, allowed: int) -> None:
    """One row per case: `write` (a state-changing endpoint) or `read` (a URL that only
    met PUT/PATCH/DELETE)."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a") as report:
        report.write(f"{kind}\t{key}\t{len(PERSONAS)}\t{requests}\t{refused}\t{allowed}\n")


# ----------------------------------------------------------------------------- the tests


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "write_key" in metafunc.fixturenames:
        keys = sorted(WRITES)
        params = [
            pytest.param(key, marks=pytest.mark.xfail(reason=KNOWN[key], strict=True))
            if key in KNOWN
            else key
            for key in keys
        ]
        metafunc.parametrize("write_key", params, ids=keys)
    if "read_route" in metafunc.fixturenames:
        covered = {base_name(key) for key in WRITES}
        rest = [r for r in ROUTES if r.name not in covered]
        metafunc.parametrize("read_route", rest, ids=[r.name for r in rest])


def probes(entry: Write, route: Route, method: str) -> tuple[str, ...]:
    """Who sends the other methods. A view that refuses a method does so before it looks
    at who asks (after the sign-in check), so the allowed personas, their Lakeshore
    counterparts, the anonymous visitor and the operator say all there is; a view that
    accepts the method hears it from everyone. The admin site sends every non-staff
    person to its sign-in page whatever the method."""
    if method in route.methods and not route.name.startswith("admin:"):
        return PERSONAS
    chosen = {"anonymous", "operator", "admin", "outsider_admin"} | entry.allowed
    chosen |= {f"outsider_{name}" for name in entry.allowed if name in NORTH}
    return tuple(name for name in PERSONAS if name in chosen)


def test_only_allowed_personas_change_state(
    write_key: str, matrix: Matrix, matrix_settings: None, django_db_blocker: Any
) -> None:
    entry = WRITES[write_key]
    route = BY_NAME[base_name(write_key)]
    failures: list[str] = []
    requests = refused = allowed = 0
    with django_db_blocker.unblock(), transaction.atomic():
        case = entry.build(matrix.world)
        # A method with an entry of its own for this URL is that entry's business.
        own = {m for k in WRITES if base_name(k) == route.name for m in _entry_methods(k)}
        others = [m for m in WRITE_METHODS if m not in own | {case.method}]
        baseline = Baseline()
        for name in PERSONAS:
            user = matrix.world.user(name)
            client = matrix.clients[name]
            with transaction.atomic():
                writes = baseline.mark()
                response = _send(client, case, case.method)
                moved = baseline.moved(writes)
                requests += 1
                status = response.status_code
                where = f"{case.method} {case.url} as {name}: {status}"
                if status >= 500:
                    failures.append(f"{where} (server error)")
                elif name in entry.allowed:
                    if status >= 400 or not moved or not case.changed(user):
                        failures.append(
                            f"{where}: the allowed change ({entry.what}) did not happen"
                            + (f"; tables changed: {moved}" if moved else "")
                        )
                    else:
                        allowed += 1
                elif name in entry.unchecked:
                    pass
                elif moved:
                    failures.append(f"{where}: ESCALATION, changed {moved}")
                elif not entry.open_ and not _refusal(response):
                    failures.append(f"{where}: nothing changed, but the answer is not a refusal")
                else:
                    refused += 1
                transaction.set_rollback(True)
            # The other methods, with the same payload, change nothing for anybody.
            for method in others:
                if name not in probes(entry, route, method):
                    continue
                with transaction.atomic():
                    writes = baseline.mark()
                    response = _send(client, case, method)
                    moved = baseline.moved(writes)
                    requests += 1
                    where = f"{method} {case.url} as {name}: {response.status_code}"
                    if response.status_code >= 500:
                        failures.append(f"{where} (server error)")
                    elif moved and name not in entry.unchecked:
                        failures.append(f"{where}: ESCALATION, changed {moved}")
                    elif route.ours and method not in route.methods and not _refusal(response):
                        failures.append(f"{where}: not refused")
                    else:
                        refused += 1
                    transaction.set_rollback(True)
        transaction.set_rollback(True)
    _write("write", write_key, requests, refused, allowed)
    assert not failures, "\n".join(failures)


def _entry_methods(key: str) -> set[str]:
    """The method an entry sends, without building it (only the upload URL has others)."""
    return {"upload-chunk": {"PATCH"}, "upload-chunk#cancel": {"DELETE"}}.get(
        key.removeprefix("earning:"), {"POST"}
    )


class Baseline:
    """The digest of the world as each savepoint starts (they are all rolled back, so it
    is the same every time), and SQLite's count of written rows to skip the digest after
    a request that wrote nothing at all."""

    def __init__(self) -> None:
        self.digest = digest()

    def mark(self) -> int | None:
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            return int(cursor.fetchone()[0])

    def moved(self, mark: int | None) -> list[str]:
        if mark is not None and self.mark() == mark:
            return []
        return changed_tables(self.digest, digest())


def test_urls_without_writes_refuse_put_patch_delete(
    read_route: Route, matrix: Matrix, matrix_settings: None, django_db_blocker: Any
) -> None:
    """A view refuses a method before it looks anything up, so made-up values fill the URL."""
    url = fill(read_route, PLACEHOLDERS)
    failures: list[str] = []
    requests = 0
    case = Case(url, {"name": "x", "reason": "x", "post": "yes"})
    with django_db_blocker.unblock(), transaction.atomic():
        baseline = Baseline()
        for name in PERSONAS:
            for method in ("PUT", "PATCH", "DELETE"):
                with transaction.atomic():
                    writes = baseline.mark()
                    response = _send(matrix.clients[name], case, method)
                    moved = baseline.moved(writes)
                    transaction.set_rollback(True)
                requests += 1
                where = f"{method} {url} as {name}: {response.status_code}"
                if response.status_code >= 500:
                    failures.append(f"{where} (server error)")
                elif moved:
                    failures.append(f"{where}: changed {moved}")
                elif (
                    read_route.ours and method not in read_route.methods and not _refusal(response)
                ):
                    failures.append(f"{where}: not refused")
        transaction.set_rollback(True)
    _write("read", read_route.name, requests, requests - len(failures), 0)
    assert not failures, "\n".join(failures)


def test_every_state_changing_url_is_in_the_matrix() -> None:
    accepting = {r.name for r in ROUTES if r.methods}
    covered = {base_name(key) for key in WRITES}
    missing = sorted(accepting - covered)
    assert not missing, (
        "These URLs accept POST/PUT/PATCH/DELETE but have no entry in WRITES "
        f"(say who may change what): {missing}"
    )
    stale = sorted(covered - set(BY_NAME))
    assert not stale, f"WRITES names URLs that no longer exist: {stale}"
    # The classification sees the decorators: read-only pages are not counted as writes.
    assert "studio:submit" in accepting and "catalog:list" not in accepting
    assert BY_NAME["earning:upload-chunk"].methods == {"PATCH", "DELETE"}
