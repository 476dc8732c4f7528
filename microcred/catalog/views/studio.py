"""The design studio: drafting the six parts, quality review, publishing, versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcred.catalog import artwork, editors, selectors, services
from microcred.catalog.forms import (
    BadgeImageForm,
    CredentialCreateForm,
    QualityReviewForm,
    RetireForm,
    VisibilityForm,
)
from microcred.catalog.models import Credential, CredentialVersion, QualityReview
from microcred.core import permissions
from microcred.core.errors import DomainError, Invalid, add_to_form
from microcred.core.models import User

State = CredentialVersion.State


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _credential(request: HttpRequest, pk: int, *, require: str = "") -> Credential:
    """The credential in the user's studio (404 outside it); with `require`, the user must
    also hold that permission in its organization (403)."""
    try:
        credential = selectors.studio_credential(actor=_user(request), pk=pk)
    except Credential.DoesNotExist:
        raise Http404("No such credential in your design studio.") from None
    if require:
        permissions.require(_user(request), require, credential.organization)
    return credential


def _call[T](form: BaseForm, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Call one service; a refusal is shown on `form` (so `form.errors` says it failed)."""
    try:
        return service(**kwargs)
    except DomainError as error:
        add_to_form(form, error)
        return None


def _status(form: BaseForm) -> int:
    return 400 if form.errors else 200


STATE_FILTERS = [
    ("", "All"),
    ("draft", "Drafts"),
    ("in_review", "In review"),
    ("changes_requested", "Changes requested"),
    ("published", "Published"),
    ("retired", "Retired"),
]


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "catalog.view_drafts"):
        raise PermissionDenied(
            "The design studio is for credential designers, review boards and program admins."
        )
    state = request.GET.get("state", "")
    context = selectors.studio_index(actor=user, state=state)
    context.update(state=state, states=STATE_FILTERS)
    return render(request, "catalog/studio/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def credential_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organizations = selectors.designable_organizations(actor=user)
    if not organizations.exists():
        raise PermissionDenied("Only credential designers can start a new credential.")
    form = CredentialCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        credential = _call(form, services.credential_create, actor=user, **form.cleaned_data)
        if credential is not None:
            messages.success(
                request, "Draft created. Work through the six parts; each page saves on its own."
            )
            return redirect("studio:edit", pk=credential.pk, part="basics")
    return render(request, "catalog/studio/new.html", {"form": form}, status=_status(form))


@login_required
@require_http_methods(["GET"])
def credential_overview(request: HttpRequest, pk: int) -> HttpResponse:
    return _overview(request, _credential(request, pk))


def _overview(
    request: HttpRequest, credential: Credential, refusal: DomainError | None = None
) -> HttpResponse:
    """The overview; with `refusal`, the reason sending to review was refused at the top,
    each missing part linked to the field that fixes it (a 400)."""
    version = selectors.studio_version(credential)
    context = selectors.studio_overview(
        actor=_user(request), credential=credential, version=version
    )
    context["visibility_form"] = VisibilityForm(initial={"visibility": credential.visibility})
    context["refusal"] = refusal
    status = 400 if refusal else 200
    return render(request, "catalog/studio/overview.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def credential_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working version as an educator will read it in the catalog."""
    credential = _credential(request, pk)
    version = selectors.studio_version(credential)
    body = render_to_string(
        "catalog/_credential_body.html",
        {"credential": credential, "version": version, "preview": True},
    )
    context = {
        "title": f"Preview: {version.title}",
        "summary": version.summary,
        "body": body,  # a SafeString from render_to_string
    }
    return render(request, "catalog/credential_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def part_editor(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    editor = editors.EDITORS.get(part)
    if editor is None:
        raise Http404("No such part.")
    user = _user(request)
    credential = _credential(request, pk, require="catalog.design")
    version = selectors.studio_version(credential)
    if not version.is_editable:
        messages.info(request, _not_editable(version))
        return redirect("studio:credential", pk=credential.pk)
    posted = request.POST if request.method == "POST" else None
    page = editor.page(user, version, posted, request.FILES)
    if page.saved:
        messages.success(request, f"{editor.title} saved.")
        return redirect(_saved_url(credential, part, request.POST.get("then")))
    context = selectors.studio_page(actor=user, credential=credential, version=version)
    context.update(page.context(), next_url=_next_url(credential, part))
    return render(request, editor.template, context, status=page.status)


def _not_editable(version: CredentialVersion) -> str:
    return (
        f"Version {version.number} is {version.get_state_display().lower()} and cannot be edited"
        + (". Start a new version to make changes." if version.state == State.PUBLISHED else ".")
    )


def _next_url(credential: Credential, part: str) -> str:
    order = editors.PART_ORDER
    index = order.index(part)
    if index + 1 < len(order):
        return reverse("studio:edit", args=[credential.pk, order[index + 1]])
    return reverse("studio:credential", args=[credential.pk])


def _saved_url(credential: Credential, part: str, then: str | None) -> str:
    """Where Save goes: the next part for "Save and continue", else the same part."""
    if then == "next":
        return _next_url(credential, part)
    return reverse("studio:edit", kwargs={"pk": credential.pk, "part": part})


def _act(request: HttpRequest, credential: Credential, action: Callable[[], str]) -> HttpResponse:
    """Run one service for a studio button; its message (or the refusal) goes to the overview."""
    try:
        messages.success(request, action())
    except DomainError as error:
        messages.error(request, error.message)
        for detail in error.details:
            messages.error(request, detail)
    return redirect("studio:credential", pk=credential.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the draft to review; a refusal lists everything missing at once, on the overview."""
    credential = _credential(request, pk)
    version = selectors.working_version(credential)
    try:
        services.version_submit_for_review(actor=_user(request), version=version)
    except DomainError as error:
        return _overview(request, credential, refusal=error)
    messages.success(request, "Sent to the review board. You will get an email when they decide.")
    return redirect("studio:credential", pk=credential.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk)

    def action() -> str:
        services.version_withdraw(
            actor=_user(request), version=selectors.working_version(credential)
        )
        return "Withdrawn from review. You can edit the draft again."

    return _act(request, credential, action)


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk)

    def action() -> str:
        draft = services.credential_new_version(actor=_user(request), credential=credential)
        return (
            f"Version {draft.number} started as a draft. Version {draft.number - 1} stays published "
            "until this one is approved."
        )

    return _act(request, credential, action)


@login_required
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard the draft, after a page that says what goes: a credential never published
    goes entirely; otherwise only its open draft version, the published one stays."""
    credential = _credential(request, pk, require="catalog.design")
    version = selectors.working_version(credential)
    whole = credential.current_version_id is None
    if request.method == "POST":
        try:
            return _discard(request, credential, version, whole=whole)
        except DomainError as error:
            refusal: DomainError | None = error
    else:
        refusal = None
    context = {"credential": credential, "version": version, "whole": whole, "refusal": refusal}
    status = 400 if refusal else 200
    return render(request, "catalog/studio/discard.html", context, status=status)


def _discard(
    request: HttpRequest, credential: Credential, version: CredentialVersion, *, whole: bool
) -> HttpResponse:
    if whole:
        services.credential_discard(actor=_user(request), credential=credential)
        messages.success(request, f"The draft credential “{version.title}” is discarded.")
        return redirect("studio:index")
    services.version_discard(actor=_user(request), version=version)
    messages.success(request, "The draft is discarded; the published version is unchanged.")
    return redirect("studio:credential", pk=credential.pk)


@login_required
@require_POST
def reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk)

    def action() -> str:
        services.credential_reinstate(actor=_user(request), credential=credential)
        return "The credential is active again and back in the catalog."

    return _act(request, credential, action)


@login_required
@require_POST
def visibility(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk)
    form = VisibilityForm(request.POST)

    def action() -> str:
        if not form.is_valid():
            raise Invalid("Choose public or internal.")
        services.credential_set_visibility(
            actor=_user(request), credential=credential, visibility=form.cleaned_data["visibility"]
        )
        return "Visibility saved."

    return _act(request, credential, action)


@login_required
@require_http_methods(["GET", "POST"])
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    credential = _credential(request, pk, require="catalog.retire")
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        _call(form, services.credential_retire, actor=user, credential=credential, reason=reason)
        if not form.errors:
            messages.success(
                request, "The credential is retired. It no longer appears in the catalog."
            )
            return redirect("studio:credential", pk=credential.pk)
    context = {"credential": credential, "form": form}
    return render(request, "catalog/studio/retire.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review board's checklist, one question per part, beside the draft."""
    user = _user(request)
    credential = _credential(request, pk, require="catalog.review")
    version = selectors.studio_version(credential)
    if version.state != State.IN_REVIEW:
        messages.info(request, _not_in_review(version))
        return redirect("studio:credential", pk=credential.pk)
    form = QualityReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = form.review_input()
        result = _call(form, services.version_review, actor=user, version=version, **kwargs)
        if result is not None:
            messages.success(request, _reviewed(result, version))
            return redirect("studio:credential", pk=credential.pk)
    context = selectors.studio_review_page(actor=user, credential=credential, version=version)
    context.update(form=form, rows=form.checklist_rows())
    return render(request, "catalog/studio/review.html", context, status=_status(form))


def _not_in_review(version: CredentialVersion) -> str:
    state = version.get_state_display().lower()
    return f"Version {version.number} is {state}, not waiting for review."


def _reviewed(result: QualityReview, version: CredentialVersion) -> str:
    if result.outcome == result.Outcome.APPROVED:
        return f"Approved. Version {version.number} is published in the catalog."
    return "Changes requested. The designer has your comments."


@login_required
@require_http_methods(["GET", "POST"])
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The badge's picture: the designer's upload or the default one, previewed as it shows."""
    user = _user(request)
    credential = _credential(request, pk, require="catalog.design")
    version = selectors.working_version(credential)
    posted = request.method == "POST"
    form = BadgeImageForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        kwargs = form.image_input()
        _call(form, services.draft_set_badge_image, actor=user, version=version, **kwargs)
        if not form.errors:
            messages.success(request, "Badge image saved.")
            return redirect("studio:badge", pk=credential.pk)
    context = {"credential": credential, "version": version, "form": form}
    return render(request, "catalog/studio/badge.html", context, status=_status(form))


@login_required
@require_http_methods(["GET"])
def badge_preview(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk, require="catalog.view_drafts")
    version = selectors.working_version(credential)
    response = HttpResponse(artwork.version_png(version), content_type="image/png")
    response["Cache-Control"] = "no-cache"
    return response
