"""Template helpers shared by every page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from microcred.core.selectors import HOME_COUNT_CAP

register = template.Library()

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _initials(title: str) -> str:
    words = [
        w
        for w in re.split(r"[^\w]+", title)
        if w
        and w[0].isalpha()
        and w.lower() not in {"and", "the", "of", "for", "with", "a", "an", "in", "to"}
    ]
    return ("".join(w[0] for w in words[:2]) or "M").upper()


@register.simple_tag
def badge_icon(title: str, color: str = "#0b5c6b", size: str = "") -> str:
    """A badge-shaped mark with the credential's initials in its organization's colour."""
    fill = color if _HEX.match(color or "") else "#0b5c6b"
    return format_html(
        '<svg class="badge-icon{}" viewBox="0 0 64 64" role="img" aria-hidden="true" focusable="false">'
        '<path d="M32 3l7 5.5 8.8-.6 2.7 8.4 7.5 4.7-2.6 8.5 2.6 8.5-7.5 4.7-2.7 8.4-8.8-.6L32 61l-7-5.5'
        '-8.8.6-2.7-8.4-7.5-4.7 2.6-8.5-2.6-8.5 7.5-4.7 2.7-8.4 8.8.6z" fill="{}"/>'
        '<circle cx="32" cy="32" r="19" fill="#fff" opacity=".16"/>'
        '<text x="32" y="38.5" text-anchor="middle" font-family="system-ui, sans-serif" font-size="18" '
        'font-weight="700" fill="#fff">{}</text></svg>',
        f" {size}" if size else "",
        fill,
        _initials(title),
    )


@register.inclusion_tag("includes/status.html")
def status(state: str, label: str = "") -> dict[str, Any]:
    return {"state": state, "label": label}


@register.filter
def a_an(label: str) -> str:
    from microcred.core.models import with_article

    return with_article(str(label))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def verb_text(verb: str) -> str:
    """Plain words for an audit verb in a credential's history."""
    return {
        "credential.created": "created the draft",
        "credential.draft_edited": "edited the draft",
        "credential.submitted_for_review": "sent it to the review board",
        "credential.withdrawn_from_review": "withdrew it from review",
        "credential.changes_requested": "requested changes",
        "credential.published": "approved and published it",
        "credential.version_started": "started a new version",
        "credential.version_discarded": "discarded a draft version",
        "credential.retired": "retired the credential",
        "credential.reinstated": "reinstated the credential",
        "credential.visibility_changed": "changed who can find it",
        "credential.discarded": "discarded the draft credential",
    }.get(verb, verb.replace("_", " ").replace(".", ": "))


@register.filter
def ago(moment: Any) -> str:
    """'3 hours ago', or 'just now' within the first minute (timesince would say
    '0 minutes')."""
    if not moment:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL


@register.filter
def safe_url(value: Any) -> str:
    """A URL from stored or credential data, fit for an href: an absolute http(s) address or
    a path on this site; anything else (javascript:, data:, vbscript:, a protocol-relative
    //host) is "" so the template shows the text without a link. Every template that links
    to a URL it did not build itself goes through this filter."""
    if not isinstance(value, str):
        return ""
    # What a browser does first: drop tabs and newlines, trim C0 controls and spaces.
    url = _URL_NOISE.sub("", value).strip("".join(chr(c) for c in range(0x21)))
    if not url:
        return ""
    if url.startswith("/"):
        return "" if url.startswith(("//", "/\\")) else url
    scheme, _, rest = url.partition(":")
    if scheme.lower() in ("http", "https") and rest.startswith("//") and len(rest) > 2:
        return url
    return ""


@register.filter
def capped(number: int) -> str:
    """A home page's count, read no further than `core.selectors.HOME_COUNT_CAP`: "100+"."""
    return f"{HOME_COUNT_CAP}+" if number >= HOME_COUNT_CAP else str(number)


@register.filter
def hours(value: Any) -> str:
    """A number of hours as people write it: "1.5", "2", "0.25" (floatformat would show a
    stored 1.50 as "1.50" beside a "2")."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return format(number.normalize(), "f")
