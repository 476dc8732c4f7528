"""`manage.py revoke_credential ID --reason TEXT`: revoke a credential as the site operator
(ID is its UUID, with or without `urn:uuid:`). The educator is told, as when an issuer
revokes from the badge page; the audit trail records the command line as the actor."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.badges import services
from microcred.badges.models import IssuedCredential
from microcred.core.errors import DomainError


class Command(BaseCommand):
    help = "Revoke an issued credential (as the operator), with a reason the educator reads."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("id", help="The credential's UUID (urn:uuid:… is accepted).")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["id"].removeprefix("urn:uuid:")
        try:
            public_id = uuid.UUID(raw)
        except ValueError:
            raise CommandError(f"{options['id']!r} is not a credential id (a UUID).") from None
        credential = IssuedCredential.objects.filter(public_id=public_id).first()
        if credential is None:
            raise CommandError(f"No credential {public_id} was issued here.")
        try:
            services.credential_revoke(actor=None, credential=credential, reason=options["reason"])
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Revoked {public_id}; verifiers see it within five minutes.")
