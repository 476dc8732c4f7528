"""Hand-offs to a later stage of the lifecycle without importing it.

Apps depend one way (core <- catalog <- earning <- assessment <- badges). When something
an earlier app owns happens and a later app must act on it (an award is made, so its badge
is signed), the earlier app announces it here, and the handlers are named in
`settings.LIFECYCLE_HANDLERS`, the one place that knows every app. A handler is a plain
function taking the announcement's keyword arguments; it runs inside the announcing
service's transaction, so it schedules its own work with `transaction.on_commit` when that
work must see the committed rows. See docs/decisions/0017-one-owner-per-row.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


class Announcement(StrEnum):
    HANDED_IN = "attempt.handed_in"  # submission_id: route the new hand-in to assessors
    AWARD_MADE = "award.made"  # award_id: a decision awarded the credential
    CREDENTIAL_REVOKED = "credential.revoked"  # credential_id: the issuer revoked a badge
    CREDENTIAL_REINSTATED = "credential.reinstated"  # credential_id: a revoked badge counts again


def announce(announcement: Announcement, **data: Any) -> None:
    for path in settings.LIFECYCLE_HANDLERS.get(announcement, ()):
        import_string(path)(**data)
