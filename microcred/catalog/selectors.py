"""Reads of the catalog and the design studio, scoped to the acting user.

Every list selects and prefetches what its page shows, so a page issues the same
number of queries with 10 credentials or 10,000 (tests assert this).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from microcred.catalog import rules
from microcred.catalog.models import (
    Audience,
    Credential,
    CredentialVersion,
    GradeBand,
    Prerequisite,
    QualityReview,
    Resource,
    RubricSection,
    Subject,
)
from microcred.core import audit, permissions, tenancy
from microcred.core.models import AuditEvent, Organization, User
from microcred.core.selectors import capped_count

State = CredentialVersion.State


def _parts_prefetch() -> list[Any]:
    return [
        "audiences",
        Prefetch(
            "prerequisites",
            queryset=Prerequisite.objects.select_related("credential__current_version"),
        ),
        "targets",
        "standards",
        "resources",
        "prompts",
        "evidence_requirements",
        Prefetch(
            "sections",
            queryset=RubricSection.objects.select_related("passing_level").prefetch_related(
                "levels", "targets", "evidence"
            ),
        ),
    ]


def version_with_parts(pk: int) -> CredentialVersion:
    """A version with all six parts and its prerequisites loaded (12 queries, whatever the
    rubric's size)."""
    return (
        CredentialVersion.objects.select_related("credential__organization", "submitted_by")
        .prefetch_related(*_parts_prefetch())
        .get(pk=pk)
    )


def version_to_earn(pk: int) -> CredentialVersion:
    """A version with what the pages of an attempt show of it: its prompts, resources and
    evidence requirements, and its rubric sections with their passing levels and the
    evidence each is judged on (6 queries; not the audiences, targets, standards and levels
    the catalog page shows)."""
    return (
        CredentialVersion.objects.select_related("credential__organization")
        .prefetch_related(
            "resources",
            "prompts",
            "evidence_requirements",
            Prefetch(
                "sections",
                queryset=RubricSection.objects.select_related("passing_level").prefetch_related(
                    "evidence"
                ),
            ),
        )
        .get(pk=pk)
    )


def has_parts(version: CredentialVersion) -> bool:
    """Whether the version came from `version_with_parts` (its rubric, evidence and the rest
    loaded with it), so that readers use what it holds instead of reading them again."""
    loaded = getattr(version, "_prefetched_objects_cache", {})
    return "sections" in loaded and "evidence_requirements" in loaded


def rubric_of(version: CredentialVersion) -> list[RubricSection]:
    """The version's rubric sections in order, each with its passing level: those
    `version_with_parts` loaded, or read now."""
    if has_parts(version):
        return list(version.sections.all())
    return list(version.sections.select_related("passing_level"))


def catalog_generation() -> str:
    """Changes whenever anything the public catalog shows changes (one indexed query).

    Every service that publishes, retires, reinstates or changes visibility saves
    the credential, which moves its updated_at.
    """
    state = Credential.objects.aggregate(latest=Max("updated_at"), count=Count("id"))
    return f"{state['latest']}|{state['count']}"


def search_document_for(version: CredentialVersion) -> str:
    pieces = [version.title, version.competency, version.key_method, version.summary]
    for standard in version.standards.all():
        pieces += [standard.framework, standard.code, standard.name]
    return " ".join(" ".join(p.split()) for p in pieces if p).casefold()


# ----------------------------------------------------------------------------- catalog

# The grades each band spans (pre-K is -1, kindergarten 0, adult learners 13), so a filter
# finds every credential whose band shares a grade with the one asked for: "Grades 3–5"
# also finds PK–12 and K–5 credentials, which are for those grades too.
GRADE_SPANS: dict[str, tuple[int, int]] = {
    GradeBand.ALL.value: (-1, 12),
    GradeBand.EARLY.value: (-1, 2),
    GradeBand.ELEMENTARY.value: (3, 5),
    GradeBand.MIDDLE.value: (6, 8),
    GradeBand.HIGH.value: (9, 12),
    GradeBand.K5.value: (0, 5),
    GradeBand.SECONDARY.value: (6, 12),
    GradeBand.ADULT.value: (13, 13),
}


def grade_bands_covering(band: str) -> list[str]:
    """The bands that share at least one grade with `band` (itself included)."""
    low, high = GRADE_SPANS.get(band, (0, -1))
    return [b for b, (lo, hi) in GRADE_SPANS.items() if lo <= high and low <= hi] or [band]


def subjects_covering(subject: str) -> list[str]:
    """A subject's own credentials and those written for all subjects."""
    return sorted({subject, Subject.ALL.value})


@dataclass
class CatalogFilters:
    q: str = ""
    audience: str = ""
    subject: str = ""
    grade_band: str = ""
    organization: str = ""

    @property
    def active(self) -> bool:
        return any((self.q, self.audience, self.subject, self.grade_band, self.organization))


def catalog_search(*, actor: Any, filters: CatalogFilters) -> QuerySet[Credential]:
    """Published, active credentials the actor may see, filtered; best title matches first."""
    # Audiences are loaded only for cards that are not already rendered (see
    # views.public.credential_cards), so they are not prefetched here.
    credentials = (
        Credential.objects.listed()
        .visible_to(actor)
        .select_related("current_version", "organization")
    )
    words = [w for w in filters.q.casefold().split() if w][:8]
    for word in words:
        credentials = credentials.filter(current_version__search_document__contains=word)
    if filters.audience:
        credentials = credentials.filter(
            Exists(
                CredentialVersion.audiences.through.objects.filter(
                    credentialversion_id=OuterRef("current_version_id"),
                    audience__slug=filters.audience,
                )
            )
        )
    if filters.subject:
        credentials = credentials.filter(
            current_version__subject__in=subjects_covering(filters.subject)
        )
    if filters.grade_band:
        credentials = credentials.filter(
            current_version__grade_band__in=grade_bands_covering(filters.grade_band)
        )
    if filters.organization:
        credentials = credentials.filter(organization__slug=filters.organization)
    if filters.q.strip():
        credentials = credentials.annotate(
            title_rank=Case(
                When(current_version__title__icontains=filters.q.strip(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("title_rank", "current_version__title", "pk")
    else:
        credentials = credentials.order_by("current_version__title", "pk")
    return credentials


FACETS_SECONDS = 60


def catalog_facets() -> dict[str, Any]:
    """Choices for the catalog's filters, as (slug, name) pairs. They change rarely, so
    they are cached for a minute: a new publisher appears in the filter within that."""
    facets = cache.get("catalog:facets")
    if facets is None:
        facets = {
            "audiences": list(Audience.objects.values_list("slug", "name")),
            "organizations": list(
                Organization.objects.filter(
                    Exists(
                        Credential.objects.listed().filter(
                            organization=OuterRef("pk"), visibility=Credential.Visibility.PUBLIC
                        )
                    )
                ).values_list("slug", "name")
            ),
        }
        cache.set("catalog:facets", facets, FACETS_SECONDS)
    return facets


def published_credentials_of(*, actor: Any, organization: Organization) -> QuerySet[Credential]:
    return (
        Credential.objects.listed()
        .visible_to(actor)
        .filter(organization=organization)
        .select_related("current_version")
        .order_by("current_version__title")
    )


def _prerequisites_changed(version: str) -> Subquery:
    """When a credential that the version at OuterRef(`version`) requires last changed (a
    new version, a new title, retired): part of the key of its cached page."""
    return Subquery(
        Prerequisite.objects.filter(version_id=OuterRef(version))
        .order_by()
        .values("version_id")
        .annotate(latest=Max("credential__updated_at"))
        .values("latest")[:1]
    )


def credential_for_reader(
    *, actor: Any, slug: str, number: int | None = None
) -> tuple[Credential, int, Any]:
    """The credential behind a credential page, the published version to show (the current
    one, or the given number), and when a credential that version requires last changed
    (None when it requires none), read with it.

    Raises Credential.DoesNotExist / CredentialVersion.DoesNotExist (the view's 404)
    when the actor may not see it or that version was never published.
    """
    credential = (
        Credential.objects.visible_to(actor)
        .filter(current_version__isnull=False)
        .select_related("organization")
        .annotate(prerequisites_changed=_prerequisites_changed("current_version_id"))
        .get(slug=slug)
    )
    if number is None:
        assert credential.current_version_id is not None  # filtered above
        return credential, credential.current_version_id, credential.prerequisites_changed
    version_id, changed = (
        CredentialVersion.objects.filter(
            credential=credential, number=number, state=State.PUBLISHED
        )
        .annotate(prerequisites_changed=_prerequisites_changed("pk"))
        .values_list("pk", "prerequisites_changed")
        .get()
    )
    return credential, version_id, changed


# ----------------------------------------------------------------------------- prerequisites


def prerequisites_offered(credential: Credential) -> QuerySet[Credential]:
    """What may be a prerequisite of `credential`: another credential in the catalog that
    everyone who may start it can find. For a public one, a public credential; for an
    internal one also what its organization or one above it keeps internal (a school's
    teachers see their district's internal credentials, not another school's)."""
    offered = Q(visibility=Credential.Visibility.PUBLIC)
    if credential.visibility == Credential.Visibility.INTERNAL:
        offered |= Q(organization_id__in=credential.organization.ancestor_ids)
    return (
        Credential.objects.listed()
        .filter(offered)
        .exclude(pk=credential.pk)
        .select_related("current_version", "organization")
    )


def internal_prerequisites(credential: Credential) -> list[str]:
    """Titles of the internal credentials that the credential's current or open version
    requires (a credential that does cannot be made public)."""
    rows = (
        Prerequisite.objects.filter(
            Q(version_id=credential.current_version_id) | ~Q(version__state=State.PUBLISHED),
            version__credential=credential,
            credential__visibility=Credential.Visibility.INTERNAL,
        )
        .select_related("credential__current_version")
        .order_by("credential_id")
    )
    return list(dict.fromkeys(p.credential.display_title for p in rows))


def prerequisite_choices(version: CredentialVersion) -> list[tuple[int, str]]:
    """The studio's choices of prerequisites for `version` (one query, with the version's
    prerequisites prefetched): what is offered, by title, and first any it already names
    that is no longer offered, so the designer sees it and can untick it."""
    owner = version.credential.organization
    offered = prerequisites_offered(version.credential).order_by("current_version__title", "pk")
    choices = [
        (
            c.pk,
            c.display_title
            if c.organization_id == owner.pk
            else f"{c.display_title} · {c.organization.name}",
        )
        for c in offered
    ]
    listed = {pk for pk, _ in choices}
    gone = [
        (p.credential_id, f"{p.credential.display_title} (no longer offered)")
        for p in version.prerequisites.all()
        if p.credential_id not in listed
    ]
    return gone + choices


def prerequisite_candidates(*, actor: Any, ids: list[int]) -> dict[int, Credential]:
    """Of the credentials `ids`, those the actor may see (any state), by id."""
    credentials = (
        Credential.objects.visible_to(actor)
        .filter(pk__in=ids)
        .select_related("current_version", "organization")
    )
    return {c.pk: c for c in credentials}


def prerequisite_path(*, starts: list[int], target: int) -> list[int]:
    """The shortest chain of credentials from one of `starts` to `target`, each requiring the
    next as its current published version says (one query per step), or [] when none of
    `starts` requires `target`, directly or through others."""
    came_from: dict[int, int | None] = dict.fromkeys(starts)
    frontier = set(starts)
    while frontier and target not in came_from:
        edges = Prerequisite.objects.filter(
            version_id__in=Credential.objects.filter(pk__in=frontier).values("current_version_id")
        ).values_list("version__credential_id", "credential_id")
        frontier = set()
        for required_by, required in edges:
            if required not in came_from:
                came_from[required] = required_by
                frontier.add(required)
    if target not in came_from:
        return []
    path = [target]
    while (step := came_from[path[-1]]) is not None:
        path.append(step)
    return path[::-1]


def credential_titles(ids: list[int]) -> dict[int, str]:
    credentials = Credential.objects.filter(pk__in=ids).select_related("current_version")
    return {c.pk: c.display_title for c in credentials}


def resource_for_reader(*, actor: Any, slug: str, pk: int) -> Resource:
    """A resource file of a version the actor may read: published, or in their studio.

    Raises Resource.DoesNotExist (the view's 404) otherwise, and for a resource with no file.
    """
    visible = Credential.objects.visible_to(actor).filter(slug=slug)
    resource = (
        Resource.objects.filter(pk=pk, kind=Resource.Kind.FILE, version__credential__in=visible)
        .select_related("version__credential")
        .first()
    )
    if resource is None or not resource.file.name:
        raise Resource.DoesNotExist
    version = resource.version
    in_studio = Credential.objects.in_studio_of(actor).filter(pk=version.credential_id).exists()
    if version.state != State.PUBLISHED and not in_studio:
        raise Resource.DoesNotExist
    return resource


def published_version_numbers(credential: Credential) -> list[tuple[int, Any]]:
    return list(
        credential.versions.filter(state=State.PUBLISHED)
        .order_by("number")
        .values_list("number", "published_at")
    )


def superseded_by(published: list[int], number: int) -> int | None:
    """The published version that replaced version `number` (the next one published after
    it), or None while it is the newest: an older published version still opens for the
    educators who started it, but it is no longer what the catalog offers."""
    return next((n for n in sorted(published) if n > number), None)


@dataclass(frozen=True)
class VersionRow:
    """A version in the studio's list, with the published version that replaced it."""

    version: CredentialVersion
    superseded_by: int | None

    @property
    def state(self) -> str:
        return "superseded" if self.superseded_by else self.version.state

    @property
    def label(self) -> str:
        if self.superseded_by:
            return f"Superseded by version {self.superseded_by}"
        return self.version.get_state_display()


def version_rows(credential: Credential) -> list[VersionRow]:
    versions = list(credential.versions.order_by("-number"))
    published = [v.number for v in versions if v.state == State.PUBLISHED]
    return [
        VersionRow(v, superseded_by(published, v.number) if v.state == State.PUBLISHED else None)
        for v in versions
    ]


# ----------------------------------------------------------------------------- studio


def studio_credentials(*, actor: Any, state: str = "") -> QuerySet[Credential]:
    """Credentials in the actor's studio, each with its working version (the open draft,
    else the current published one) as `working`."""
    open_versions = CredentialVersion.objects.exclude(state=State.PUBLISHED).select_related(
        "credential"
    )
    credentials = (
        Credential.objects.in_studio_of(actor)
        .select_related("organization", "current_version")
        .prefetch_related(Prefetch("versions", queryset=open_versions, to_attr="open_versions"))
        .order_by("-updated_at", "pk")
    )
    if state == "retired":
        credentials = credentials.filter(status=Credential.Status.RETIRED)
    elif state == "published":
        credentials = credentials.filter(
            current_version__isnull=False, status=Credential.Status.ACTIVE
        )
    elif state in State.values:
        credentials = credentials.filter(versions__state=state).distinct()
    return credentials


def working_version(credential: Credential) -> CredentialVersion:
    """The open version if there is one, else the current published version."""
    open_versions = getattr(credential, "open_versions", None)
    if open_versions is None:
        open_versions = list(credential.versions.exclude(state=State.PUBLISHED))
    if open_versions:
        return open_versions[0]
    assert credential.current_version is not None
    return credential.current_version


def studio_index(*, actor: User, state: str) -> dict[str, Any]:
    """The studio's front page: the actor's credentials (in `state`, when given) with their
    working versions, and the versions waiting for the actor's review board."""
    credentials = list(studio_credentials(actor=actor, state=state)[:200])
    return {
        "rows": [{"credential": c, "working": working_version(c)} for c in credentials],
        "queue": review_queue(actor=actor)[:50],
        "can_create": permissions.has_perm_anywhere(actor, "catalog.design"),
    }


def studio_version(credential: Credential) -> CredentialVersion:
    """The working version with all its parts, as the studio's pages show it."""
    return version_with_parts(working_version(credential).pk)


def studio_page(
    *, actor: User, credential: Credential, version: CredentialVersion
) -> dict[str, Any]:
    """What every studio page of one credential shows: the version, what keeps it from
    review, the part tabs, and what the actor may do there."""
    readiness = rules.missing_parts(version)
    organization = credential.organization
    return {
        "credential": credential,
        "version": version,
        "readiness": readiness,
        "parts": [
            {"key": key, "title": tab, "done": not readiness.parts.get(key)}
            for key, tab in rules.PART_TABS.items()
        ],
        "can_design": permissions.has_perm(actor, "catalog.design", organization),
        "can_review": permissions.has_perm(actor, "catalog.review", organization),
        "can_retire": permissions.has_perm(actor, "catalog.retire", organization),
    }


def studio_overview(
    *, actor: User, credential: Credential, version: CredentialVersion
) -> dict[str, Any]:
    """The credential's studio overview: its history, versions and the latest review."""
    return {
        **studio_page(actor=actor, credential=credential, version=version),
        "history": credential_history(credential)[:100],
        "versions": version_rows(credential),
        "latest_review": latest_review(version),
        "is_submitter": version.submitted_by_id == actor.pk,
    }


def studio_review_page(
    *, actor: User, credential: Credential, version: CredentialVersion
) -> dict[str, Any]:
    """The review board's page beside the draft: the previous review and whose draft it is."""
    return {
        **studio_page(actor=actor, credential=credential, version=version),
        "previous": latest_review(version),
        "is_submitter": version.submitted_by_id == actor.pk,
    }


def studio_credential(*, actor: Any, pk: int) -> Credential:
    """Raises Credential.DoesNotExist outside the actor's studio (the view's 404)."""
    return (
        Credential.objects.in_studio_of(actor)
        .select_related("organization", "current_version", "created_by")
        .get(pk=pk)
    )


def review_queue(*, actor: Any) -> QuerySet[CredentialVersion]:
    """Versions waiting for the actor's review board, oldest submission first."""
    return (
        CredentialVersion.objects.filter(
            tenancy.within(actor, "catalog.review", field="credential__organization"),
            state=State.IN_REVIEW,
        )
        .exclude(submitted_by=actor)
        .select_related("credential__organization", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def credential_history(credential: Credential) -> QuerySet[AuditEvent]:
    return audit.history(credential)


def latest_review(version: CredentialVersion) -> QualityReview | None:
    return (
        QualityReview.objects.filter(version=version)
        .select_related("reviewer")
        .prefetch_related("responses")
        .order_by("-round")
        .first()
    )


def designable_organizations(*, actor: Any) -> QuerySet[Organization]:
    """Organizations in which the actor may create credentials."""
    return Organization.objects.filter(tenancy.within(actor, "catalog.design", field="")).order_by(
        "path"
    )


# ----------------------------------------------------------------------------- the home page

HOME_ROWS = 5


def home_drafts(*, designer: Any, limit: int = HOME_ROWS) -> dict[str, Any]:
    """Versions in the designer's studio that wait for her: those the review board sent
    back ("changes requested") and drafts, each at most `limit` rows (latest change first)
    and a capped count."""
    open_work = CredentialVersion.objects.filter(
        tenancy.within(designer, "catalog.design", field="credential__organization")
    ).select_related("credential")
    sent_back = open_work.filter(state=State.CHANGES_REQUESTED).order_by("-updated_at", "-pk")
    drafts = open_work.filter(state=State.DRAFT).order_by("-updated_at", "-pk")
    return {
        "changes": list(sent_back[:limit]),
        "changes_count": capped_count(sent_back),
        "drafts": list(drafts[:limit]),
        "drafts_count": capped_count(drafts),
    }


def home_reviews(*, reviewer: Any, limit: int = HOME_ROWS) -> dict[str, Any]:
    """Versions waiting for the reviewer's review board, oldest submission first."""
    queue = review_queue(actor=reviewer)
    return {"rows": list(queue[:limit]), "count": capped_count(queue)}
