"""Background work of the core app."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from microcred.core.mail import DELIVERY_MAILER, payload_to_message


@task(queue_name="default")
def deliver_email(payload: dict[str, Any]) -> int:
    """Send one message with the real delivery backend; raising lets the worker record the failure."""
    return payload_to_message(payload).send(using=DELIVERY_MAILER)
