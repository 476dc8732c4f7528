"""The public catalog and the credential page an educator reads before starting."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from microcred.catalog import selectors
from microcred.catalog.forms import CatalogFilterForm
from microcred.catalog.models import Credential, CredentialVersion, Resource
from microcred.catalog.templatetags.catalog_tags import prerequisite_marker
from microcred.core import parts
from microcred.core.models import Organization
from microcred.core.pagecache import anonymous_page_cache
from microcred.core.parts import Part

PAGE_SIZE = 20
CREDENTIAL_BODY_SECONDS = 24 * 60 * 60


@require_http_methods(["GET"])
@anonymous_page_cache(selectors.catalog_generation)
def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    filters = form.filters()
    credentials = selectors.catalog_search(actor=request.user, filters=filters)
    page = Paginator(credentials, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "cards": credential_cards(list(page.object_list)),
        "filters": filters,
        "query_string": form.query_string(),
    }
    return render(request, "catalog/catalog.html", context)


def owner_fingerprint(organization: Organization) -> str:
    return hashlib.sha256(f"{organization.name}|{organization.brand_color}".encode()).hexdigest()[
        :12
    ]


def credential_cards(credentials: list[Credential]) -> list[str]:
    """The catalog cards, each rendered once per published version and reused: a
    published version never changes, so neither does its card."""
    keys = {
        c.pk: f"credential-card:{c.current_version_id}:{c.visibility}:{owner_fingerprint(c.organization)}"
        for c in credentials
    }
    found = cache.get_many(list(keys.values()))
    missing = [c for c in credentials if keys[c.pk] not in found]
    prefetch_related_objects(missing, "current_version__audiences")
    rendered = {
        keys[c.pk]: render_to_string("catalog/_credential_card.html", {"credential": c})
        for c in missing
    }
    if rendered:
        cache.set_many(rendered, CREDENTIAL_BODY_SECONDS)
    return [found.get(keys[c.pk]) or rendered[keys[c.pk]] for c in credentials]


@require_http_methods(["GET"])
@anonymous_page_cache(selectors.catalog_generation)
def credential_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, slug, None)


@require_http_methods(["GET"])
@anonymous_page_cache(selectors.catalog_generation)
def credential_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    return _detail(request, slug, number)


def _detail(request: HttpRequest, slug: str, number: int | None) -> HttpResponse:
    try:
        credential, version_id, prerequisites_changed = selectors.credential_for_reader(
            actor=request.user, slug=slug, number=number
        )
    except (Credential.DoesNotExist, CredentialVersion.DoesNotExist):
        raise Http404("No such credential.") from None
    page = credential_page(credential, version_id, prerequisites_changed)
    body = _with_readers_parts(request, credential, page)
    return render(request, "catalog/credential_detail.html", {**page, "body": body})


def credential_page(
    credential: Credential, version_id: int, prerequisites_changed: Any = None
) -> dict[str, Any]:
    """The title, summary and rendered body of a published version's page, and the ids of
    the credentials it requires (for the reader's marks beside them).

    A published version never changes, so its body is kept until the credential itself
    changes (retired, new version, visibility), its owner is renamed, or a credential it
    requires changes (`prerequisites_changed`: a new title, retired).
    """
    owner = owner_fingerprint(credential.organization)
    required = prerequisites_changed.isoformat() if prerequisites_changed else ""
    key = f"credential-body:{version_id}:{credential.updated_at.isoformat()}:{owner}:{required}"
    page = cache.get(key)
    if page is None:
        version = selectors.version_with_parts(version_id)
        versions = selectors.published_version_numbers(credential)
        body = render_to_string(
            "catalog/_credential_body.html",
            {
                "credential": credential,
                "version": version,
                "versions": versions,
                "is_current": version_id == credential.current_version_id,
                "superseded_by": selectors.superseded_by([n for n, _ in versions], version.number),
            },
        )
        page = {
            "title": version.title,
            "summary": version.summary,
            "body": body,
            "prerequisite_ids": [p.credential_id for p in version.prerequisites.all()],
        }
        cache.set(key, page, CREDENTIAL_BODY_SECONDS)
    return page


START_MARKER = "<!--start-cta-->"


def _with_readers_parts(request: HttpRequest, credential: Credential, page: dict[str, Any]) -> str:
    """The shared (cached) body with what is the reader's own, made by the app that runs
    attempts (core.parts): the call to action under the credential's facts (start,
    continue, or sign in), and beside each prerequisite whether she has earned it. The body
    escapes everything a designer wrote, so a marker can only come from the template."""
    body = str(page["body"])
    if START_MARKER in body:
        body = body.replace(
            START_MARKER, parts.render(Part.CREDENTIAL_ACTIONS, request, credential)
        )
    if page.get("prerequisite_ids"):
        marks = parts.render_each(Part.PREREQUISITE_MARKS, request, page["prerequisite_ids"])
        for credential_id, mark in marks.items():
            body = body.replace(prerequisite_marker(credential_id), mark)
    return mark_safe(body)  # noqa: S308 - the body and the parts are rendered templates


def organization_credentials(request: HttpRequest, organization: Organization) -> str:
    """The organization page's list of the credentials it offers (core.parts)."""
    credentials = selectors.published_credentials_of(actor=request.user, organization=organization)
    return render_to_string(
        "catalog/_organization_credentials.html", {"credentials": credentials[:12]}
    )


@require_http_methods(["GET"])
def resource_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A resource file of a version the reader may see (published, or in their studio)."""
    try:
        resource = selectors.resource_for_reader(actor=request.user, slug=slug, pk=pk)
    except Resource.DoesNotExist:
        raise Http404("No such resource.") from None
    try:
        handle = default_storage.open(str(resource.file.name), "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return _file_response(resource, handle)


def _file_response(resource: Resource, handle: Any) -> FileResponse:
    """The file inline when a browser shows it safely (PDF, images), else as a download."""
    response = FileResponse(
        handle,
        as_attachment=resource.content_type
        not in ("application/pdf", "image/png", "image/jpeg", "image/gif"),
        filename=resource.file_name or "resource",
        content_type=resource.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
