"""The design studio: drafting the six parts, quality review, publishing, versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcred.catalog import artwork, editors, rules, selectors, services
from microcred.catalog.forms import (
    BadgeImageForm,
    CredentialCreateForm,
    QualityReviewForm,
    RetireForm,
    VisibilityForm,
)
from microcred.catalog.models import QUALITY_CHECKLIST, Credential, CredentialVersion
from microcred.core import listedit, permissions
from microcred.core.errors import DomainError, Invalid, add_to_form
from microcred.core.models import User

State = CredentialVersion.State


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _credential(request: HttpRequest, pk: int) -> Credential:
    try:
        return selectors.studio_credential(actor=_user(request), pk=pk)
    except Credential.DoesNotExist:
        raise Http404("No such credential in your design studio.") from None


def _studio_context(
    credential: Credential, version: CredentialVersion, user: User
) -> dict[str, Any]:
    readiness = rules.missing_parts(version)
    organization = credential.organization
    return {
        "credential": credential,
        "version": version,
        "readiness": readiness,
        "parts": [
            {"key": key, "title": editor.tab, "done": not readiness.parts.get(key)}
            for key, editor in editors.EDITORS.items()
        ],
        "can_design": permissions.has_perm(user, "catalog.design", organization),
        "can_review": permissions.has_perm(user, "catalog.review", organization),
        "can_retire": permissions.has_perm(user, "catalog.retire", organization),
    }


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "catalog.view_drafts"):
        raise PermissionDenied(
            "The design studio is for credential designers, review boards and program admins."
        )
    state = request.GET.get("state", "")
    credentials = list(selectors.studio_credentials(actor=user, state=state)[:200])
    rows = [{"credential": c, "working": selectors.working_version(c)} for c in credentials]
    return render(
        request,
        "catalog/studio/index.html",
        {
            "rows": rows,
            "state": state,
            "queue": selectors.review_queue(actor=user)[:50],
            "can_create": permissions.has_perm_anywhere(user, "catalog.design"),
            "states": [
                ("", "All"),
                ("draft", "Drafts"),
                ("in_review", "In review"),
                ("changes_requested", "Changes requested"),
                ("published", "Published"),
                ("retired", "Retired"),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organizations = selectors.designable_organizations(actor=user)
    if not organizations.exists():
        raise PermissionDenied("Only credential designers can start a new credential.")
    form = CredentialCreateForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": organizations.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            credential = services.credential_create(
                actor=user,
                organization=form.cleaned_data["organization"],
                title=form.cleaned_data["title"],
                visibility=form.cleaned_data["visibility"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, "Draft created. Work through the six parts; each page saves on its own."
            )
            return redirect("studio:edit", pk=credential.pk, part="basics")
    return render(
        request, "catalog/studio/new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET"])
def credential_overview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    credential = _credential(request, pk)
    version = selectors.version_with_parts(selectors.working_version(credential).pk)
    context = _studio_context(credential, version, user)
    context.update(
        history=selectors.credential_history(credential)[:100],
        versions=credential.versions.order_by("-number"),
        latest_review=selectors.latest_review(version),
        visibility_form=VisibilityForm(initial={"visibility": credential.visibility}),
        is_submitter=version.submitted_by_id == user.pk,
    )
    return render(request, "catalog/studio/overview.html", context)


@login_required
@require_http_methods(["GET"])
def credential_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working version as an educator will read it in the catalog."""
    credential = _credential(request, pk)
    version = selectors.version_with_parts(selectors.working_version(credential).pk)
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
    credential = _credential(request, pk)
    permissions.require(user, "catalog.design", credential.organization)
    version = selectors.version_with_parts(selectors.working_version(credential).pk)
    if not version.is_editable:
        messages.info(
            request,
            f"Version {version.number} is {version.get_state_display().lower()} and cannot be edited"
            + (
                ". Start a new version to make changes."
                if version.state == State.PUBLISHED
                else "."
            ),
        )
        return redirect("studio:credential", pk=credential.pk)

    specs = {spec.name: spec for spec in editor.specs}
    form_kwargs = editor.form_kwargs(version) if editor.form_kwargs else None
    focus_id, announcement = "", ""
    page_errors: list[str] = []
    located: list[editors.Located] = []
    status = 200

    if request.method == "POST":
        lists = {
            name: listedit.parse(spec, request.POST, request.FILES, name)
            for name, spec in specs.items()
        }
        if "resources" in lists:
            located += editors.store_resource_uploads(lists["resources"], request.FILES)
        op = request.POST.get("op", "")
        if op:
            top_form = (
                editor.top_form(
                    initial=listedit.raw_values(editor.top_form, request.POST, request.FILES)
                )
                if editor.top_form
                else None
            )
            try:
                focus = listedit.apply_op(specs, lists, op)
            except listedit.OpError as error:
                page_errors.append(str(error))
            else:
                focus_id = f"item-{focus}" if focus.rsplit("-", 1)[-1].isdigit() else f"add-{focus}"
                announcement = _announce(op, specs)
            item_lists = {
                name: listedit.build(spec, lists[name], name, form_kwargs=form_kwargs)
                for name, spec in specs.items()
            }
        else:
            bound = listedit.serialize_all(specs, lists)
            top_form = editor.top_form(request.POST) if editor.top_form else None
            item_lists = {
                name: listedit.build(
                    spec, lists[name], name, bound_data=bound, form_kwargs=form_kwargs
                )
                for name, spec in specs.items()
            }
            # A list, not a generator: every form must be validated so each shows its errors.
            valid = all([listedit.all_valid(il) for il in item_lists.values()])  # noqa: C419
            valid = (top_form.is_valid() if top_form else True) and valid
            if editor.precheck:
                located += editor.precheck(lists)
            if valid and not located:
                data = editor.collect(top_form.cleaned_data if top_form else {}, item_lists)
                located = editor.check(data)
                if not located:
                    try:
                        editor.save(user, version, data)
                    except DomainError as error:
                        page_errors += [error.message, *error.details]
                    else:
                        messages.success(request, f"{editor.title} saved.")
                        if request.POST.get("then") == "next":
                            return redirect(_next_url(credential, part))
                        return redirect("studio:edit", pk=credential.pk, part=part)
            status = 400
    else:
        initial, lists = editor.load(version)
        top_form = editor.top_form(initial=initial) if editor.top_form else None
        item_lists = {
            name: listedit.build(spec, lists.get(name, []), name, form_kwargs=form_kwargs)
            for name, spec in specs.items()
        }

    for problem in _without_repeats(located, item_lists):
        if (
            problem.list
            and problem.index is not None
            and problem.index < item_lists[problem.list].count
        ):
            item_lists[problem.list].items[problem.index].problems.append(problem.message)
        else:
            page_errors.append(problem.message)
    if "resources" in item_lists:
        _describe_resource_files(item_lists["resources"], version)

    context = _studio_context(credential, version, user)
    context.update(
        editor=editor,
        part=part,
        top_form=top_form,
        lists=item_lists,
        page_errors=page_errors,
        item_errors=[
            {"anchor": f"item-{item.prefix}", "message": message}
            for il in item_lists.values()
            for item in il.items
            for message in item.problems
        ],
        field_errors=_field_errors(top_form, item_lists),
        focus_id=focus_id,
        announcement=announcement,
        next_url=_next_url(credential, part),
    )
    return render(request, editor.template, context, status=status)


def _without_repeats(
    located: list[editors.Located], item_lists: dict[str, listedit.ItemList]
) -> list[editors.Located]:
    """Drop a rule's message when the same item already shows a field error for it."""
    kept: list[editors.Located] = []
    for problem in dict.fromkeys(located):
        if (
            problem.list
            and problem.index is not None
            and problem.index < item_lists[problem.list].count
        ):
            item = item_lists[problem.list].items[problem.index]
            if item.form.is_bound and problem.field:
                if item.form.errors.get(problem.field):
                    continue
                children = item.children.get(problem.field)
                if children and any(child.form.errors for child in children.items):
                    continue
        kept.append(problem)
    return kept


def _field_errors(top_form: Any, item_lists: dict[str, listedit.ItemList]) -> list[dict[str, str]]:
    """Every field error on the page, each linked to its field, for the summary at the top."""
    found: list[dict[str, str]] = []
    if top_form is not None and top_form.is_bound:
        found += [
            {"anchor": field.auto_id, "message": f"{field.label}: {error}"}
            for field in top_form
            for error in field.errors
        ]

    def walk(item_list: listedit.ItemList, where: str) -> None:
        for item in item_list.items:
            here = f"{where}{item_list.spec.label.capitalize()} {item.number}"
            if item.form.is_bound:
                found.extend(
                    {
                        "anchor": field.auto_id,
                        "message": f"{here}, {str(field.label).lower()}: {error}",
                    }
                    for field in item.form
                    for error in field.errors
                )
            for child in item.children.values():
                walk(child, f"{here}, ")

    for item_list in item_lists.values():
        walk(item_list, "")
    return found


def _announce(op: str, specs: dict[str, listedit.ListSpec]) -> str:
    action, target, *_ = op.split("|")
    spec = specs.get(target.split("-")[0])
    label = spec.label if spec else "item"
    if "-" in target and spec:
        label = spec.children.get(target.split("-")[-1], spec).label
    return {
        "add": f"New {label} added.",
        "remove": f"{label.capitalize()} removed.",
        "up": f"{label.capitalize()} moved up.",
        "down": f"{label.capitalize()} moved down.",
    }.get(action, "")


def _next_url(credential: Credential, part: str) -> str:
    order = editors.PART_ORDER
    index = order.index(part)
    if index + 1 < len(order):
        return reverse("studio:edit", args=[credential.pk, order[index + 1]])
    return reverse("studio:credential", args=[credential.pk])


def _describe_resource_files(item_list: listedit.ItemList, version: CredentialVersion) -> None:
    existing = {r.pk: r for r in version.resources.all()}
    for item in item_list.items:
        upload = item.form["upload"].value()
        info = editors.upload_info(upload or "")
        resource_id = item.form["id"].value()
        if info:
            item.extra["file_label"] = info[1]
        elif resource_id and str(resource_id).isdigit() and int(resource_id) in existing:
            item.extra["file_label"] = existing[int(resource_id)].file_name


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
    credential = _credential(request, pk)

    def action() -> str:
        services.version_submit_for_review(
            actor=_user(request), version=selectors.working_version(credential)
        )
        return "Sent to the review board. You will get an email when they decide."

    return _act(request, credential, action)


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
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    credential = _credential(request, pk)

    def action() -> str:
        services.version_discard(
            actor=_user(request), version=selectors.working_version(credential)
        )
        return "The draft is discarded; the published version is unchanged."

    return _act(request, credential, action)


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
    credential = _credential(request, pk)
    permissions.require(user, "catalog.retire", credential.organization)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_retire(
                actor=user, credential=credential, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, "The credential is retired. It no longer appears in the catalog."
            )
            return redirect("studio:credential", pk=credential.pk)
    return render(
        request,
        "catalog/studio/retire.html",
        {"credential": credential, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review board's checklist, one question per part, beside the draft."""
    user = _user(request)
    credential = _credential(request, pk)
    permissions.require(user, "catalog.review", credential.organization)
    version = selectors.version_with_parts(selectors.working_version(credential).pk)
    if version.state != State.IN_REVIEW:
        messages.info(
            request,
            f"Version {version.number} is {version.get_state_display().lower()}, not waiting for review.",
        )
        return redirect("studio:credential", pk=credential.pk)
    form = QualityReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {
            part: services.ChecklistAnswer(
                met=form.cleaned_data[f"{part}_met"] == "yes",
                comment=form.cleaned_data[f"{part}_comment"],
            )
            for part in QUALITY_CHECKLIST
        }
        try:
            result = services.version_review(
                actor=user,
                version=version,
                approve=form.cleaned_data["decision"] == "approve",
                summary=form.cleaned_data["summary"],
                answers=answers,
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            if result.outcome == result.Outcome.APPROVED:
                messages.success(
                    request, f"Approved. Version {version.number} is published in the catalog."
                )
            else:
                messages.success(request, "Changes requested. The designer has your comments.")
            return redirect("studio:credential", pk=credential.pk)
    context = _studio_context(credential, version, user)
    context.update(
        form=form,
        rows=form.checklist_rows(),
        previous=selectors.latest_review(version),
        is_submitter=version.submitted_by_id == user.pk,
    )
    return render(
        request, "catalog/studio/review.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The badge's picture: the designer's upload or the default one, previewed as it shows."""
    user = _user(request)
    credential = _credential(request, pk)
    permissions.require(user, "catalog.design", credential.organization)
    version = selectors.working_version(credential)
    posted = request.method == "POST"
    form = BadgeImageForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("image")
        try:
            services.draft_set_badge_image(
                actor=user,
                version=version,
                data=None if form.cleaned_data["use_default"] or not upload else upload.read(),
                file_name=upload.name if upload else "",
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Badge image saved.")
            return redirect("studio:badge", pk=credential.pk)
    return render(
        request,
        "catalog/studio/badge.html",
        {"credential": credential, "version": version, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def badge_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    credential = _credential(request, pk)
    permissions.require(user, "catalog.view_drafts", credential.organization)
    version = selectors.working_version(credential)
    response = HttpResponse(artwork.version_png(version), content_type="image/png")
    response["Cache-Control"] = "no-cache"
    return response
