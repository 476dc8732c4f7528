"""Reads for the pages that span the apps: the home page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from microcred.catalog import selectors as catalog_selectors
from microcred.core import permissions
from microcred.core.models import User
from microcred.core.selectors import memberships_of


def home_page(*, actor: User | AnonymousUser) -> dict[str, Any]:
    """The home page: the person's organizations, what waits for them in review and in the
    studio (for those who do that work), and the featured credentials (`featured`, still
    to be rendered as cards)."""
    context: dict[str, Any] = {}
    if isinstance(actor, User):
        context["memberships"] = list(memberships_of(user=actor))
        if permissions.has_perm_anywhere(actor, "catalog.review"):
            context["review_queue"] = list(catalog_selectors.review_queue(actor=actor)[:5])
        if permissions.has_perm_anywhere(actor, "catalog.view_drafts"):
            context["studio_rows"] = [
                {"credential": c, "working": catalog_selectors.working_version(c)}
                for c in catalog_selectors.studio_credentials(actor=actor)[:5]
            ]
    filters = catalog_selectors.CatalogFilters()
    context["featured"] = list(catalog_selectors.catalog_search(actor=actor, filters=filters)[:6])
    return context
