"""`manage.py mark_key_compromised ORGANIZATION KEY --reason TEXT`: the site operator marks an
issuer's signing key compromised (ORGANIZATION is its slug, KEY a key id such as `key-1`), as
the issuer of record can on the "Signing keys" page. The key leaves the DID document at once;
every active badge it signed is issued again with the current key by the task worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.badges import services
from microcred.badges.models import IssuedCredential, IssuerKey
from microcred.core.errors import DomainError


class Command(BaseCommand):
    help = "Mark an issuer's signing key compromised: unpublish it and re-issue what it signed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organization", help="The organization's slug, e.g. riverbend.")
        parser.add_argument("key", help="The key id shown on the Signing keys page, e.g. key-1.")
        parser.add_argument("--reason", required=True, help="What happened (for the audit trail).")

    def handle(self, *args: Any, **options: Any) -> None:
        key = (
            IssuerKey.objects.select_related("organization")
            .filter(organization__slug=options["organization"], key_id=options["key"])
            .first()
        )
        if key is None:
            raise CommandError(
                f"{options['organization']!r} has no signing key {options['key']!r}; the "
                "Signing keys page lists its keys."
            )
        affected = IssuedCredential.objects.filter(
            issuer_key=key, state=IssuedCredential.State.ACTIVE
        ).count()
        try:
            new_key = services.issuer_key_mark_compromised(
                actor=None, key=key, reason=options["reason"]
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        replaced = f" {new_key.key_id} signs from now on." if new_key else ""
        self.stdout.write(
            f"{key.organization}'s key {key.key_id} is marked compromised and no longer "
            f"published.{replaced} {affected} badge{'s' if affected != 1 else ''} signed with it "
            "will be issued again by the task worker."
        )
