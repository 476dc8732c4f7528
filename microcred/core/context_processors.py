"""Navigation by role: the header shows what the signed-in person can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from microcred.core import permissions

# Pages that belong to another header item than their app's (by URL name); "" is none.
_SECTIONS = {
    "earning:staff": "staff",
    "assessment:feedback": "earning",
    "assessment:certificate": "earning",
    "badges:wallet": "badges",
    "badges:issued": "assessment",
    "badges:keys": "assessment",
    "badges:verify": "verify",
    "core:profile": "account",
    "core:notifications": "notifications",
    "core:invitation": "",
}


def _current(key: str, url: str, section: str, path: str) -> str:
    """The header highlights one item: the section the page is in. Its aria-current is "page"
    when the link is this very page, "true" when the page lies inside that section (an in-page
    navigation then marks the page itself)."""
    if key != section:
        return ""
    return "page" if url == path else "true"


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    url_name = match.view_name if match else ""
    section = {
        "catalog": "catalog",
        "studio": "studio",
        "core": "orgs",
        "earning": "earning",
        "assessment": "assessment",
    }.get(namespace, "")
    section = _SECTIONS.get(url_name, section)
    if url_name.startswith("account_"):
        section = "account"

    items: list[dict[str, Any]] = [
        {"key": "catalog", "label": "Catalog", "url": reverse("catalog:list")}
    ]
    if user is not None and user.is_authenticated:
        if permissions.has_perm_anywhere(user, "earning.earn"):
            items.append(
                {
                    "key": "earning",
                    "label": "My micro-credentials",
                    "url": reverse("earning:dashboard"),
                }
            )
            items.append({"key": "badges", "label": "My badges", "url": reverse("badges:wallet")})
        if permissions.has_perm_anywhere(user, "earning.support"):
            items.append(
                {"key": "staff", "label": "Staff progress", "url": reverse("earning:staff")}
            )
        if permissions.has_perm_anywhere(
            user, "assessment.review"
        ) or permissions.has_perm_anywhere(user, "assessment.manage"):
            items.append(
                {"key": "assessment", "label": "Assessment", "url": reverse("assessment:index")}
            )
        if permissions.has_perm_anywhere(user, "catalog.view_drafts"):
            items.append(
                {"key": "studio", "label": "Design studio", "url": reverse("studio:index")}
            )
        if permissions.grants(user):
            items.append(
                {"key": "orgs", "label": "Organizations", "url": reverse("core:organizations")}
            )
    else:
        items.append({"key": "verify", "label": "Verify a badge", "url": reverse("badges:verify")})
    path = request.path
    for item in items:
        item["current"] = _current(item["key"], item["url"], section, path)
    context: dict[str, Any] = {
        "nav_items": items,
        "nav_section": section,
        # What the header offers, by key: a breadcrumb links only to a page the person can open.
        "nav_keys": {item["key"] for item in items},
        # The header's account links (notifications, the person's account) follow the same rule.
        "nav_notifications_current": _current(
            "notifications", reverse("core:notifications"), section, path
        ),
        "nav_account_current": _current("account", reverse("account_email"), section, path),
    }
    if user is not None and user.is_authenticated:
        from microcred.core.notify import unread_count

        context["unread_notifications"] = unread_count(user)
        # The assessment pages' first tab is "My reviews" only for someone who reviews.
        context["nav_reviews"] = permissions.has_perm_anywhere(user, "assessment.review")
    return context
