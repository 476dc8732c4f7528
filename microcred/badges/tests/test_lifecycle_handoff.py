"""The award reaches the badges app through the hand-off named in settings, not an import:
assessment announces "award.made" and the configured handler schedules the signing."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

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


def _hand_off_checks() -> list[str]:
    return [m.id or "" for m in run_checks(tags=["microcred"])]


def test_the_configured_hand_offs_pass_the_system_check():
    assert _hand_off_checks() == []


def test_a_missing_or_misnamed_hand_off_is_reported_by_the_system_check(settings):
    settings.LIFECYCLE_HANDLERS = {
        **settings.LIFECYCLE_HANDLERS,
        "award.made": ["microcred.badges.tasks.no_such_handler"],
        "attempt.handed_in": [],
    }
    settings.PAGE_PARTS = {**settings.PAGE_PARTS, "credential.actions": "microcred.nowhere.part"}
    found = run_checks(tags=["microcred"])
    assert sorted(m.id for m in found) == ["core.E001", "core.E001", "core.W010"]
    texts = " ".join(m.msg for m in found)
    assert "no_such_handler" in texts and "microcred.nowhere.part" in texts
    assert "'attempt.handed_in'" in texts
