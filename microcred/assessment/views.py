"""Assessment pages: the assessor's queue and review screen, decisions, the educator's
feedback and certificate, pools and calibration.

Every object is fetched through a query scoped to the person asking, so another
organization's object (or a review assigned to someone else) is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from microcred.assessment import selectors, services
from microcred.assessment.forms import (
    AppealForm,
    CalibrationFilterForm,
    DecideForm,
    DeclineForm,
    MemberAddForm,
    PoolCreateForm,
    PoolForm,
    ReassignForm,
    ReviewForm,
    parse_threshold,
)
from microcred.assessment.models import AssessorPool, Award, Review
from microcred.core import parts, permissions
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import User
from microcred.core.parts import Part
from microcred.earning.models import Attempt, Submission

APPEAL_FILED = (
    "Your appeal is filed. A different assessor will review your hand-in; "
    "we will email you the final decision."
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _posted(request: HttpRequest) -> Any:
    """The POST data, bound even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def _status(request: HttpRequest) -> int:
    """A post that comes back to its page was refused: 400."""
    return 400 if request.method == "POST" else 200


def _require_manager(user: User) -> None:
    if not permissions.has_perm_anywhere(user, "assessment.manage"):
        raise PermissionDenied("This page is for issuers and program admins.")


# ----------------------------------------------------------------------------- assessor


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (
        permissions.has_perm_anywhere(user, "assessment.review")
        or permissions.has_perm_anywhere(user, "assessment.manage")
    ):
        raise PermissionDenied("The assessment queue is for assessors, issuers and program admins.")
    context = selectors.queue_page(actor=user, page=request.GET.get("page"))
    return render(request, "assessment/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: Any) -> HttpResponse:
    """The review screen. A post saves a draft or submits the review (`op`, the form's two
    buttons); declining has its own address."""
    item = _open_review(request, review_id)
    if not item.is_open:
        return _closed_review(request, item)
    screen = selectors.review_screen(item)
    if request.method != "POST":
        return _review_page(request, screen, ReviewForm.for_screen(screen), DeclineForm())
    return _review_save(request, screen, request.POST.get("op", ""))


@login_required
@require_POST
def review_decline(request: HttpRequest, review_id: Any) -> HttpResponse:
    """The assessor hands the review back, with a reason; it goes to another assessor."""
    item = _open_review(request, review_id)
    if not item.is_open:
        return _closed_review(request, item)
    return _review_decline(request, selectors.review_screen(item))


def _open_review(request: HttpRequest, review_id: Any) -> Review:
    try:
        return selectors.review_for_assessor(actor=_user(request), public_id=review_id)
    except Review.DoesNotExist:
        raise Http404("No such review in your queue.") from None


def _review_page(
    request: HttpRequest, screen: selectors.ReviewScreen, form: ReviewForm, decline: DeclineForm
) -> HttpResponse:
    context = {
        "screen": screen,
        "review": screen.review,
        "submission": screen.submission,
        "attempt": screen.attempt,
        "version": screen.version,
        "form": form,
        "rows": form.rows(),
        "evidence_list": screen.evidence,
        "viewer": "assessor",
        "decline_form": decline,
    }
    return render(request, "assessment/review.html", context, status=_status(request))


def _review_decline(request: HttpRequest, screen: selectors.ReviewScreen) -> HttpResponse:
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            replacement = services.review_decline(
                actor=_user(request), review=screen.review, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_to_form(form, error, fallback="reason")
        else:
            messages.success(request, _declined(replacement))
            return redirect("assessment:index")
    return _review_page(request, screen, ReviewForm.for_screen(screen), form)


def _declined(replacement: Review) -> str:
    if replacement.assessor_id is not None:
        return "You declined the review. It went on to another assessor in the pool."
    return (
        "You declined the review. No other assessor in the pool is free "
        "for it, so it waits for the program admin to assign it."
    )


def _review_save(request: HttpRequest, screen: selectors.ReviewScreen, op: str) -> HttpResponse:
    """Save the review as a draft (`op` "save") or submit it ("submit")."""
    form = ReviewForm(request.POST, sections=screen.sections)
    if op not in ("save", "submit"):
        form.is_valid()
        form.add_error(None, "Choose “Save draft”, “Submit review” or “Decline”.")
    elif form.is_valid():
        submit = op == "submit"
        try:
            services.review_save(
                actor=_user(request), review=screen.review, submit=submit, **form.review_data()
            )
        except services.ReviewIncomplete as error:
            form.add_missing(error.fields)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Review submitted. Thank you." if submit else "Draft saved.")
            return redirect("assessment:index" if submit else screen.review.get_absolute_url())
    return _review_page(request, screen, form, DeclineForm())


def _closed_review(request: HttpRequest, item: Review) -> HttpResponse:
    """A submitted, declined or reassigned review, read only. A post to it changes nothing
    and says why."""
    if request.method == "POST":
        messages.error(
            request,
            f"This review is {item.get_state_display().lower()}; it can no longer be changed.",
        )
    context = selectors.closed_review_page(item)
    status = 409 if request.method == "POST" else 200
    return render(request, "assessment/review_closed.html", context, status=status)


# ----------------------------------------------------------------------------- managers


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, review_id: Any) -> HttpResponse:
    user = _user(request)
    try:
        page = selectors.reassign_page(actor=user, public_id=review_id)
    except Review.DoesNotExist:
        raise Http404("No such review.") from None
    form = ReassignForm(_posted(request), assessors=page.assessors, next_free=page.next_free)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.review_reassign(
                actor=user, review=page.review, assessor=data["assessor"], reason=data["reason"]
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"The review is now {new.assessor}'s.")
            return redirect("assessment:decisions")
    context = {**page.context(), "form": form}
    return render(request, "assessment/reassign.html", context, status=_status(request))


@login_required
@require_http_methods(["GET"])
def decisions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    return render(request, "assessment/decisions.html", selectors.decisions_page(actor=user))


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        page = selectors.decide_page(actor=user, pk=pk)
    except Submission.DoesNotExist:
        raise Http404("No such hand-in.") from None
    form = DecideForm(_posted(request))
    if request.method == "POST":
        permissions.require(user, "assessment.decide", page.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_decide(
                actor=user, submission=page.submission, appeal=page.answered_appeal, **form.terms()
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Decision recorded; the educator has been told.")
            return redirect("assessment:decisions")
    context = {**page.context(), "form": form}
    return render(request, "assessment/decide.html", context, status=_status(request))


# ----------------------------------------------------------------------------- educator


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    """The educator's feedback. A post appeals the decision (the educator only)."""
    user = _user(request)
    try:
        page = selectors.feedback_page(actor=user, public_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None
    form = AppealForm(_posted(request), decision=page.info.decision)
    if request.method == "POST" and not page.is_owner:
        raise PermissionDenied("Only the educator who handed this in can appeal its decision.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appeal_file(actor=user, decision=data["decision"], reason=data["reason"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, APPEAL_FILED)
            return redirect("assessment:feedback", attempt_id=page.attempt.public_id)
    context = {**page.context(), "form": form}
    return render(request, "assessment/feedback.html", context, status=_status(request))


@login_required
@require_http_methods(["GET"])
def certificate(request: HttpRequest, award_id: Any) -> HttpResponse:
    try:
        context = selectors.certificate_page(actor=_user(request), public_id=award_id)
    except Award.DoesNotExist:
        raise Http404("No such certificate.") from None
    context["verification"] = parts.render(Part.AWARD_VERIFICATION, request, context["award"])
    return render(request, "assessment/certificate.html", context)


# ----------------------------------------------------------------------------- pools


@login_required
@require_http_methods(["GET", "POST"])
def pools(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    form = PoolCreateForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.pool_create(
                actor=user,
                organization=data["organization"],
                credential=data["credential"],
                data=form.settings(),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Pool created. Now add its qualified assessors.")
            return redirect("assessment:pool", pk=made.pk)
    page = selectors.pools_listed(actor=user, page=request.GET.get("page"))
    context = {"pools": page.object_list, "page_obj": page, "form": form}
    return render(request, "assessment/pools.html", context, status=_status(request))


@login_required
@require_http_methods(["GET"])
def pool(request: HttpRequest, pk: int) -> HttpResponse:
    """A pool's settings and members; each change posts to its own address."""
    return _pool_page(request, _pool(request, pk))


@login_required
@require_POST
def pool_settings(request: HttpRequest, pk: int) -> HttpResponse:
    return _pool_settings(request, _pool(request, pk))


@login_required
@require_POST
def pool_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _pool_member_add(request, _pool(request, pk))


@login_required
@require_POST
def pool_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _pool_member_remove(request, _pool(request, pk))


def _pool(request: HttpRequest, pk: int) -> selectors.PoolPage:
    try:
        return selectors.pool_page(actor=_user(request), pk=pk)
    except AssessorPool.DoesNotExist:
        raise Http404("No such pool.") from None


def _pool_page(
    request: HttpRequest,
    page: selectors.PoolPage,
    *,
    settings_form: PoolForm | None = None,
    add_form: MemberAddForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The pool's page; a post that comes back to it was refused, with what it says."""
    context = {
        **page.context(),
        "settings_form": PoolForm.for_pool(page.pool) if settings_form is None else settings_form,
        "add_form": MemberAddForm(assessors=page.candidates) if add_form is None else add_form,
        "errors": errors or [],
    }
    return render(request, "assessment/pool.html", context, status=_status(request))


def _pool_settings(request: HttpRequest, page: selectors.PoolPage) -> HttpResponse:
    form = PoolForm(request.POST)
    if form.is_valid():
        try:
            services.pool_update(actor=_user(request), pool=page.pool, data=form.settings())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("assessment:pool", pk=page.pool.pk)
    return _pool_page(request, page, settings_form=form)


def _pool_member_add(request: HttpRequest, page: selectors.PoolPage) -> HttpResponse:
    form = MemberAddForm(request.POST, assessors=page.candidates)
    if form.is_valid():
        person = form.cleaned_data["assessor"]
        try:
            services.pool_member_add(actor=_user(request), pool=page.pool, assessor=person)
        except DomainError as error:
            add_to_form(form, error, fallback="assessor")
        else:
            messages.success(request, f"{person} is now a qualified assessor of this pool.")
            return redirect("assessment:pool", pk=page.pool.pk)
    return _pool_page(request, page, add_form=form)


def _pool_member_remove(request: HttpRequest, page: selectors.PoolPage) -> HttpResponse:
    member = page.member(request.POST.get("member", ""))
    if member is None:
        return _pool_page(request, page, errors=["Choose an assessor of this pool to remove."])
    try:
        services.pool_member_remove(actor=_user(request), pool=page.pool, member=member)
    except DomainError as error:
        return _pool_page(request, page, errors=[error.message])
    messages.success(request, f"{member.assessor} left the pool.")
    return redirect("assessment:pool", pk=page.pool.pk)


@login_required
@require_http_methods(["GET"])
def calibration(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    raw = request.GET.get("threshold", "").strip()
    threshold, problem = parse_threshold(raw)
    form = CalibrationFilterForm(
        request.GET or None, schools=selectors.calibration_schools(actor=user)
    )
    report = selectors.calibration(actor=user, threshold=threshold, only=form.filter())
    bad = problem or (form.is_bound and not form.is_valid())
    return render(
        request,
        "assessment/calibration.html",
        {"report": report, "threshold": threshold, "raw": raw, "problem": problem, "form": form},
        status=400 if bad else 200,
    )


# ----------------------------------------------------------------------------- page parts


def attempt_feedback(request: HttpRequest, attempt: Attempt) -> str:
    """On the attempt's page (earning keeps a place for it, core.parts): after a "not yet",
    the sections that did not pass with the assessor's feedback, and what carries over."""
    guidance = selectors.not_yet_guidance(actor=_user(request), attempt=attempt)
    if guidance is None:
        return ""
    context = {"guidance": guidance}
    return render_to_string("assessment/_not_yet_attempt.html", context, request=request)


def evidence_feedback(request: HttpRequest, attempt: Attempt) -> dict[int, str]:
    """Beside each evidence requirement on the task page (core.parts): the feedback on the
    sections that did not pass and are judged on it, by requirement id."""
    guidance = selectors.not_yet_guidance(actor=_user(request), attempt=attempt)
    if guidance is None:
        return {}
    return {
        requirement_id: render_to_string(
            "assessment/_not_yet_evidence.html", {"guidance": guidance, "rows": rows}, request
        )
        for requirement_id, rows in guidance.by_requirement.items()
    }
