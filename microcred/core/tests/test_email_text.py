"""Emails are plain text: what people wrote reaches the reader as they wrote it.

Every notification email is sent here through the real services, with an apostrophe,
an ampersand and a "<" in each part a person wrote (names, titles, comments, reasons),
and read back from the outbox: no `&#x27;`, `&amp;` or `&lt;` in the body or subject,
and the subject stays on one line. HTML parts, where a template has one, stay escaped.
"""

from __future__ import annotations

import glob
import os
from datetime import timedelta

import pytest
from django.core import mail
from django.test.signals import template_rendered
from django.utils import timezone

from microcred.assessment import services as assessment
from microcred.assessment.models import Award, Review
from microcred.assessment.tests.factories import assessor as make_assessor
from microcred.assessment.tests.factories import pool, submit_review
from microcred.badges import services as badges
from microcred.badges.models import IssuedCredential
from microcred.catalog import services as catalog
from microcred.catalog.models import QualityPart
from microcred.catalog.tests.factories import (
    approve_answers,
    draft_credential,
    fill_all_parts,
    published_credential,
)
from microcred.core import services as core
from microcred.core.mail import send_templated
from microcred.core.models import Role
from microcred.earning import services as earning
from microcred.earning.tests.factories import ready_attempt
from microcred.programs import services as programs

pytestmark = pytest.mark.django_db

HOSTILE = "isn't & <b>"
ESCAPES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")

# Every plain-text notification template of the project; a new one must be added below.
TEMPLATE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
ALL_EMAILS = sorted(
    os.path.relpath(path, TEMPLATE_ROOT).split("/templates/", 1)[1].removesuffix(".txt")
    for path in glob.glob(os.path.join(TEMPLATE_ROOT, "*", "templates", "*", "email", "*.txt"))
    if not path.endswith("_subject.txt")
)


@pytest.fixture
def rendered():
    """The email templates rendered during the test, in order."""
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        name = template.name or ""
        if "/email/" in name and name.endswith(".txt") and not name.endswith("_subject.txt"):
            names.append(name.removesuffix(".txt"))

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


@pytest.fixture
def hostile_world(world):
    """Riverbend with a person-written apostrophe, ampersand and "<" in every name."""
    for district in (world.north,):
        for org in (district.organization, district.school):
            org.name = f"{org.name} {HOSTILE}"
            org.save(update_fields=["name"])
        for user in district.people.values():
            user.full_name = f"{user.full_name} {HOSTILE}"
            user.save(update_fields=["full_name"])
    return world


def assert_plain(message: mail.EmailMessage) -> None:
    for escaped in ESCAPES:
        assert escaped not in message.body, (escaped, message.subject, message.body)
        assert escaped not in message.subject, (escaped, message.subject)
    assert "\n" not in message.subject and "\r" not in message.subject
    assert HOSTILE in message.body or HOSTILE in message.subject, message.body


def sent(captured, action) -> list[mail.EmailMessage]:
    before = len(mail.outbox)
    with captured(execute=True):
        action()
    return list(mail.outbox[before:])


def test_every_notification_email_is_plain_text_with_what_people_wrote_unescaped(
    hostile_world, rendered, django_capture_on_commit_callbacks
):
    people = hostile_world.north.people
    north = hostile_world.north.organization
    designer, reviewer, educator = (
        people[Role.DESIGNER],
        people[Role.REVIEWER],
        people[Role.EDUCATOR],
    )
    assessor, issuer, admin, coach = (
        people[Role.ASSESSOR],
        people[Role.ISSUER],
        people[Role.ADMIN],
        people[Role.COACH],
    )
    capture = django_capture_on_commit_callbacks
    messages: list[mail.EmailMessage] = []

    # The design review: requested, changes asked for, approved.
    credential = draft_credential(designer, north, title=f"Exit tickets {HOSTILE}")
    version = credential.versions.get()
    messages += sent(
        capture, lambda: catalog.version_submit_for_review(actor=designer, version=version)
    )
    answers = approve_answers()
    answers[QualityPart.values[0]] = catalog.ChecklistAnswer(met=False, comment=f"It {HOSTILE}")
    messages += sent(
        capture,
        lambda: catalog.version_review(
            actor=reviewer, version=version, approve=False, summary=HOSTILE, answers=answers
        ),
    )
    fill_all_parts(version, designer, title=f"Exit tickets {HOSTILE}")
    catalog.version_submit_for_review(actor=designer, version=version)
    messages += sent(
        capture,
        lambda: catalog.version_review(
            actor=reviewer, version=version, approve=True, summary="", answers=approve_answers()
        ),
    )
    credential.refresh_from_db()
    type(version).objects.filter(pk=version.pk).update(valid_for_months=12)

    # An invitation from a person whose name has the characters in it.
    messages += sent(
        capture,
        lambda: core.invitation_create(
            actor=admin,
            organization=hostile_world.north.school,
            email="new@x.example",
            role="coach",
        ),
    )

    # A personal stack proposed to the school leader, who asks for changes.
    other = published_credential(designer, reviewer, north, title=f"Wait time {HOSTILE}")
    stack = programs.stack_publish(
        actor=admin,
        stack=programs.stack_create(
            actor=admin,
            organization=north,
            title=f"Teacher leader {HOSTILE}",
            summary="",
            rule="agreed",
            choose=2,
            credentials=[credential, other],
        ),
    )
    agreement = None

    def propose() -> None:
        nonlocal agreement
        agreement = programs.agreement_propose(
            actor=educator,
            stack=stack,
            credentials=[credential, other],
            growth_goal=f"Lead {HOSTILE}",
            target_date=timezone.localdate() + timedelta(days=90),
        )

    messages += sent(capture, propose)
    messages += sent(
        capture,
        lambda: programs.agreement_decide(
            actor=people[Role.LEADER],
            agreement=agreement,
            number=1,
            decision="changes_requested",
            comment=f"Swap {HOSTILE}",
        ),
    )

    # The school leader recommends the credential to the educator, with a reason.
    messages += sent(
        capture,
        lambda: programs.recommend_to(
            actor=people[Role.LEADER],
            target="person",
            email=educator.email,
            credential=other,
            kind="assigned",
            reason=f"Our goal {HOSTILE}",
            due_on=timezone.localdate() + timedelta(days=30),
        ),
    )

    # Hand-in with no pool yet: the educator is told, the program admins are asked to assign.
    attempt = ready_attempt(educator, credential)
    submission = None

    def submit() -> None:
        nonlocal submission
        submission = earning.attempt_submit(actor=educator, attempt=attempt, note=HOSTILE)

    messages += sent(capture, submit)
    assert submission is not None
    pool(credential.organization, credential, [assessor, make_assessor(north, "Otto")])
    review = submission.reviews.get()
    messages += sent(capture, lambda: assessment.review_reassign(actor=admin, review=review))
    review.refresh_from_db()

    # A coach's comment; reminders of the review.
    messages += sent(
        capture,
        lambda: earning.comment_add(actor=coach, attempt=attempt, body=f"Great {HOSTILE} work"),
    )
    Review.objects.filter(pk=review.pk).update(due_at=timezone.now() + timedelta(days=1))
    messages += sent(capture, assessment.reviews_remind)
    Review.objects.filter(pk=review.pk).update(
        due_at=timezone.now() - timedelta(days=1), reminded_at=None
    )
    messages += sent(capture, assessment.reviews_remind)

    # Reviewed, decided "not yet" with a reason, appealed with a reason.
    review.refresh_from_db()
    messages += sent(capture, lambda: submit_review(review, failing={"Section 1"}))
    messages += sent(
        capture,
        lambda: assessment.submission_decide(
            actor=issuer, submission=submission, outcome="not_yet", reason=f"It {HOSTILE}"
        ),
    )
    decision = submission.decisions.get()
    appeal = None

    def file_appeal() -> None:
        nonlocal appeal
        appeal = assessment.appeal_file(actor=educator, decision=decision, reason=f"It {HOSTILE}")

    messages += sent(capture, file_appeal)
    appeal_review = submission.reviews.get(kind="appeal")
    messages += sent(capture, lambda: submit_review(appeal_review))
    messages += sent(
        capture,
        lambda: assessment.submission_decide(
            actor=issuer,
            submission=submission,
            outcome="award",
            reason=f"Now {HOSTILE}",
            appeal=appeal,
        ),
    )

    # The badge: renewed, revoked with a reason, reinstated.
    issued = IssuedCredential.objects.get(award=Award.objects.get(attempt=attempt))
    renewed = None

    def renew() -> None:
        nonlocal renewed
        renewed = badges.credential_renew(actor=issuer, credential=issued)

    messages += sent(capture, renew)
    assert renewed is not None
    messages += sent(
        capture,
        lambda: badges.credential_revoke(actor=issuer, credential=renewed, reason=f"It {HOSTILE}"),
    )
    messages += sent(capture, lambda: badges.credential_unrevoke(actor=issuer, credential=renewed))

    assert sorted(set(rendered)) == ALL_EMAILS, "every notification email was sent"
    assert len(messages) >= len(ALL_EMAILS)
    for message in messages:
        assert_plain(message)
    comment = next(m for m in messages if "commented on" in m.subject)
    assert f"Great {HOSTILE} work" in comment.body
    assert f"Exit tickets {HOSTILE}" in comment.subject
    revoked = next(m for m in messages if "was revoked" in m.subject)
    assert f"It {HOSTILE}" in revoked.body
    assert f"Riverbend Unified {HOSTILE}" in revoked.body
    assigned = next(m for m in messages if "assigns you" in m.subject)
    assert f"Our goal {HOSTILE}" in assigned.body and f"Wait time {HOSTILE}" in assigned.subject
    asked = next(m for m in messages if "Changes requested to your" in m.subject)
    assert f"Swap {HOSTILE}" in asked.body and f"Teacher leader {HOSTILE}" in asked.subject


def test_a_subject_with_a_line_break_is_sent_on_one_line(settings, tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "note_subject.txt").write_text("{{ title }}\n")
    (tmp_path / "t" / "note.txt").write_text("{{ title }}\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    send_templated(
        to=["a@x.example"], template="t/note", context={"title": "One\nBcc: x@y.example"}
    )
    message = mail.outbox[-1]
    assert message.subject == f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}One Bcc: x@y.example"
    assert message.body == "One\nBcc: x@y.example\n"


def test_an_html_part_is_escaped_while_the_text_part_is_not(settings, tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "note_subject.txt").write_text("{{ title }}")
    (tmp_path / "t" / "note.txt").write_text("{{ title }}")
    (tmp_path / "t" / "note.html").write_text("<p>{{ title }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    send_templated(to=["a@x.example"], template="t/note", context={"title": HOSTILE})
    message = mail.outbox[-1]
    assert message.subject.endswith(HOSTILE)
    assert message.body == HOSTILE
    assert message.alternatives[0][0] == "<p>isn&#x27;t &amp; &lt;b&gt;</p>"
