"""Email goes through Django's email framework and is delivered by the task worker.

`TaskEmailBackend` is the "default" mailer: it turns each message into a JSON
payload and enqueues `deliver_email`, which sends it through the "delivery" mailer
(SMTP, console, ...; see MAILERS in settings). Web requests never wait on an SMTP server, and a failed delivery is
retried by the worker rather than lost in a 500.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template


def message_to_payload(message: EmailMessage) -> dict[str, Any]:
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def payload_to_message(payload: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in payload["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class TaskEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from microcred.core.tasks import deliver_email

        for message in email_messages:
            deliver_email.enqueue(message_to_payload(message))
        return len(email_messages)


DELIVERY_MAILER = "delivery"


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template rendered without HTML escaping: a teacher must read "isn't"
    and "&", not "isn&#x27;t" and "&amp;". Never use the result in an HTML page."""
    template = get_template(template_name)
    # The backend's wrapper always escapes; the Django Template inside takes a Context.
    return str(template.template.render(Context(context, autoescape=False)))  # type: ignore[attr-defined]


def one_line(text: str) -> str:
    """A header value: whitespace (newlines above all) folded into single spaces."""
    return " ".join(text.split())


def send_templated(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` as plain text and send them;
    `<template>.html`, when there is one, goes along as the HTML part (escaped as any page)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = one_line(render_text(f"{template}_subject.txt", context))
    body = render_text(f"{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=one_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"), body=body, to=to
    )
    try:
        html = get_template(f"{template}.html")
    except TemplateDoesNotExist:
        html = None
    if html is not None:
        message.attach_alternative(html.render(context), "text/html")
    message.send()
