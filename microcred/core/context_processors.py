"""Navigation by role: the header shows what the signed-in person can use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

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


# The header's addresses, per script prefix: reversing a dozen names on every page costs
# about as much as reading the signed-in person from the cache.
_URLS: dict[str, dict[str, str]] = {}
_NAMES = (
    "catalog:list",
    "earning:dashboard",
    "badges:wallet",
    "earning:staff",
    "programs:stacks",
    "reports:dashboard",
    "assessment:index",
    "studio:index",
    "core:organizations",
    "badges:verify",
    "core:notifications",
    "account_email",
)


def _urls() -> dict[str, str]:
    prefix = get_script_prefix()
    urls = _URLS.get(prefix)
    if urls is None:
        urls = _URLS[prefix] = {name: reverse(name) for name in _NAMES}
    return urls


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
        "programs": "stacks",
        "reports": "reports",
    }.get(namespace, "")
    section = _SECTIONS.get(url_name, section)
    if url_name.startswith("account_"):
        section = "account"

    url = _urls()
    items: list[dict[str, Any]] = [
        {"key": "catalog", "label": "Catalog", "url": url["catalog:list"]}
    ]
    signed_in = user is not None and user.is_authenticated
    # The roles the person holds anywhere, read once: a permission is held somewhere when
    # one of its roles is (as `permissions.has_perm_anywhere`).
    roles = {grant.role for grant in permissions.grants(user)} if signed_in else set()

    def anywhere(perm: str) -> bool:
        return not roles.isdisjoint(permissions.roles_for(perm))

    if signed_in:
        if anywhere("earning.earn"):
            items.append(
                {"key": "earning", "label": "My micro-credentials", "url": url["earning:dashboard"]}
            )
            items.append({"key": "badges", "label": "My badges", "url": url["badges:wallet"]})
        if anywhere("earning.support"):
            items.append({"key": "staff", "label": "Staff progress", "url": url["earning:staff"]})
        if anywhere("earning.earn") or anywhere("programs.manage") or anywhere("programs.follow"):
            items.append({"key": "stacks", "label": "Stacks", "url": url["programs:stacks"]})
        if anywhere("reports.view"):
            items.append({"key": "reports", "label": "Reports", "url": url["reports:dashboard"]})
        if anywhere("assessment.review") or anywhere("assessment.manage"):
            items.append(
                {"key": "assessment", "label": "Assessment", "url": url["assessment:index"]}
            )
        if anywhere("catalog.view_drafts"):
            items.append({"key": "studio", "label": "Design studio", "url": url["studio:index"]})
        if roles:
            items.append(
                {"key": "orgs", "label": "Organizations", "url": url["core:organizations"]}
            )
    else:
        items.append({"key": "verify", "label": "Verify a badge", "url": url["badges:verify"]})
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
            "notifications", url["core:notifications"], section, path
        ),
        "nav_account_current": _current("account", url["account_email"], section, path),
    }
    if signed_in and user is not None:
        from microcred.core.notify import unread_count

        context["unread_notifications"] = unread_count(user)
        # The assessment pages' first tab is "My reviews" only for someone who reviews.
        context["nav_reviews"] = anywhere("assessment.review")
    return context
