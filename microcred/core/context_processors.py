"""Navigation by role: the header shows what the signed-in person can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from microcred.core import permissions


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
    if url_name in ("earning:staff",):
        section = "staff"
    if url_name == "badges:wallet":
        section = "badges"
    elif url_name in ("badges:issued", "badges:keys"):
        section = "assessment"
    elif url_name == "badges:verify":
        section = "verify"
    if url_name == "core:profile" or url_name.startswith("account_"):
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
    for item in items:
        item["current"] = item["key"] == section
    context: dict[str, Any] = {"nav_items": items, "nav_section": section}
    if user is not None and user.is_authenticated:
        from microcred.core.notify import unread_count

        context["unread_notifications"] = unread_count(user)
    return context
