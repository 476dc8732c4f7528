"""The award reaches the badges app through the hand-off named in settings, not an import:
assessment announces "award.made" and the configured handler schedules the signing."""

from __future__ import annotations

import pytest

from microcred.assessment.models import Award
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.core import lifecycle

pytestmark = pytest.mark.django_db

calls: list[dict[str, object]] = []


def record_call(**data: object) -> None:
    calls.append(data)


def test_deciding_an_award_signs_its_badge_through_the_configured_handler(
    credential, educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    assert IssuedCredential.objects.filter(award=award).count() == 1


def test_without_a_handler_the_award_is_made_and_no_badge_is_signed(
    settings,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    settings.LIFECYCLE_HANDLERS = {**settings.LIFECYCLE_HANDLERS, "award.made": []}
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    assert Award.objects.filter(pk=award.pk).exists()
    assert not IssuedCredential.objects.filter(award=award).exists()


def test_an_announcement_calls_each_configured_handler_with_its_data(settings):
    calls.clear()
    here = f"{__name__}.record_call"
    settings.LIFECYCLE_HANDLERS = {"award.made": [here, here]}
    lifecycle.announce(lifecycle.Announcement.AWARD_MADE, award_id=7)
    assert calls == [{"award_id": 7}, {"award_id": 7}]
