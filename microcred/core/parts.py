"""Places a page keeps for a later app's part.

Apps depend one way (core <- catalog <- earning <- assessment <- badges), yet some pages show
something a later app owns: a credential's page (catalog) offers to start or continue an
attempt (earning); an organization's page (core) lists the credentials it offers (catalog).
The page renders `parts.render(Part.X, request, subject)`, and `settings.PAGE_PARTS` names the
function that makes the part, so the earlier app never imports the later one. A part with no
function configured is left out. See docs/decisions/0017-one-owner-per-row.md.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


class Part(StrEnum):
    CREDENTIAL_ACTIONS = "credential.actions"  # subject: the Credential
    # subject: the ids of the credentials a credential page lists as prerequisites; one
    # piece per id (render_each): whether the reader has earned it
    PREREQUISITE_MARKS = "credential.prerequisite_marks"
    ORGANIZATION_CREDENTIALS = "organization.credentials"  # subject: the Organization
    ATTEMPT_FEEDBACK = "attempt.feedback"  # subject: the Attempt (a "not yet" to act on)
    # subject: the Attempt; one piece per evidence requirement (render_each)
    EVIDENCE_FEEDBACK = "attempt.evidence_feedback"
    AWARD_VERIFICATION = "award.verification"  # subject: the Award (its certificate)
    PERSON_STATUSES = "person.statuses"  # subject: the User (profile, badge wallet)


def render(part: Part, request: HttpRequest, subject: Any) -> SafeString:
    path = settings.PAGE_PARTS.get(part)
    if not path:
        return mark_safe("")
    html = import_string(path)(request, subject)
    return mark_safe(html)  # noqa: S308 - the part is a rendered template


def render_each(part: Part, request: HttpRequest, subject: Any) -> dict[Any, SafeString]:
    """A part made of pieces shown in several places of the page, keyed by where (e.g. the
    feedback beside each evidence requirement, by requirement id): empty when not configured."""
    path = settings.PAGE_PARTS.get(part)
    if not path:
        return {}
    pieces = import_string(path)(request, subject)
    return {key: mark_safe(html) for key, html in pieces.items()}  # noqa: S308 - rendered templates
