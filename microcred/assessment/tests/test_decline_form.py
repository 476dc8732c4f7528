"""Declining without a reason comes back where the reason is typed: the error beside the
field, the field focused (so the page scrolls there), a summary at the top linking to it,
and nothing that was typed lost."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from microcred.assessment.tests.factories import pool, submitted_attempt
from microcred.core.models import AuditEvent


@pytest.fixture
def routed(world, credential, educator_ana, assessor_ben):
    pool(world.north.organization, credential, [assessor_ben])
    return submitted_attempt(educator_ana, credential).reviews.get()


def _decline(client, review, reason: str):
    return client.post(
        reverse("assessment:review-decline", args=[review.public_id]), {"reason": reason}
    )


def test_empty_reason_shows_at_the_field_focused_with_a_linked_summary(
    client, routed, assessor_ben
):
    client.force_login(assessor_ben)
    response = _decline(client, routed, "   ")
    assert response.status_code == 400
    page = response.content.decode()
    message = "Say why you decline, so the review can go to the right assessor."
    # Beside the field, inside the opened decline box, and the box is the form's target.
    box = re.search(
        r'<details class="card card--tight decline" id="decline" open>.*?</details>', page, re.S
    )
    assert box is not None
    assert f'<p class="field__error" id="id_reason_error">{message}</p>' in box.group(0)
    assert re.search(r"<textarea[^>]*autofocus[^>]*>", box.group(0))
    # A summary at the top links to it, before the long evidence column.
    summary = page.index("The review was not declined")
    assert summary < page.index('id="evidence-h"')
    assert f'<a href="#id_reason">{message}</a>' in page
    routed.refresh_from_db()
    assert routed.state == "assigned"
    assert not AuditEvent.objects.filter(verb="review.declined").exists()


def test_a_refused_reason_keeps_what_was_typed(client, routed, assessor_ben):
    client.force_login(assessor_ben)
    typed = "I know this educator. " * 100  # over the 2,000-character limit
    response = _decline(client, routed, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert typed.strip() in page  # kept in the box
    assert re.search(r"<textarea[^>]*autofocus[^>]*>", page)
    routed.refresh_from_db()
    assert routed.state == "assigned"


def test_the_page_without_an_error_does_not_grab_the_focus(client, routed, assessor_ben):
    client.force_login(assessor_ben)
    page = client.get(routed.get_absolute_url()).content.decode()
    assert "autofocus" not in page
    assert "The review was not declined" not in page
