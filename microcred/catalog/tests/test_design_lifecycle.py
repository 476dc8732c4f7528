"""The design lifecycle through the services: draft → review → changes → publish,
new versions, retirement. Every refusal leaves nothing behind."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from microcred.catalog import services
from microcred.catalog.models import Credential, CredentialVersion, QualityPart, QualityReview
from microcred.catalog.tests.factories import (
    approve_answers,
    draft_credential,
    in_review_credential,
    published_credential,
)
from microcred.core.errors import Incomplete, Invalid, InvalidTransition
from microcred.core.models import AuditEvent

State = CredentialVersion.State


def events(credential: Credential) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_type="catalog.credential", subject_id=str(credential.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_new_credential_starts_as_draft_version_one(designer_dan, north):
    credential = services.credential_create(
        actor=designer_dan, organization=north, title="Accountable talk"
    )
    version = credential.versions.get()
    assert (version.number, version.state, version.title) == (1, State.DRAFT, "Accountable talk")
    assert credential.current_version is None
    assert events(credential) == ["credential.created"]


def test_educator_cannot_create_a_credential(educator_ana, north):
    with pytest.raises(PermissionDenied):
        services.credential_create(actor=educator_ana, organization=north, title="Mine")
    assert not Credential.objects.exists()
    assert not AuditEvent.objects.filter(verb="credential.created").exists()


def test_designer_of_another_district_cannot_edit_our_draft(designer_dan, outsider_oz, north):
    credential = draft_credential(designer_dan, north, complete=False)
    version = credential.versions.get()
    before = events(credential)
    with pytest.raises(PermissionDenied):
        services.draft_set_task(
            actor=outsider_oz,
            version=version,
            task_title="x",
            task_instructions="y",
            pre_prompts=[],
            post_prompts=[],
        )
    version.refresh_from_db()
    assert version.task_instructions == ""
    assert events(credential) == before


def test_incomplete_draft_cannot_go_to_review_and_each_missing_part_is_named(designer_dan, north):
    credential = draft_credential(designer_dan, north, complete=False)
    version = credential.versions.get()
    with pytest.raises(Incomplete) as refused:
        services.version_submit_for_review(actor=designer_dan, version=version)
    details = " | ".join(refused.value.details)
    for part in (
        "Learning targets",
        "Success criteria",
        "Resources",
        "Job-embedded task",
        "Reflections",
        "Evidence",
    ):
        assert part in details
    version.refresh_from_db()
    assert version.state == State.DRAFT
    assert "credential.submitted_for_review" not in events(credential)
    assert mail.outbox == []


def test_submitting_a_complete_draft_puts_it_in_review_and_emails_the_review_board(
    designer_dan, reviewer_rita, outsider_oz, north, django_capture_on_commit_callbacks
):
    credential = draft_credential(designer_dan, north)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_submit_for_review(actor=designer_dan, version=credential.versions.get())
    version = credential.versions.get()
    assert version.state == State.IN_REVIEW
    assert version.submitted_by == designer_dan
    assert [m.to for m in mail.outbox] == [[reviewer_rita.email]]  # not Lakeshore's board
    assert "Ready for quality review: Exit tickets" in mail.outbox[0].subject
    assert f"/studio/{credential.pk}/review/" in mail.outbox[0].body


def test_reviewer_requests_changes_with_comments_and_the_designer_is_told(
    designer_dan, reviewer_rita, north, django_capture_on_commit_callbacks
):
    credential = in_review_credential(designer_dan, north)
    version = credential.versions.get()
    answers = approve_answers()
    answers[QualityPart.EVIDENCE] = services.ChecklistAnswer(
        met=False, comment="Ask for 10 minutes of video, not an hour."
    )
    with django_capture_on_commit_callbacks(execute=True):
        review = services.version_review(
            actor=reviewer_rita,
            version=version,
            approve=False,
            summary="Nearly there.",
            answers=answers,
        )
    version.refresh_from_db()
    assert version.state == State.CHANGES_REQUESTED
    assert review.outcome == QualityReview.Outcome.CHANGES_REQUESTED
    assert (
        review.responses.get(part="evidence").comment == "Ask for 10 minutes of video, not an hour."
    )
    assert mail.outbox[-1].to == [designer_dan.email]
    assert "Changes requested" in mail.outbox[-1].subject
    assert "Ask for 10 minutes of video" in mail.outbox[-1].body
    credential.refresh_from_db()
    assert credential.current_version is None


def test_not_met_part_needs_a_comment(designer_dan, reviewer_rita, north):
    credential = in_review_credential(designer_dan, north)
    answers = approve_answers()
    answers[QualityPart.TARGETS] = services.ChecklistAnswer(met=False, comment="")
    with pytest.raises(Invalid, match="Learning targets: explain"):
        services.version_review(
            actor=reviewer_rita,
            version=credential.versions.get(),
            approve=False,
            summary="",
            answers=answers,
        )
    assert not QualityReview.objects.exists()


def test_approval_requires_every_checklist_item_met(designer_dan, reviewer_rita, north):
    credential = in_review_credential(designer_dan, north)
    answers = approve_answers()
    answers[QualityPart.RESOURCES] = services.ChecklistAnswer(
        met=False, comment="Add a reading on feedback."
    )
    with pytest.raises(Invalid) as refused:
        services.version_review(
            actor=reviewer_rita,
            version=credential.versions.get(),
            approve=True,
            summary="",
            answers=answers,
        )
    assert refused.value.details == ["Resources: not met"]
    assert credential.versions.get().state == State.IN_REVIEW
    assert not QualityReview.objects.exists()


def test_designer_cannot_review_and_submitter_cannot_approve_own_version(
    designer_dan, reviewer_rita, north, world
):
    credential = in_review_credential(designer_dan, north)
    version = credential.versions.get()
    with pytest.raises(PermissionDenied):
        services.version_review(
            actor=designer_dan, version=version, approve=True, summary="", answers=approve_answers()
        )
    # A reviewer who also designs cannot approve what they sent themselves.
    from microcred.core.models import Membership, Role

    Membership.objects.create(user=reviewer_rita, organization=north, role=Role.DESIGNER)
    services.version_withdraw(actor=reviewer_rita, version=version)
    services.version_submit_for_review(actor=reviewer_rita, version=version)
    with pytest.raises(InvalidTransition, match="another review board member"):
        services.version_review(
            actor=reviewer_rita,
            version=version,
            approve=True,
            summary="",
            answers=approve_answers(),
        )
    assert credential.versions.get().state == State.IN_REVIEW


def test_approval_publishes_an_immutable_version(designer_dan, reviewer_rita, north):
    credential = published_credential(designer_dan, reviewer_rita, north)
    version = credential.versions.get()
    assert version.state == State.PUBLISHED
    assert credential.current_version == version
    assert "exit tickets" in version.search_document and "intasc" in version.search_document
    before = events(credential)
    with pytest.raises(InvalidTransition, match="Start a new version"):
        services.draft_set_task(
            actor=designer_dan,
            version=version,
            task_title="Changed",
            task_instructions="Changed",
            pre_prompts=["x"],
            post_prompts=["y"],
        )
    version.refresh_from_db()
    assert version.task_title == "Three lessons with exit tickets"
    assert events(credential) == before


def test_history_records_every_step_in_order(designer_dan, reviewer_rita, north):
    credential = published_credential(designer_dan, reviewer_rita, north)
    assert events(credential) == [
        "credential.created",
        *["credential.draft_edited"] * 6,
        "credential.submitted_for_review",
        "credential.published",
    ]


def test_a_new_version_is_a_deep_copy_and_the_published_one_stays_valid(
    designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north)
    v1 = credential.current_version
    draft = services.credential_new_version(actor=designer_dan, credential=credential)
    assert draft.number == 2 and draft.state == State.DRAFT
    assert draft.sections.count() == v1.sections.count() == 3
    assert [s.passing_level.name for s in draft.sections.all()] == ["Proficient"] * 3
    assert set(draft.sections.values_list("targets__version", flat=True)) == {draft.pk}
    assert draft.evidence_requirements.count() == 1 and draft.prompts.count() == 2
    # Editing the draft leaves version 1 untouched and still current.
    services.draft_set_task(
        actor=designer_dan,
        version=draft,
        task_title="Five lessons",
        task_instructions="Five lessons now.",
        pre_prompts=["a"],
        post_prompts=["b"],
    )
    v1.refresh_from_db()
    credential.refresh_from_db()
    assert v1.task_title == "Three lessons with exit tickets"
    assert credential.current_version == v1
    # Only one open version at a time.
    with pytest.raises(InvalidTransition, match="already has a version in progress"):
        services.credential_new_version(actor=designer_dan, credential=credential)
    services.version_submit_for_review(actor=designer_dan, version=draft)
    services.version_review(
        actor=reviewer_rita, version=draft, approve=True, summary="", answers=approve_answers()
    )
    credential.refresh_from_db()
    v1.refresh_from_db()
    assert credential.current_version == draft
    assert v1.state == State.PUBLISHED  # still valid for attempts pinned to it


def test_discarding_a_new_draft_keeps_the_published_version(designer_dan, reviewer_rita, north):
    credential = published_credential(designer_dan, reviewer_rita, north)
    draft = services.credential_new_version(actor=designer_dan, credential=credential)
    services.version_discard(actor=designer_dan, version=draft)
    assert list(credential.versions.values_list("number", flat=True)) == [1]
    first = draft_credential(designer_dan, north, title="Only draft")
    with pytest.raises(InvalidTransition, match="first version"):
        services.version_discard(actor=designer_dan, version=first.versions.get())


def test_retire_needs_a_reason_and_hides_nothing_already_published(
    designer_dan, reviewer_rita, admin_adam, educator_ana, north
):
    credential = published_credential(designer_dan, reviewer_rita, north)
    with pytest.raises(Invalid, match="Say why"):
        services.credential_retire(actor=admin_adam, credential=credential, reason="  ")
    with pytest.raises(PermissionDenied):
        services.credential_retire(actor=educator_ana, credential=credential, reason="no")
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    services.credential_retire(
        actor=admin_adam, credential=credential, reason="Replaced by a new framework."
    )
    credential.refresh_from_db()
    assert credential.status == Credential.Status.RETIRED
    assert credential.current_version.state == State.PUBLISHED
    with pytest.raises(InvalidTransition, match="already retired"):
        services.credential_retire(actor=admin_adam, credential=credential, reason="again")
    services.credential_reinstate(actor=admin_adam, credential=credential)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert events(credential)[-2:] == ["credential.retired", "credential.reinstated"]


def test_withdraw_only_from_review(designer_dan, north):
    credential = draft_credential(designer_dan, north)
    with pytest.raises(InvalidTransition, match="Only a version in review"):
        services.version_withdraw(actor=designer_dan, version=credential.versions.get())


def test_visibility_change_is_recorded_and_takes_effect(
    designer_dan, reviewer_rita, outsider_oz, north, client
):
    credential = published_credential(designer_dan, reviewer_rita, north)
    assert client.get(f"/credentials/{credential.slug}/").status_code == 200
    services.credential_set_visibility(
        actor=designer_dan, credential=credential, visibility="internal"
    )
    assert events(credential)[-1] == "credential.visibility_changed"
    client.force_login(outsider_oz)
    assert client.get(f"/credentials/{credential.slug}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.credential_set_visibility(
            actor=outsider_oz, credential=credential, visibility="public"
        )
    credential.refresh_from_db()
    assert credential.visibility == "internal"


def test_overview_shows_the_history_and_the_reviewers_comments(
    client, designer_dan, reviewer_rita, north
):
    credential = in_review_credential(designer_dan, north)
    answers = approve_answers()
    answers[QualityPart.TASK] = services.ChecklistAnswer(met=False, comment="Say how many lessons.")
    services.version_review(
        actor=reviewer_rita,
        version=credential.versions.get(),
        approve=False,
        summary="Close.",
        answers=answers,
    )
    client.force_login(designer_dan)
    html = client.get(f"/studio/{credential.pk}/").content.decode()
    assert "Changes requested by" in html and "Say how many lessons." in html
    for text in ("created the draft", "sent it to the review board", "requested changes"):
        assert text in html
