from __future__ import annotations

import pytest

from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import User


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://localhost:8000"
    from microcred.badges import fetch

    fetch.forget()


@pytest.fixture
def credential(designer_dan: User, reviewer_rita: User, north) -> Credential:
    """Riverbend's published "Exit tickets": three sections, "Proficient" passes each."""
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def issued(
    credential, educator_ana, assessor_ben, issuer_carla, django_capture_on_commit_callbacks
) -> IssuedCredential:
    """Ana's signed badge for "Exit tickets" (the award's task ran after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    return IssuedCredential.objects.get(award=award)
