"""The reflection pages' Save button: what a refused save shows again, and what a save keeps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microcred.catalog.models import ReflectionPrompt
from microcred.core.models import AuditEvent
from microcred.earning.models import Attempt, ReflectionAnswer
from microcred.earning.tests.factories import earnable_credential, started_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    credential = earnable_credential(designer_dan, reviewer_rita, north)
    # The factory's credential asks one question of each phase; with a second one a page
    # shows which answer went where.
    for phase in ReflectionPrompt.Phase.values:
        ReflectionPrompt.objects.create(
            version=credential.current_version,
            phase=phase,
            position=9,
            text=f"What else ({phase})?",
        )
    return credential


def _url(attempt: Attempt, phase: str) -> str:
    return reverse("earning:reflection", args=[attempt.public_id, phase])


def test_a_failed_reflection_save_keeps_what_was_typed(client, educator_ana, credential):
    attempt = started_attempt(educator_ana, credential, reflected=False)
    answered, left_blank = attempt.version.prompts.filter(phase="pre")
    events = AuditEvent.objects.count()
    client.force_login(educator_ana)
    response = client.post(
        _url(attempt, "pre"),
        {f"prompt-{answered.pk}": "I ask for thumbs up.", f"prompt-{left_blank.pk}": " "},
    )
    assert response.status_code == 400
    rows = {row["prompt"].pk: row["text"] for row in response.context["rows"]}
    assert rows == {answered.pk: "I ask for thumbs up.", left_blank.pk: " "}
    page = response.content.decode()
    assert "I ask for thumbs up.</textarea>" in page
    assert "Answer every question of the pre-reflection to unlock the task." in page
    assert f"Answer: “{left_blank.text}”" in page
    assert f"Answer: “{answered.text}”" not in page
    assert not ReflectionAnswer.objects.filter(attempt=attempt).exists()
    assert AuditEvent.objects.count() == events
    attempt.refresh_from_db()
    assert not attempt.task_unlocked and attempt.state == Attempt.State.STARTED


def test_the_post_reflection_saves_every_answer_each_with_its_event(
    client, educator_ana, credential
):
    attempt = started_attempt(educator_ana, credential)
    first, second = attempt.version.prompts.filter(phase="post")
    saved = AuditEvent.objects.filter(verb="attempt.reflection_saved")
    before = saved.count()
    client.force_login(educator_ana)
    response = client.post(
        _url(attempt, "post"),
        {f"prompt-{first.pk}": " I regroup the next day. ", f"prompt-{second.pk}": "Keep it."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("earning:submit", args=[attempt.public_id])
    answers = ReflectionAnswer.objects.filter(attempt=attempt, prompt__phase="post")
    assert dict(answers.values_list("prompt", "text")) == {
        first.pk: "I regroup the next day.",
        second.pk: "Keep it.",
    }
    assert saved.count() == before + 2


def test_a_post_reflection_answer_left_out_of_the_form_is_saved_empty(
    client, educator_ana, credential
):
    attempt = started_attempt(educator_ana, credential)
    first, second = attempt.version.prompts.filter(phase="post")
    client.force_login(educator_ana)
    client.post(_url(attempt, "post"), {f"prompt-{p.pk}": "An answer." for p in (first, second)})
    response = client.post(_url(attempt, "post"), {f"prompt-{first.pk}": "Only this one."})
    assert response.status_code == 302
    answers = ReflectionAnswer.objects.filter(attempt=attempt, prompt__phase="post")
    assert dict(answers.values_list("prompt", "text")) == {
        first.pk: "Only this one.",
        second.pk: "",
    }


def test_an_answer_over_20000_characters_is_refused_whole_and_kept_on_the_page(
    client, educator_ana, credential
):
    attempt = started_attempt(educator_ana, credential)
    first, second = attempt.version.prompts.filter(phase="post")
    client.force_login(educator_ana)
    typed = "x" * 20_001
    response = client.post(
        _url(attempt, "post"),
        {f"prompt-{first.pk}": typed, f"prompt-{second.pk}": "Short."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "An answer can be up to 20,000 characters. Shorten it and save again:" in page
    assert "20,001 characters, 1 too many." in page
    assert typed in page and "Short." in page  # both answers come back as typed
    # Nothing was cut or saved: a refused answer keeps none of them.
    assert not ReflectionAnswer.objects.filter(attempt=attempt, prompt__phase="post").exists()
