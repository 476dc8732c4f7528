"""Reads for the pages that span the apps: the home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from microcred.assessment import selectors as assessment_selectors
from microcred.catalog import selectors as catalog_selectors
from microcred.core import permissions
from microcred.core.models import Role, User
from microcred.core.selectors import HOME_COUNT_CAP, memberships_of
from microcred.earning import selectors as earning_selectors
from microcred.programs import selectors as programs_selectors


@dataclass(frozen=True)
class HomeSection:
    """One block of work on the home page: what waits for one of the person's roles."""

    key: str  # the template `home/_<key>.html` and the section's anchor
    title: str
    count: int  # what waits, counted no further than HOME_COUNT_CAP
    data: dict[str, Any]
    link: str  # the full list ("see all")
    link_label: str

    @property
    def template(self) -> str:
        return f"home/_{self.key}.html"

    @property
    def count_label(self) -> str:
        return f"{HOME_COUNT_CAP}+" if self.count >= HOME_COUNT_CAP else str(self.count)


def _work_sections(actor: User, roles: set[Role]) -> list[HomeSection]:
    """What waits for the person, role by role, in the order of the roles' work: their own
    attempts, reviews, decisions, the program's gaps, design review, drafts, their staff."""
    sections = []
    if Role.EDUCATOR in roles:
        attempts = earning_selectors.home_attempts(educator=actor)
        sections.append(
            HomeSection(
                "attempts",
                "Your next steps",
                attempts["total"],
                attempts,
                reverse("earning:dashboard"),
                "All your micro-credentials",
            )
        )
    if Role.ASSESSOR in roles:
        queue = assessment_selectors.home_queue(assessor=actor)
        sections.append(
            HomeSection(
                "queue",
                "Reviews to do",
                queue["counts"]["open"],
                queue,
                reverse("assessment:index"),
                "Your whole queue",
            )
        )
    if Role.ISSUER in roles:
        decisions = assessment_selectors.home_decisions(issuer=actor)
        waiting = decisions["reviewed_count"] + decisions["appeals_count"]
        sections.append(
            HomeSection(
                "decisions",
                "Decisions waiting",
                waiting,
                decisions,
                reverse("assessment:decisions"),
                "All decisions",
            )
        )
    if Role.ADMIN in roles:
        program = assessment_selectors.home_program(admin=actor)
        gaps = program["unassigned_count"] + program["overdue_count"]
        sections.append(
            HomeSection(
                "program",
                "Reviews that need a hand",
                gaps,
                program,
                reverse("assessment:decisions") + "#unassigned",
                "Decisions and assignments",
            )
        )
    if Role.REVIEWER in roles:
        reviews = catalog_selectors.home_reviews(reviewer=actor)
        sections.append(
            HomeSection(
                "design_reviews",
                "Waiting for your review board",
                reviews["count"],
                reviews,
                reverse("studio:index"),
                "The design studio",
            )
        )
    if Role.DESIGNER in roles:
        drafts = catalog_selectors.home_drafts(designer=actor)
        count = drafts["changes_count"] + drafts["drafts_count"]
        sections.append(
            HomeSection(
                "drafts", "Your drafts", count, drafts, reverse("studio:index"), "The design studio"
            )
        )
    if roles & {Role.LEADER, Role.COACH}:
        staff = earning_selectors.home_staff(actor=actor)
        sections.append(
            HomeSection(
                "staff",
                "Staff who may need you",
                staff["count"],
                staff,
                reverse("earning:staff"),
                "All staff progress",
            )
        )
    return sections


def home_page(*, actor: User | AnonymousUser) -> dict[str, Any]:
    """The home page. Signed in: the person's organizations and, first, what waits for each
    of their roles (`sections`, each a few rows, a count and a link to the full list); an
    educator then sees her badges and credentials recommended for her audience. A visitor,
    or someone with no role yet, sees featured credentials (`featured`, still to be rendered
    as cards). The number of queries does not grow with the data."""
    context: dict[str, Any] = {}
    if isinstance(actor, User):
        roles = {g.role for g in permissions.grants(actor)}
        context["memberships"] = list(memberships_of(user=actor))
        sections = _work_sections(actor, roles)
        context["sections"] = sections
        if Role.EDUCATOR in roles:
            context["badges"] = earning_selectors.home_badges(educator=actor)
            context["recommended"] = earning_selectors.home_recommendations(educator=actor)
            context["from_leaders"] = programs_selectors.recommendations_for(educator=actor)
        if roles:
            context["featured"] = []
            return context
    filters = catalog_selectors.CatalogFilters()
    context["featured"] = list(catalog_selectors.catalog_search(actor=actor, filters=filters)[:6])
    return context
