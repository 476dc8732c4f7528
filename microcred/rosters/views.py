"""Pages of the rosters app: a district's roster imports (upload, report, confirm, progress,
history) and its role map. Only the district's program admins reach them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from microcred.core import permissions
from microcred.core.errors import DomainError, add_to_form
from microcred.core.exports import csv_response
from microcred.core.models import Organization, User
from microcred.rosters import invitations, selectors, services
from microcred.rosters import sso as sso_flow
from microcred.rosters.forms import (
    InvitationsUploadForm,
    RoleMapForm,
    RosterUploadForm,
    SingleSignOnForm,
)
from microcred.rosters.models import RosterImport

RUNNING = (RosterImport.State.QUEUED, RosterImport.State.APPLYING)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _district(request: HttpRequest, slug: str) -> Organization:
    """The district the URL names, for its program admins (another organization: 404)."""
    user = _user(request)
    district = get_object_or_404(
        Organization.objects.visible_to(user), slug=slug, kind=Organization.Kind.DISTRICT
    )
    permissions.require(user, "org.manage_members", district)
    return district


def _import(request: HttpRequest, slug: str, pk: int) -> RosterImport:
    district = _district(request, slug)
    record = get_object_or_404(
        RosterImport.objects.select_related("started_by"), pk=pk, organization=district
    )
    record.organization = district
    return record


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    district = _district(request, slug)
    posted = request.method == "POST"
    form = RosterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            record = services.roster_upload(
                actor=_user(request), organization=district, upload=form.cleaned_data["package"]
            )
        except DomainError as error:
            add_to_form(form, error, fallback="package")
        else:
            return redirect("rosters:import", slug=district.slug, pk=record.pk)
    context = selectors.imports_page(organization=district, page=request.GET.get("page"))
    context.update(organization=district, form=form)
    status = 400 if form.errors else 200
    return render(request, "rosters/imports.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def invitations_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """Bulk invitations from a plain CSV: checked, then the same report and confirmation."""
    district = _district(request, slug)
    posted = request.method == "POST"
    form = InvitationsUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        try:
            record = invitations.invitations_upload(
                actor=_user(request), organization=district, upload=form.cleaned_data["people"]
            )
        except DomainError as error:
            add_to_form(form, error, fallback="people")
        else:
            return redirect("rosters:import", slug=district.slug, pk=record.pk)
    status = 400 if form.errors else 200
    context = {"organization": district, "form": form}
    return render(request, "rosters/invitations.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def roster_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report = selectors.import_report(record=_import(request, slug, pk))
    return render(request, "rosters/import.html", report)


@login_required
@require_http_methods(["GET"])
def import_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress part of the import page, polled while the import is applied; once it is
    done, the page is loaded again whole (its state and what changed)."""
    record = _import(request, slug, pk)
    context = {**selectors.import_report(record=record), "polled": True}  # the state too
    response = render(request, "rosters/_progress.html", context)
    if request.headers.get("HX-Request") and record.state not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    record = _import(request, slug, pk)
    try:
        services.roster_confirm(actor=_user(request), record=record)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("rosters:import", slug=slug, pk=record.pk)


@login_required
@require_http_methods(["GET"])
def import_problems(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Every problem of the report, as CSV (the page shows the first few hundred)."""
    record = _import(request, slug, pk)
    header = ("file", "line", "column", "severity", "problem")
    rows = (
        (
            p.get("file", ""),
            p.get("line") or "",
            p.get("field", ""),
            p.get("severity", ""),
            p.get("message", ""),
        )
        for p in record.problems
    )
    return csv_response(f"roster-{record.pk}-problems.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def role_map(request: HttpRequest, slug: str) -> HttpResponse:
    district = _district(request, slug)
    posted = request.method == "POST"
    form = RoleMapForm(request.POST if posted else None, role_map=services.role_map_of(district))
    if posted and form.is_valid():
        try:
            services.role_map_set(
                actor=_user(request), organization=district, role_map=form.cleaned_data
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "The role map is saved; it applies to the next import.")
            return redirect("rosters:imports", slug=district.slug)
    status = 400 if form.errors else 200
    context = {"organization": district, "form": form}
    return render(request, "rosters/role_map.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sso_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The district's OpenID Connect sign-in; after a test sign-in, what the provider sent."""
    district = _district(request, slug)
    sso = selectors.sso_of(district)
    posted = request.method == "POST"
    form = SingleSignOnForm(
        request.POST if posted else None,
        initial=selectors.sso_initial(sso),
        district=district,
        has_secret=sso is not None,
    )
    if posted and form.is_valid():
        try:
            services.sso_save(actor=_user(request), organization=district, **form.arguments())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "The sign-in settings are saved.")
            return redirect("rosters:sso", slug=district.slug)
    context = sso_flow.page_context(request, organization=district, sso=sso)
    context["form"] = form
    return render(request, "rosters/sso.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def sso_test(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Run the provider's real sign-in; it comes back to the settings page, nobody signed in."""
    sso = selectors.sso_of(_district(request, slug))
    if sso is None:
        messages.error(request, "Save the settings first, then test them.")
        return redirect("rosters:sso", slug=slug)
    return sso_flow.test_redirect(request, sso)
