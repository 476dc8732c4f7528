from __future__ import annotations

import pytest

from microcred.catalog.models import Credential
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import User


@pytest.fixture
def credential(designer_dan: User, reviewer_rita: User, north) -> Credential:
    """Riverbend's published "Exit tickets": three sections, "Proficient" passes each."""
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
