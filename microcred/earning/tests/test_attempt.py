"""An educator's attempt: starting, the pre-reflection gate, autosave, resources, the submit
checklist and read-only after submission."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from microcred.catalog import services as catalog_services
from microcred.core.errors import Incomplete, Invalid, InvalidTransition
from microcred.core.models import AuditEvent, Notification
from microcred.earning import services
from microcred.earning.models import Attempt, Evidence, ReflectionAnswer, Submission
from microcred.earning.tests.factories import (
    PDF,
    earnable_credential,
    ready_attempt,
    started_attempt,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


def test_starting_pins_the_current_version_and_a_new_version_does_not_move_it(
    client, educator_ana, designer_dan, reviewer_rita, credential
):
    client.force_login(educator_ana)
    response = client.post(reverse("earning:start", args=[credential.slug]))
    attempt = Attempt.objects.get(educator=educator_ana)
    assert response.status_code == 302
    assert response["Location"] == reverse("earning:reflection", args=[attempt.public_id, "pre"])
    assert attempt.version == credential.current_version
    assert attempt.organization.kind == "school"  # the educator's home organization
    first_version = attempt.version

    new = catalog_services.credential_new_version(actor=designer_dan, credential=credential)
    catalog_services.version_submit_for_review(actor=designer_dan, version=new)
    from microcred.catalog.tests.factories import approve_answers

    catalog_services.version_review(
        actor=reviewer_rita, version=new, approve=True, summary="", answers=approve_answers()
    )
    attempt.refresh_from_db()
    assert attempt.version == first_version
    # Starting again returns the open attempt instead of a second one.
    client.post(reverse("earning:start", args=[credential.slug]))
    assert Attempt.objects.filter(educator=educator_ana).count() == 1


def test_only_educators_can_start(client, assessor_ben, credential):
    client.force_login(assessor_ben)
    response = client.post(reverse("earning:start", args=[credential.slug]))
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_the_task_stays_locked_until_every_pre_reflection_question_is_answered(
    client, educator_ana, credential
):
    attempt = started_attempt(educator_ana, credential, reflected=False)
    client.force_login(educator_ana)
    evidence_page = client.get(reverse("earning:evidence", args=[attempt.public_id]))
    assert evidence_page.status_code == 302
    assert "/reflection/pre/" in evidence_page["Location"]
    requirement = attempt.version.evidence_requirements.get(kind="document")
    with pytest.raises(InvalidTransition, match="pre-reflection"):
        services.evidence_upload(
            actor=educator_ana,
            attempt=attempt,
            requirement=requirement,
            upload=upload("p.pdf", PDF),
        )

    prompt = attempt.version.prompts.get(phase="pre")
    response = client.post(
        reverse("earning:reflection", args=[attempt.public_id, "pre"]),
        {f"prompt-{prompt.pk}": "  "},
    )
    assert response.status_code == 400
    assert "Answer every question of the pre-reflection" in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.task_unlocked and attempt.state == Attempt.State.STARTED

    response = client.post(
        reverse("earning:reflection", args=[attempt.public_id, "pre"]),
        {f"prompt-{prompt.pk}": "I use thumbs up and rarely adjust."},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.task_unlocked and attempt.state == Attempt.State.IN_PROGRESS
    assert AuditEvent.objects.filter(verb="attempt.pre_reflection_completed").count() == 1


def test_autosave_keeps_each_answer_as_it_is_typed(client, educator_ana, credential):
    attempt = started_attempt(educator_ana, credential)
    prompt = attempt.version.prompts.get(phase="post")
    client.force_login(educator_ana)
    url = reverse("earning:answer", args=[attempt.public_id, prompt.pk])
    response = client.post(url, {f"prompt-{prompt.pk}": "First thoughts"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    client.post(url, {f"prompt-{prompt.pk}": "First thoughts, then more"}, HTTP_HX_REQUEST="true")
    assert ReflectionAnswer.objects.get(attempt=attempt, prompt=prompt).text == (
        "First thoughts, then more"
    )
    page = client.get(reverse("earning:reflection", args=[attempt.public_id, "post"]))
    assert "First thoughts, then more" in page.content.decode()


def test_resource_ticks_toggle_with_htmx(client, educator_ana, credential):
    attempt = started_attempt(educator_ana, credential)
    resource = attempt.version.resources.first()
    client.force_login(educator_ana)
    url = reverse("earning:resource-tick", args=[attempt.public_id, resource.pk])
    response = client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert attempt.resource_ticks.filter(resource=resource).exists()
    client.post(url, {"done": "0"}, HTTP_HX_REQUEST="true")
    assert not attempt.resource_ticks.exists()


def test_the_checklist_names_each_missing_piece_and_blocks_submission(
    client, educator_ana, credential
):
    attempt = started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    outbox_before = len(mail.outbox)
    events_before = AuditEvent.objects.count()
    response = client.post(reverse("earning:submit", args=[attempt.public_id]), {"note": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your attempt is not ready to submit yet." in page
    assert "Add 1 more file to “Classroom video” (0 of 1)." in page
    assert "Add 1 more file to “Lesson plan” (0 of 1)." in page
    assert "Write your answer for “What you changed”." in page
    assert "Answer 1 more question of the post-reflection." in page
    assert not Submission.objects.exists()
    assert AuditEvent.objects.count() == events_before
    assert len(mail.outbox) == outbox_before


def test_too_many_words_block_submission_with_the_count(educator_ana, credential):
    attempt = ready_attempt(educator_ana, credential)
    requirement = attempt.version.evidence_requirements.get(kind="written")
    services.evidence_write(
        actor=educator_ana, attempt=attempt, requirement=requirement, text="word " * 301
    )
    with pytest.raises(Incomplete) as refused:
        services.attempt_submit(actor=educator_ana, attempt=attempt)
    assert (
        "“What you changed” has 301 words; the limit is 300. Shorten it." in refused.value.details
    )


def test_a_written_answer_over_20000_characters_is_refused_and_the_saved_one_kept(
    educator_ana, credential
):
    attempt = ready_attempt(educator_ana, credential)
    requirement = attempt.version.evidence_requirements.get(kind="written")
    before = Evidence.objects.get(attempt=attempt, requirement=requirement).text
    with pytest.raises(Invalid) as refused:
        services.evidence_write(
            actor=educator_ana, attempt=attempt, requirement=requirement, text="x" * 20_001
        )
    assert refused.value.code == "answer_too_long"
    assert str(refused.value.message) == (
        "Your answer is 20,001 characters; the limit is 20,000. Shorten it and save again."
    )
    assert Evidence.objects.get(attempt=attempt, requirement=requirement).text == before


def test_a_refused_answer_sent_without_javascript_comes_back_as_typed_with_why(
    client, educator_ana, credential
):
    attempt = ready_attempt(educator_ana, credential)
    requirement = attempt.version.evidence_requirements.get(kind="written")
    before = Evidence.objects.get(attempt=attempt, requirement=requirement).text
    typed = "My students regrouped " + "y" * 20_000  # one over the limit with the words
    client.force_login(educator_ana)
    response = client.post(
        reverse("earning:evidence-add", args=[attempt.public_id, requirement.pk]), {"text": typed}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not saved: Your answer is 20,022 characters; the limit is 20,000." in page
    assert page.count(typed) == 2  # in the field and in the no-JavaScript form
    assert Evidence.objects.get(attempt=attempt, requirement=requirement).text == before


def test_submitting_freezes_the_work_and_makes_it_read_only(
    client, educator_ana, credential, django_capture_on_commit_callbacks
):
    attempt = ready_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("earning:submit", args=[attempt.public_id]), {"note": "Grade 4, 24 students"}
        )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    submission = attempt.submissions.get()
    assert submission.number == 1
    assert set(submission.sections.all()) == set(attempt.version.sections.all())
    assert submission.evidence.count() == 3
    assert [r["text"] for r in submission.reflections if r["phase"] == "post"] == [
        "The tickets showed me who needed a reteach; I will keep them."
    ]
    assert AuditEvent.objects.filter(verb="attempt.submitted").count() == 1
    # She is not told of her own hand-in; the people who follow her work are.
    assert not Notification.objects.filter(user=educator_ana).exists()
    assert not any("You handed in" in m.subject for m in mail.outbox)
    assert Notification.objects.filter(verb="attempt.submitted").exists()

    # Read-only: uploads, reflections and removal are refused and change nothing.
    requirement = attempt.version.evidence_requirements.get(kind="document")
    with pytest.raises(InvalidTransition, match="read-only while it is being assessed"):
        services.evidence_upload(
            actor=educator_ana,
            attempt=attempt,
            requirement=requirement,
            upload=upload("p.pdf", PDF),
        )
    prompt = attempt.version.prompts.get(phase="post")
    response = client.post(
        reverse("earning:answer", args=[attempt.public_id, prompt.pk]),
        {"text": "changed"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert ReflectionAnswer.objects.get(attempt=attempt, prompt=prompt).text != "changed"
    evidence = Evidence.objects.filter(attempt=attempt).first()
    response = client.post(reverse("earning:evidence-remove", args=[evidence.public_id]))
    evidence.refresh_from_db()
    assert evidence.removed_at is None
    with pytest.raises(InvalidTransition):
        services.attempt_submit(actor=educator_ana, attempt=attempt)
    assert attempt.submissions.count() == 1


def test_withdrawing_closes_the_attempt_and_allows_a_fresh_start(client, educator_ana, credential):
    attempt = started_attempt(educator_ana, credential)
    client.force_login(educator_ana)
    response = client.post(
        reverse("earning:withdraw", args=[attempt.public_id]), {"reason": "New grade level"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.WITHDRAWN
    assert attempt.withdrawn_reason == "New grade level"
    client.post(reverse("earning:start", args=[credential.slug]))
    assert Attempt.objects.filter(educator=educator_ana).count() == 2


def test_a_coach_comments_and_the_educator_is_told(
    client, educator_ana, coach_carmen, credential, django_capture_on_commit_callbacks
):
    attempt = started_attempt(educator_ana, credential)
    client.force_login(coach_carmen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("earning:comment", args=[attempt.public_id]),
            {"body": "Try a 3-question ticket."},
        )
    assert response.status_code == 302
    comment = attempt.comments.get()
    assert Notification.objects.filter(user=educator_ana, verb="attempt.commented").exists()
    assert any("commented on" in m.subject for m in mail.outbox)
    client.force_login(educator_ana)
    client.post(
        reverse("earning:comment", args=[attempt.public_id]),
        {"body": "Thanks, will do.", "parent": comment.pk},
    )
    reply = attempt.comments.get(parent=comment)
    assert reply.body == "Thanks, will do."
    page = client.get(reverse("earning:attempt", args=[attempt.public_id])).content.decode()
    assert "Try a 3-question ticket." in page and "Thanks, will do." in page


def test_an_empty_comment_is_refused_and_a_leader_cannot_comment(
    client, educator_ana, principal_dee, coach_carmen, credential
):
    attempt = started_attempt(educator_ana, credential)
    client.force_login(coach_carmen)
    response = client.post(reverse("earning:comment", args=[attempt.public_id]), {"body": " "})
    assert response.status_code == 400
    assert "Write a comment before sending it." in response.content.decode()
    client.force_login(principal_dee)
    response = client.post(
        reverse("earning:comment", args=[attempt.public_id]), {"body": "Looks good"}
    )
    assert response.status_code == 403
    # The leader reads the attempt (read-only).
    page = client.get(reverse("earning:attempt", args=[attempt.public_id]))
    assert page.status_code == 200
    assert "Withdraw" not in page.content.decode()
    assert not attempt.comments.exists()
    assert not Notification.objects.filter(verb="attempt.commented").exists()
