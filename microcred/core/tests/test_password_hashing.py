"""Passwords are hashed with Argon2id at the tuned cost (core.hashers); PBKDF2 hashes of
older accounts, and Argon2 hashes made at another cost, are re-hashed when their owner signs
in, and only then."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from microcred import settings as production
from microcred.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TUNED = "argon2$argon2id$v=19$m=47104,t=1,p=1$"


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the tests' own is MD5, for speed


def _sign_in(client, email: str, password: str) -> int:
    return int(client.post("/accounts/login/", {"login": email, "password": password}).status_code)


def test_a_new_password_is_hashed_with_argon2id_at_the_tuned_cost():
    user = UserFactory()
    assert user.password.startswith(TUNED)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


@pytest.mark.parametrize(
    "old",
    [
        pytest.param(lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"), id="pbkdf2"),
        pytest.param(lambda: Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt"), id="argon2"),
    ],
)
def test_an_older_hash_is_rehashed_when_its_owner_signs_in(client, old):
    user = UserFactory()
    user.password = old()
    user.save(update_fields=["password"])
    assert not user.password.startswith(TUNED)

    assert _sign_in(client, user.email, PASSWORD + "!") == 200  # refused: nothing changes
    user.refresh_from_db()
    assert not user.password.startswith(TUNED)

    assert _sign_in(client, user.email, PASSWORD) == 302
    user.refresh_from_db()
    assert user.password.startswith(TUNED)
    client.logout()
    assert _sign_in(client, user.email, PASSWORD) == 302  # and the new hash signs in
