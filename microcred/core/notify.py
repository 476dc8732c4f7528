"""Telling people what happened: an in-app Notification row and an email, after commit.

Services call `notify()` inside their transaction; the rows are written with the
change (so a rolled-back change leaves no notice) and the email is queued only once
the transaction commits (so a refused action sends nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from microcred.core.mail import send_templated
from microcred.core.models import Notification

if TYPE_CHECKING:
    from microcred.core.models import User


def notify(
    users: Iterable[User],
    *,
    verb: str,
    text: str,
    url: str = "",
    email_template: str = "",
    context: dict[str, Any] | None = None,
) -> None:
    """Write one notice per person and, when `email_template` is given, email each of them
    (`<template>_subject.txt` / `<template>.txt`, rendered with `context`, `user`, `url`)."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if not recipients:
        return
    Notification.objects.bulk_create(
        Notification(user=user, verb=verb, text=text[:300], url=url) for user in recipients.values()
    )
    if not email_template:
        return
    base = dict(context or {})

    def send() -> None:
        for user in recipients.values():
            send_templated(
                to=[user.email],
                template=email_template,
                context={**base, "user": user, "url": url, "text": text},
            )

    transaction.on_commit(send)


def unread_count(user: User) -> int:
    """Unread notices; read with the user itself on each request (see `core.auth`)."""
    loaded: int | None = getattr(user, "_unread", None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
