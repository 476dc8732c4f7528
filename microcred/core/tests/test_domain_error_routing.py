"""Views route a refusal by its code and field, never by its wording.

Each page is posted twice with the same refusal from the real service: once as written,
once with the message reworded on its way out. The status and the form field that shows
the error stay the same; only the words change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from microcred.assessment import services as assessment
from microcred.assessment.tests.factories import pool, submit_review, submitted_attempt
from microcred.catalog.tests.factories import published_credential
from microcred.core import services as core
from microcred.core.errors import DomainError, Invalid, InvalidTransition, add_to_form
from microcred.earning.models import Submission

REWORDED = "Entirely new words for the same refusal."


@contextmanager
def reworded(monkeypatch, module: Any, name: str) -> Iterator[list[DomainError]]:
    """Run the real service `module.name`; whatever it refuses leaves with REWORDED as its
    message (code, field and class unchanged). Yields the errors seen."""
    real: Callable[..., Any] = getattr(module, name)
    seen: list[DomainError] = []

    def call(**kwargs: Any) -> Any:
        try:
            return real(**kwargs)
        except DomainError as error:
            error.message = REWORDED
            error.args = (REWORDED,)
            seen.append(error)
            raise

    with monkeypatch.context() as patch:
        patch.setattr(module, name, call)
        yield seen


def _where(form: forms.BaseForm, message: str) -> list[str]:
    """The fields (NON_FIELD_ERRORS for the top) on which `message` shows."""
    return [field for field, errors in form.errors.items() if message in errors]


# ----------------------------------------------------------------------------- the decide page


@pytest.fixture
def reviewed(world, designer_dan, reviewer_rita, north, educator_ana, assessor_ben) -> Submission:
    """Ben's review of Ana's hand-in is in ("not yet"); it waits for Carla's decision."""
    credential = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    pool(world.north.organization, credential, [assessor_ben])
    submission = submitted_attempt(educator_ana, credential)
    submit_review(submission.reviews.get(), failing={"Section 2"})
    submission.refresh_from_db()
    assert submission.state == Submission.State.REVIEWED
    return submission


def _decide(client, submission: Submission, **data: str):
    return client.post(reverse("assessment:decide", args=[submission.pk]), data)


def test_a_missing_reason_stays_on_the_reason_field_whatever_its_words(
    client, monkeypatch, reviewed, issuer_carla
):
    client.force_login(issuer_carla)
    as_written = _decide(client, reviewed, outcome="not_yet", reason="")
    message = "Give the educator a reason: what falls short and what a resubmission needs."
    assert as_written.status_code == 400
    assert _where(as_written.context["form"], message) == ["reason"]

    with reworded(monkeypatch, assessment, "submission_decide") as seen:
        again = _decide(client, reviewed, outcome="not_yet", reason="")
    assert [error.field for error in seen] == ["reason"]
    assert again.status_code == 400
    # The old view looked for the word "reason" in the message: this one has none.
    assert "reason" not in REWORDED.lower()
    assert _where(again.context["form"], REWORDED) == ["reason"]
    assert not reviewed.decisions.exists()


def test_a_refusal_that_mentions_a_reason_but_is_about_no_input_shows_at_the_top(
    client, monkeypatch, reviewed, issuer_carla
):
    """The old view put any message with the word "reason" on the reason field."""
    client.force_login(issuer_carla)

    def refuse(**kwargs: Any) -> None:
        raise InvalidTransition("Whatever the reason, this hand-in was decided a moment ago.")

    monkeypatch.setattr(assessment, "submission_decide", refuse)
    response = _decide(client, reviewed, outcome="award", reason="Strong evidence.")
    assert response.status_code == 400
    assert _where(
        response.context["form"], "Whatever the reason, this hand-in was decided a moment ago."
    ) == [forms.forms.NON_FIELD_ERRORS]


# ----------------------------------------------------------------------------- the members page


def test_inviting_an_existing_member_stays_on_the_email_field_whatever_its_words(
    client, monkeypatch, admin_adam, assessor_ben, north
):
    client.force_login(admin_adam)
    url = reverse("core:members", args=[north.slug])
    data = {"email": assessor_ben.email, "role": "assessor"}
    as_written = client.post(url, data)
    assert as_written.status_code == 400
    message = f"{assessor_ben.email} is already an assessor in {north}."
    assert _where(as_written.context["form"], message) == ["email"]

    with reworded(monkeypatch, core, "invitation_create") as seen:
        again = client.post(url, data)
    assert [(error.code, error.field) for error in seen] == [("invalid", "email")]
    assert again.status_code == as_written.status_code
    assert _where(again.context["form"], REWORDED) == ["email"]


# ----------------------------------------------------------------------------- the helper


class _ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def _bound() -> _ReasonForm:
    form = _ReasonForm({"reason": ""})
    assert form.is_valid()
    return form


def test_add_to_form_puts_an_error_on_its_field_and_its_details_with_it():
    form = _bound()
    add_to_form(form, Invalid("Say why.", field="reason", details=["At least a sentence."]))
    assert form.errors == {"reason": ["Say why.", "At least a sentence."]}


def test_add_to_form_shows_an_error_without_a_field_of_the_form_at_the_top():
    form = _bound()
    add_to_form(form, Invalid("Choose a level.", field="level-7"))
    add_to_form(form, InvalidTransition("This review is closed."))
    assert form.errors == {
        forms.forms.NON_FIELD_ERRORS: ["Choose a level.", "This review is closed."]
    }


def test_add_to_form_uses_the_fallback_of_a_form_without_a_summary():
    form = _bound()
    add_to_form(form, InvalidTransition("This review is closed."), fallback="reason")
    assert form.errors == {"reason": ["This review is closed."]}


def test_a_code_given_at_the_raise_site_wins_over_the_class_code():
    assert Invalid("Too big.").code == "invalid"
    assert Invalid("Too big.", code="too_large").code == "too_large"
    assert Invalid("Too big.", code="too_large", field="file").field == "file"
    assert InvalidTransition("Closed.").field is None


# ----------------------------------------------------------------------------- error pages


def test_a_not_found_message_shows_whatever_words_it_uses(client, designer_dan, monkeypatch):
    """The error page once hid any message containing "resolved"; it now decides by type."""
    from django.http import Http404

    from microcred.catalog.views import studio

    def missing(*args: Any, **kwargs: Any) -> None:
        raise Http404("This draft was resolved into version 2; open that one.")

    monkeypatch.setattr(studio, "_credential", missing)
    client.force_login(designer_dan)
    response = client.get("/studio/1/")
    assert response.status_code == 404
    assert "This draft was resolved into version 2; open that one." in response.content.decode()


def test_an_address_no_page_has_shows_no_resolver_internals(client):
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    assert response.context["message"] == ""
    assert "&#x27;path&#x27;" not in response.content.decode()  # the resolver's dict
