"""An earned attempt carries where its award's current badge stands (earning.standing), copied
by the badges services on every change, so the educator's pages never reach up into badges.
Each path that changes the current badge is checked against the badge itself."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from microcred.badges import selectors, services
from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.earning.models import Attempt
from microcred.earning.standing import Standing, standing_of

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("microcred.badges.migrations.0004_mirror_standing_onto_attempts")


def _attempt(credential: IssuedCredential) -> Attempt:
    assert credential.award is not None
    return Attempt.objects.get(pk=credential.award.attempt_id)


def _agree(credential: IssuedCredential) -> Standing:
    """The attempt's standing and the current badge's own standing are the same."""
    credential.refresh_from_db()
    attempt = _attempt(credential)
    mine, badge = standing_of(attempt), selectors.standing_of(credential)
    assert (mine.state, mine.since, mine.reason, mine.valid_until) == (
        badge.state,
        badge.since,
        badge.reason,
        badge.valid_until,
    )
    return mine


def test_signing_revoking_and_reinstating_keep_the_attempt_in_step(issued, issuer_carla):
    assert _agree(issued).state == Standing.EARNED
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied video.")
    revoked = _agree(issued)
    assert revoked.state == Standing.REVOKED and revoked.reason == "Copied video."
    services.credential_unrevoke(actor=issuer_carla, credential=issued, note="Appeal upheld.")
    assert _agree(issued).state == Standing.EARNED
    assert _attempt(issued).revoked_reason == ""


@pytest.fixture
def valid_for_a_month(credential):
    version = credential.current_version
    version.valid_for_months = 1
    version.save(update_fields=["valid_for_months"])


def test_renewing_an_expiring_badge_moves_the_attempts_end_of_validity(
    valid_for_a_month, issued, issuer_carla
):
    before = _attempt(issued).valid_until
    renewed = services.credential_renew(actor=issuer_carla, credential=issued)
    assert renewed.valid_until is not None
    assert renewed.valid_until > timezone.now() + timedelta(days=27)
    assert _attempt(renewed).valid_until == renewed.valid_until != before
    assert _agree(renewed).state == Standing.EARNED


def test_the_migration_copies_each_current_badge_onto_its_attempt(issued, issuer_carla):
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied video.")
    Attempt.objects.filter(pk=issued.award.attempt_id).update(
        revoked_at=None, revoked_reason="", valid_until=None
    )
    assert standing_of(_attempt(issued)).state == Standing.EARNED  # out of step, as before it
    backfill.mirror(apps, None)
    assert _agree(issued).state == Standing.REVOKED


def test_a_credential_never_signed_counts_as_earned(world_award_without_badge):
    attempt = world_award_without_badge.attempt
    assert standing_of(attempt).state == Standing.EARNED
    assert selectors.standing_of(None).state == Standing.EARNED


@pytest.fixture
def world_award_without_badge(credential, educator_ana, assessor_ben, issuer_carla):
    award = awarded(
        educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
    )
    assert not IssuedCredential.objects.filter(award=award).exists()
    assert award.attempt.state == Attempt.State.EARNED
    return award
