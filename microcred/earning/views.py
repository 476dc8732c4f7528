"""Pages of an educator's attempt: dashboard, steps, evidence upload and serving, submit.

Uploads come two ways: a plain form (works without JavaScript; the file streams to a
temporary file, never into memory) and tus 1.0.0 (https://tus.io), resumable, used by
the page's script for large video and open to any tus client (tus-js-client, Uppy,
tuspy) signed in with the session cookie:

    OPTIONS …/uploads/                   → 204 Tus-Version, Tus-Extension, Tus-Max-Size
    POST /attempts/<id>/evidence/<requirement>/uploads/
         Upload-Length: n, Upload-Metadata: filename, consent, caption (base64)
                                         → 201 Location: /uploads/<token>/, Upload-Expires
    HEAD /uploads/<token>/               → 200 Upload-Offset, Upload-Length, Upload-Expires
    PATCH /uploads/<token>/  Upload-Offset: n, Content-Type: application/offset+octet-stream
                                         → 204 Upload-Offset (the last byte adds the evidence)
    DELETE /uploads/<token>/             → 204 (termination)

Every request carries `Tus-Resumable: 1.0.0` (412 without it; it is also what keeps other
sites out, see earning/tus.py). Protocol errors answer with the statuses tus names (409
offset mismatch or another piece still arriving, 410 expired or cancelled, 413 too large,
415 wrong PATCH content type); refusals of the file itself (413 over the limit, 415 the
wrong type, 403 the attempt was handed in, 400 anything else) carry a message for the
educator as their plain-text body, which the page shows as it is. The protocol lives in
earning/tus.py, the rules and staging in earning/services.py and earning/staging.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from microcred.catalog.models import (
    Credential,
    EvidenceKind,
    EvidenceRequirement,
    ReflectionPrompt,
    Resource,
)
from microcred.core import parts, permissions
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import User
from microcred.core.parts import Part
from microcred.earning import selectors, services, standing, streaming, tus
from microcred.earning.forms import (
    CommentForm,
    SubmitForm,
    UploadForm,
    WithdrawForm,
    reflection_answers,
)
from microcred.earning.models import Attempt, Evidence, UploadSession

State = Attempt.State


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _attempt(request: HttpRequest, attempt_id: Any) -> Attempt:
    try:
        return selectors.attempt_for(actor=_user(request), public_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None


def _own_attempt(request: HttpRequest, attempt_id: Any) -> Attempt:
    """The educator's own attempt; a supporter reading it gets a 403, others a 404."""
    attempt = _attempt(request, attempt_id)
    if attempt.educator_id != request.user.pk:
        raise PermissionDenied("Only the educator who started this attempt can change it.")
    return attempt


# ----------------------------------------------------------------------------- lists


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """My micro-credentials: every attempt with its status in plain words."""
    context = selectors.dashboard_page(
        actor=_user(request), state=request.GET.get("state", ""), page=request.GET.get("page")
    )
    return render(request, "earning/dashboard.html", context)


@login_required
@require_http_methods(["GET"])
def staff(request: HttpRequest) -> HttpResponse:
    """Coaches, school leaders and program admins follow their educators (read-only)."""
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "earning.support"):
        raise PermissionDenied("This page is for coaches, school leaders and program admins.")
    context = selectors.staff_page(
        actor=user,
        state=request.GET.get("state", ""),
        q=request.GET.get("q", ""),
        page=request.GET.get("page"),
    )
    return render(request, "earning/staff.html", context)


# ----------------------------------------------------------------------------- starting


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    credential = get_object_or_404(Credential.objects.visible_to(user).listed(), slug=slug)
    if not permissions.has_perm_anywhere(user, "earning.earn"):
        raise PermissionDenied("Only an educator can work toward a micro-credential.")
    try:
        attempt = services.attempt_start(actor=user, credential=credential)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(credential.get_absolute_url())
    return redirect("earning:reflection", attempt_id=attempt.public_id, phase="pre")


def credential_actions(request: HttpRequest, credential: Credential) -> str:
    """The call to action on a credential's page (catalog keeps a place for it, named by
    settings.CREDENTIAL_PAGE_ACTIONS): start, continue, or sign in."""
    context = selectors.credential_actions(actor=request.user, credential=credential)
    return render_to_string("earning/_start.html", context, request=request)


def prerequisite_marks(request: HttpRequest, credential_ids: list[int]) -> dict[int, str]:
    """Beside each prerequisite a credential page lists (catalog keeps a place for each, named
    by settings.PAGE_PARTS): whether the signed-in educator holds it. Nothing for others."""
    user = request.user
    if not permissions.has_perm_anywhere(user, "earning.earn"):
        return {}
    states = standing.prerequisite_states(educator=user, credential_ids=credential_ids)
    return {
        pk: render_to_string(
            "earning/_prerequisite_mark.html", {"state": states.get(pk, "")}
        ).rstrip()
        for pk in credential_ids
    }


# ----------------------------------------------------------------------------- the attempt


@login_required
@require_http_methods(["GET"])
def attempt(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    return render(request, "earning/attempt.html", _attempt_page(request, attempt))


def _attempt_page(request: HttpRequest, attempt: Attempt, **kwargs: Any) -> dict[str, Any]:
    """The attempt page's context, with assessment's guidance after a "not yet" (core.parts)."""
    context = selectors.attempt_page(actor=_user(request), attempt=attempt, **kwargs)
    context["feedback_part"] = parts.render(Part.ATTEMPT_FEEDBACK, request, attempt)
    return context


def _evidence_page(request: HttpRequest, attempt: Attempt, **kwargs: Any) -> dict[str, Any]:
    """The task page's context, with assessment's feedback to show beside each requirement
    after a "not yet" (core.parts)."""
    context = selectors.evidence_page(actor=_user(request), attempt=attempt, **kwargs)
    feedback = parts.render_each(Part.EVIDENCE_FEEDBACK, request, attempt)
    for row in context["rows"]:
        row["feedback"] = feedback.get(row["requirement"].pk, "")
    return context


@login_required
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, attempt_id: Any, phase: str) -> HttpResponse:
    if phase not in ReflectionPrompt.Phase.values:
        raise Http404("No such reflection.")
    attempt = _attempt(request, attempt_id)
    if phase == ReflectionPrompt.Phase.POST and not attempt.task_unlocked:
        messages.info(request, "Write your pre-reflection first; the rest unlocks after it.")
        return redirect("earning:reflection", attempt_id=attempt.public_id, phase="pre")
    typed = reflection_answers(request.POST) if request.method == "POST" else None
    context = selectors.reflection_page(
        actor=_user(request), attempt=attempt, phase=phase, typed=typed
    )
    if typed is None:
        return render(request, "earning/reflection.html", context)
    if not context["editable"]:
        raise PermissionDenied("This attempt is read-only now.")
    return _reflection_save(request, context, typed)


def _reflection_save(
    request: HttpRequest, context: dict[str, Any], typed: dict[int, str]
) -> HttpResponse:
    attempt: Attempt = context["attempt"]
    pre = context["phase"] == ReflectionPrompt.Phase.PRE
    save = services.pre_reflection_complete if pre else services.post_reflection_save
    try:
        save(actor=_user(request), attempt=attempt, answers=typed)
    except DomainError as error:
        context["errors"] = [error.message, *error.details]
        return render(request, "earning/reflection.html", context, status=400)
    if pre:
        messages.success(request, "Pre-reflection saved. The task is unlocked.")
        return redirect("earning:resources", attempt_id=attempt.public_id)
    messages.success(request, "Post-reflection saved.")
    return redirect("earning:submit", attempt_id=attempt.public_id)


@login_required
@require_POST
def autosave(request: HttpRequest, attempt_id: Any, prompt_id: int) -> HttpResponse:
    """htmx autosave of one answer (a reflection, or a written piece of evidence)."""
    attempt = _own_attempt(request, attempt_id)
    text = request.POST.get("text", request.POST.get(f"prompt-{prompt_id}", ""))
    if len(text) > 20000:
        return _saved(request, "Too long to save: keep it under 20,000 characters.", error=True)
    user = _user(request)
    try:
        if request.POST.get("kind") == "evidence":
            requirement = get_object_or_404(
                attempt.version.evidence_requirements.all(), pk=prompt_id
            )
            services.evidence_write(actor=user, attempt=attempt, requirement=requirement, text=text)
        else:
            prompt = get_object_or_404(attempt.version.prompts.all(), pk=prompt_id)
            services.reflection_save(actor=user, attempt=attempt, prompt=prompt, text=text)
    except DomainError as error:
        return _saved(request, error.message, error=True)
    return _saved(request, f"Saved at {timezone.localtime():%H:%M}")


def _saved(request: HttpRequest, message: str, *, error: bool = False) -> HttpResponse:
    return render(
        request,
        "earning/_saved.html",
        {"message": message, "error": error},
        status=200 if not error else 400,
    )


@login_required
@require_http_methods(["GET"])
def resources(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if not attempt.task_unlocked:
        messages.info(request, "Write your pre-reflection first; the resources unlock after it.")
        return redirect("earning:reflection", attempt_id=attempt.public_id, phase="pre")
    context = selectors.step_page(actor=_user(request), attempt=attempt, current="resources")
    return render(request, "earning/resources.html", context)


@login_required
@require_POST
def resource_tick(request: HttpRequest, attempt_id: Any, resource_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    resource = get_object_or_404(Resource.objects.filter(version=attempt.version), pk=resource_id)
    done = request.POST.get("done") == "1"
    try:
        services.resource_tick(actor=_user(request), attempt=attempt, resource=resource, done=done)
    except DomainError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(error.message, status=400)
        messages.error(request, error.message)
        return redirect("earning:resources", attempt_id=attempt.public_id)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("earning:resources", attempt_id=attempt.public_id)
    context = {
        "attempt": attempt,
        "resource": resource,
        "done": done,
        "editable": True,
        "htmx_swapped": True,
    }
    return render(request, "earning/_tick.html", context)


@login_required
@require_http_methods(["GET"])
def evidence(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if not attempt.task_unlocked:
        messages.info(request, "Write your pre-reflection first; the task unlocks after it.")
        return redirect("earning:reflection", attempt_id=attempt.public_id, phase="pre")
    return render(request, "earning/evidence.html", _evidence_page(request, attempt))


def _at_requirement(attempt: Attempt, requirement_id: int) -> str:
    """The task page, scrolled to one requirement."""
    url = reverse("earning:evidence", args=[attempt.public_id])
    return f"{url}#requirement-{requirement_id}"


@login_required
@require_POST
def evidence_add(request: HttpRequest, attempt_id: Any, requirement_id: int) -> HttpResponse:
    """A file in one request (without JavaScript), or the text of a written requirement."""
    attempt = _own_attempt(request, attempt_id)
    requirement = get_object_or_404(attempt.version.evidence_requirements.all(), pk=requirement_id)
    if requirement.kind == EvidenceKind.WRITTEN:
        return _evidence_write(request, attempt, requirement)
    return _evidence_upload(request, attempt, requirement)


def _evidence_upload(
    request: HttpRequest, attempt: Attempt, requirement: EvidenceRequirement
) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, requirement=requirement)
    if form.is_valid():
        try:
            services.evidence_upload(
                actor=_user(request),
                attempt=attempt,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                consent=form.cleaned_data.get("consent", False),
                caption=form.cleaned_data.get("caption", ""),
            )
        except DomainError as error:
            add_to_form(form, error, fallback="file")
        else:
            messages.success(request, f"Added to “{requirement.title}”.")
            return redirect(_at_requirement(attempt, requirement.pk))
    context = _evidence_page(request, attempt, form=form)
    return render(request, "earning/evidence.html", context, status=400)


def _evidence_write(
    request: HttpRequest, attempt: Attempt, requirement: EvidenceRequirement
) -> HttpResponse:
    """The answer of a written requirement, from the page without JavaScript; a refused one
    comes back on the page as typed, with why."""
    text = request.POST.get("text", "")[:100000]
    try:
        services.evidence_write(
            actor=_user(request), attempt=attempt, requirement=requirement, text=text
        )
    except DomainError as error:
        refused = selectors.RefusedAnswer(requirement.pk, text, error.message)
        context = _evidence_page(request, attempt, refused=refused)
        return render(request, "earning/evidence.html", context, status=400)
    messages.success(request, f"Your answer for “{requirement.title}” is saved.")
    return redirect(_at_requirement(attempt, requirement.pk))


# What a refused upload answers, by the error's code (tus clients read the status; the
# page shows the body, the message written for the educator).
UPLOAD_REFUSAL_STATUS = {
    "too_large": 413,
    "wrong_type": 415,
    "upload_offset_mismatch": 409,
    "upload_busy": 409,
    "upload_gone": 410,
    "invalid_transition": 403,
}


def _upload_refused(error: DomainError) -> HttpResponse:
    extra: dict[str, str | int] = {}
    if isinstance(error, services.UploadOffsetMismatch):
        extra["Upload_Offset"] = error.offset  # where to resume
    return tus.response(UPLOAD_REFUSAL_STATUS.get(error.code, 400), error.message, **extra)


@csrf_exempt  # tus clients send no token; tus.require_version guards instead (see tus.py)
@login_required
@tus.endpoint
@require_http_methods(["OPTIONS", "POST"])
def upload_begin(request: HttpRequest, attempt_id: Any, requirement_id: int) -> HttpResponse:
    """tus creation: a new upload for one requirement of the educator's attempt."""
    attempt = _own_attempt(request, attempt_id)
    requirement = get_object_or_404(attempt.version.evidence_requirements.all(), pk=requirement_id)
    if request.method == "OPTIONS":
        return tus.options(services.max_bytes_for(requirement))
    tus.require_version(request)
    upload = tus.creation(request)
    try:
        session = services.upload_begin(
            actor=_user(request),
            attempt=attempt,
            requirement=requirement,
            file_name=upload.filename,
            size=upload.length,
            consent=upload.consent,
            caption=upload.caption,
        )
    except DomainError as error:
        return _upload_refused(error)
    location = request.build_absolute_uri(reverse("earning:upload-chunk", args=[session.token]))
    return tus.created(location, services.upload_expires_at(session))


@csrf_exempt  # tus clients send no token; tus.require_version guards instead (see tus.py)
@login_required
@tus.endpoint
@require_http_methods(["OPTIONS", "HEAD", "PATCH", "DELETE"])
def upload_chunk(request: HttpRequest, token: Any) -> HttpResponse:
    """tus core and termination: where the upload stands, its next piece, or cancel it."""
    session = _own_upload(request, token)
    if request.method == "OPTIONS":
        return tus.options(services.max_bytes_for(session.requirement))
    tus.require_version(request)
    try:
        if request.method == "HEAD":
            session = services.upload_status(actor=_user(request), session=session)
            return tus.status(session.offset, session.size, services.upload_expires_at(session))
        if request.method == "DELETE":
            services.upload_cancel(actor=_user(request), session=session)
            return tus.response(204)
        return _upload_patch(request, session)
    except DomainError as error:
        return _upload_refused(error)


def _own_upload(request: HttpRequest, token: Any) -> UploadSession:
    """The educator's own upload; anybody else's is not found."""
    return get_object_or_404(
        UploadSession.objects.select_related("requirement", "attempt"),
        token=token,
        attempt__educator=request.user.pk,
    )


def _upload_patch(request: HttpRequest, session: UploadSession) -> HttpResponse:
    progress = services.upload_receive(
        actor=_user(request),
        session=session,
        offset=tus.patch_offset(request),
        length=tus.body_length(request),
        blocks=tus.body_blocks(request),
    )
    if progress.evidence is not None:
        messages.success(
            request, f"Added “{progress.evidence.file_name}” to “{session.requirement.title}”."
        )
    return tus.progressed(progress.offset, services.upload_expires_at(progress.session))


@login_required
@require_http_methods(["GET"])
def evidence_file(request: HttpRequest, evidence_id: Any) -> HttpResponse:
    """Private evidence, with range requests for video; every opening is logged."""
    item = _evidence(request, evidence_id)
    download = request.GET.get("download") == "1"
    if (
        not download
        and item.media_family in ("video", "audio")
        and request.headers.get("Sec-Fetch-Dest") == "document"
    ):
        return _evidence_player(request, item)
    services.evidence_access_record(
        actor=_user(request),
        evidence=item,
        download=download,
        range_header=request.headers.get("Range", ""),
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )
    try:
        return streaming.serve_evidence(request, item, download=download)
    except FileNotFoundError as error:  # the row outlived its file in storage
        raise Http404("The file of this evidence is no longer in storage.") from error


def _evidence(request: HttpRequest, evidence_id: Any) -> Evidence:
    try:
        return selectors.evidence_for(actor=_user(request), public_id=evidence_id)
    except Exception as error:  # DoesNotExist or a malformed id
        raise Http404("No such evidence.") from error


def _evidence_player(request: HttpRequest, item: Evidence) -> HttpResponse:
    """Opened on its own (a bookmark, an old link, "open in new tab"): Chromium's media
    viewer cannot run under the sandbox every evidence file is sent with, so answer with a
    page that plays it; the player then asks for the bytes."""
    page = render(request, "earning/evidence_play.html", {"item": item})
    page["Cache-Control"] = "private, no-store"
    patch_vary_headers(page, ["Sec-Fetch-Dest"])
    return page


@login_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: Any) -> HttpResponse:
    user = _user(request)
    item = _evidence(request, evidence_id)
    if item.attempt.educator_id != user.pk:
        raise PermissionDenied("Only the educator who added this evidence can remove it.")
    try:
        services.evidence_remove(actor=user, evidence=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed “{item.file_name or 'your answer'}”.")
    return redirect(_at_requirement(item.attempt, item.requirement_id))


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    form = SubmitForm(request.POST or None, resubmission=attempt.state == State.NOT_YET)
    errors: list[str] = []
    if request.method == "POST":
        if attempt.educator_id != request.user.pk:
            raise PermissionDenied("Only the educator who started this attempt can submit it.")
        if form.is_valid():
            note = form.cleaned_data.get("note", "")
            try:
                services.attempt_submit(actor=_user(request), attempt=attempt, note=note)
            except DomainError as error:
                errors = [error.message, *error.details]
            else:
                messages.success(request, HANDED_IN)
                return redirect("earning:attempt", attempt_id=attempt.public_id)
    context = selectors.submit_page(actor=_user(request), attempt=attempt, form=form, errors=errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "earning/submit.html", context, status=status)


HANDED_IN = "Handed in. An assessor will review it; we will email you when it is decided."


@login_required
@require_POST
def withdraw(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.attempt_withdraw(actor=_user(request), attempt=attempt, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("earning:attempt", attempt_id=attempt.public_id)
    messages.success(request, f"You withdrew from “{attempt.version.title}”.")
    return redirect("earning:dashboard")


@login_required
@require_POST
def comment(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        parent = get_object_or_404(attempt.comments.all(), pk=parent_id) if parent_id else None
        body = form.cleaned_data["body"]
        try:
            services.comment_add(actor=_user(request), attempt=attempt, body=body, parent=parent)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Comment posted.")
            return redirect(reverse("earning:attempt", args=[attempt.public_id]) + "#comments")
    context = _attempt_page(request, attempt, comment_form=form)
    return render(request, "earning/attempt.html", context, status=400)
