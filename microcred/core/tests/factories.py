"""Factories for people and organizations. Organizations are created through the
service so their tree paths are right."""

from __future__ import annotations

from typing import Any, cast

import factory

from microcred.core import services
from microcred.core.models import Membership, Organization, Role, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        from allauth.account.models import EmailAddress

        if create:
            self.save()  # type: ignore[attr-defined]
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


def make_org(
    name: str, kind: str, parent: Organization | None = None, **extra: Any
) -> Organization:
    return services.organization_create(actor=None, name=name, kind=kind, parent=parent, **extra)


def member(organization: Organization, role: Role, **user_fields: Any) -> User:
    user = cast(User, UserFactory(**user_fields))
    Membership.objects.create(user=user, organization=organization, role=role)
    return user
