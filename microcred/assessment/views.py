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
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from microcred.assessment import selectors, services
from microcred.assessment.forms import (
    AppealForm,
    DecideForm,
    DeclineForm,
    MemberAddForm,
    PoolCreateForm,
    PoolForm,
    ReassignForm,
    ReviewForm,
)
from microcred.assessment.models import AssessorPool, Award, Review
from microcred.catalog.models import Credential
from microcred.core import permissions, tenancy
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import Organization, User
from microcred.earning.models import Attempt, Submission
from microcred.earning.standing import Standing, standing_of

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _posted(request: HttpRequest) -> Any:
    """The POST data, bound even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def _require_manager(user: User) -> None:
    if not permissions.has_perm_anywhere(user, "assessment.manage"):
        raise PermissionDenied("This page is for issuers and program admins.")


# ----------------------------------------------------------------------------- assessor


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    is_assessor = permissions.has_perm_anywhere(user, "assessment.review")
    is_manager = permissions.has_perm_anywhere(user, "assessment.manage")
    if not (is_assessor or is_manager):
        raise PermissionDenied("The assessment queue is for assessors, issuers and program admins.")
    counts = selectors.queue_counts(actor=user)
    paginator = Paginator(selectors.assessor_queue(actor=user), PAGE_SIZE)
    paginator.count = counts["open"]  # counted already, with the other figures
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/index.html",
        {
            "page_obj": page,
            "rows": selectors.queue_entries(list(page.object_list)),
            "counts": counts,
            "is_assessor": is_assessor,
            "is_manager": is_manager,
            "can_decide": permissions.has_perm_anywhere(user, "assessment.decide"),
        },
    )


def _review_context(
    screen: selectors.ReviewScreen, form: ReviewForm, **extra: Any
) -> dict[str, Any]:
    return {
        "screen": screen,
        "review": screen.review,
        "submission": screen.submission,
        "attempt": screen.attempt,
        "version": screen.version,
        "form": form,
        "rows": form.rows(),
        "evidence_list": screen.evidence,
        "viewer": "assessor",
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: Any) -> HttpResponse:
    user = _user(request)
    try:
        item = selectors.review_for_assessor(actor=user, public_id=review_id)
    except Review.DoesNotExist:
        raise Http404("No such review in your queue.") from None
    if not item.is_open:
        return _closed_review(request, item)
    screen = selectors.review_screen(item)
    initial: dict[str, Any] = {"recommendation": item.recommendation, "summary": item.summary}
    for view in screen.sections:
        if view.score is not None:
            initial[f"level-{view.section.pk}"] = view.score.level_id
            initial[f"feedback-{view.section.pk}"] = view.score.feedback
    form = ReviewForm(initial=initial, sections=screen.sections)
    decline_form = DeclineForm()
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "decline":
            decline_form = DeclineForm(request.POST)
            if decline_form.is_valid():
                try:
                    replacement = services.review_decline(
                        actor=user, review=item, reason=decline_form.cleaned_data["reason"]
                    )
                except DomainError as error:
                    add_to_form(decline_form, error, fallback="reason")
                else:
                    messages.success(
                        request,
                        "You declined the review. It went on to another assessor in the pool."
                        if replacement.assessor_id is not None
                        else "You declined the review. No other assessor in the pool is free "
                        "for it, so it waits for the program admin to assign it.",
                    )
                    return redirect("assessment:index")
            status = 400
        elif op in ("save", "submit"):
            form = ReviewForm(request.POST, sections=screen.sections)
            if form.is_valid():
                try:
                    services.review_save(
                        actor=user,
                        review=item,
                        scores=form.scores(),
                        recommendation=form.cleaned_data["recommendation"],
                        summary=form.cleaned_data["summary"],
                        submit=op == "submit",
                    )
                except services.ReviewIncomplete as error:
                    for field, message in error.fields.items():
                        form.add_error(field if field in form.fields else None, message)
                except DomainError as error:
                    add_to_form(form, error)
                else:
                    if op == "submit":
                        messages.success(request, "Review submitted. Thank you.")
                        return redirect("assessment:index")
                    messages.success(request, "Draft saved.")
                    return redirect(item.get_absolute_url())
            status = 400
        else:
            form = ReviewForm(request.POST, sections=screen.sections)
            form.is_valid()
            form.add_error(None, "Choose “Save draft”, “Submit review” or “Decline”.")
            status = 400
    return render(
        request,
        "assessment/review.html",
        _review_context(screen, form, decline_form=decline_form),
        status=status,
    )


def _closed_review(request: HttpRequest, item: Review) -> HttpResponse:
    """A submitted, declined or reassigned review, read only. A post to it changes nothing
    and says why. Only a submitted review shows the evidence: a declined or reassigned one
    no longer opens it, so it links to none."""
    if request.method == "POST":
        messages.error(
            request,
            f"This review is {item.get_state_display().lower()}; it can no longer be changed.",
        )
    submitted = item.state == Review.State.SUBMITTED
    return render(
        request,
        "assessment/review_closed.html",
        {
            "review": item,
            "r": selectors.review_with_scores(item) if submitted else item,
            "submission": item.submission,
            "version": item.submission.attempt.version,
            "evidence_list": selectors.handed_in_evidence(item.submission) if submitted else [],
            "viewer": "assessor",
        },
        status=409 if request.method == "POST" else 200,
    )


# ----------------------------------------------------------------------------- managers


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, review_id: Any) -> HttpResponse:
    user = _user(request)
    try:
        item = selectors.managed_review(actor=user, public_id=review_id)
    except Review.DoesNotExist:
        raise Http404("No such review.") from None
    submission = item.submission
    attempt = submission.attempt
    policy = selectors.policy_for(attempt.version)
    home = policy.pool.organization if policy.pool else attempt.version.credential.organization
    assessors = selectors.assignable_assessors(item)
    next_free = bool(
        selectors.eligible_pool_assessors(policy.pool, attempt, selectors.reviewer_ids(submission))
    )
    form = ReassignForm(_posted(request), assessors=assessors, next_free=next_free)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.review_reassign(
                    actor=user,
                    review=item,
                    assessor=form.cleaned_data["assessor"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, f"The review is now {new.assessor}'s.")
                return redirect("assessment:decisions")
        status = 400
    return render(
        request,
        "assessment/reassign.html",
        {
            "review": item,
            "submission": submission,
            "attempt": attempt,
            "form": form,
            "home": home,
            "pool": policy.pool,
            "next_free": next_free,
            "nobody": not next_free and not assessors.exists(),
            "closed": selectors.closed_reviews(submission),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def decisions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    return render(
        request,
        "assessment/decisions.html",
        {
            "reviewed": list(selectors.reviewed_submissions(actor=user)[:100]),
            "appeals": list(selectors.appeals_ready(actor=user)[:100]),
            "unassigned": selectors.queue_rows(
                list(selectors.unassigned_reviews(actor=user)[:100])
            ),
            "overdue": selectors.queue_rows(list(selectors.overdue_reviews(actor=user)[:100])),
            "can_decide": permissions.has_perm_anywhere(user, "assessment.decide"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        submission = selectors.managed_submission(actor=user, pk=pk)
    except Submission.DoesNotExist:
        raise Http404("No such hand-in.") from None
    attempt = submission.attempt
    credential = attempt.version.credential
    appeal = selectors.open_appeal(submission)
    reviews = selectors.submission_reviews(submission)
    appeal_ready = appeal is not None and any(
        r.kind == Review.Kind.APPEAL and r.state == Review.State.SUBMITTED for r in reviews
    )
    can_decide = permissions.has_perm(user, "assessment.decide", credential.organization) and (
        submission.state == Submission.State.REVIEWED or appeal_ready
    )
    form = DecideForm(_posted(request))
    status = 200
    if request.method == "POST":
        permissions.require(user, "assessment.decide", credential.organization)
        if form.is_valid():
            try:
                services.submission_decide(
                    actor=user,
                    submission=submission,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    appeal=appeal if appeal_ready else None,
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Decision recorded; the educator has been told.")
                return redirect("assessment:decisions")
        status = 400
    return render(
        request,
        "assessment/decide.html",
        {
            "submission": submission,
            "attempt": attempt,
            "version": attempt.version,
            "reviews": reviews,
            "decisions": list(submission.decisions.select_related("decided_by")),
            "appeal": appeal,
            "appeal_ready": appeal_ready,
            "can_decide": can_decide,
            "form": form,
            "carried": selectors.carried_over(submission),
            # The issuer of record decides on what was handed in: the evidence (with the
            # review screen's player) and the reflections, beside every review.
            "evidence_list": selectors.handed_in_evidence(submission),
            "viewer": "issuer",
            "reflections": submission.reflections or [],
        },
        status=status,
    )


# ----------------------------------------------------------------------------- educator


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, attempt_id: Any) -> HttpResponse:
    user = _user(request)
    try:
        attempt = selectors.attempt_for(actor=user, public_id=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("No such attempt.") from None
    info = selectors.feedback(actor=user, attempt=attempt)
    attempt.standing = _standing(info.award) if info.award is not None else None  # type: ignore[attr-defined]
    form = AppealForm(_posted(request))
    status = 200
    if request.method == "POST":
        if attempt.educator_id != user.pk:
            raise PermissionDenied("Only the educator who handed this in can appeal its decision.")
        if info.decision is None:
            form.add_error(None, "There is no decision to appeal yet.")
        elif form.is_valid():
            try:
                services.appeal_file(
                    actor=user, decision=info.decision, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    "Your appeal is filed. A different assessor will review your hand-in; "
                    "we will email you the final decision.",
                )
                return redirect("assessment:feedback", attempt_id=attempt.public_id)
        status = 400
    return render(
        request,
        "assessment/feedback.html",
        {
            "attempt": attempt,
            "version": attempt.version,
            "info": info,
            "form": form,
            "is_owner": attempt.educator_id == user.pk,
            "resubmit_url": reverse("earning:attempt", args=[attempt.public_id]),
        },
        status=status,
    )


def _standing(award: Award) -> Standing:
    """Whether the award still counts: its badge may since have been revoked or have expired."""
    return standing_of(award.attempt)


@login_required
@require_http_methods(["GET"])
def certificate(request: HttpRequest, award_id: Any) -> HttpResponse:
    try:
        award = selectors.award_for(actor=_user(request), public_id=award_id)
    except Award.DoesNotExist:
        raise Http404("No such certificate.") from None
    version = award.attempt.version
    standing = _standing(award)
    return render(
        request,
        "assessment/certificate.html",
        {
            "award": award,
            "standing": standing,
            "is_owner": award.attempt.educator_id == request.user.pk,
            "attempt": award.attempt,
            "version": version,
            "credential": version.credential,
            "targets": list(version.targets.all()),
        },
    )


# ----------------------------------------------------------------------------- pools


def _pool_settings(data: dict[str, Any]) -> services.PoolSettings:
    return services.PoolSettings(
        name=data["name"],
        turnaround_days=data["turnaround_days"],
        double_scoring=data["double_scoring"],
        auto_decide=data["auto_decide"],
        max_resubmissions=data["max_resubmissions"],
        resubmit_wait_days=data["resubmit_wait_days"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def pools(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    organizations = Organization.objects.filter(
        tenancy.within(user, "assessment.manage", field="")
    ).order_by("path")
    credentials = (
        Credential.objects.filter(tenancy.within(user, "assessment.manage"))
        .filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("slug")
    )
    form = PoolCreateForm(
        request.POST or None,
        organizations=organizations,
        credentials=credentials,
        initial={"organization": organizations.first()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.pool_create(
                    actor=user,
                    organization=form.cleaned_data["organization"],
                    credential=form.cleaned_data["credential"],
                    data=_pool_settings(form.cleaned_data),
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Pool created. Now add its qualified assessors.")
                return redirect("assessment:pool", pk=made.pk)
        status = 400
    rows = list(selectors.pools(actor=user).order_by("organization__name", "name"))
    return render(request, "assessment/pools.html", {"pools": rows, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pool(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        item = selectors.pools(actor=user).get(pk=pk)
    except AssessorPool.DoesNotExist:
        raise Http404("No such pool.") from None
    members = list(selectors.pool_members(item))
    active_ids = [m.assessor_id for m in members if m.active]
    candidates = selectors.assessor_candidates(item.organization).exclude(pk__in=active_ids)
    settings_form = PoolForm(
        initial={
            name: getattr(item, name)
            for name in (
                "name",
                "turnaround_days",
                "double_scoring",
                "auto_decide",
                "max_resubmissions",
                "resubmit_wait_days",
            )
        }
    )
    add_form = MemberAddForm(assessors=candidates)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "settings":
                settings_form = PoolForm(request.POST)
                if settings_form.is_valid():
                    services.pool_update(
                        actor=user, pool=item, data=_pool_settings(settings_form.cleaned_data)
                    )
                    messages.success(request, "Settings saved.")
                    return redirect("assessment:pool", pk=item.pk)
            elif op == "add":
                add_form = MemberAddForm(request.POST, assessors=candidates)
                if add_form.is_valid():
                    person = add_form.cleaned_data["assessor"]
                    services.pool_member_add(actor=user, pool=item, assessor=person)
                    messages.success(request, f"{person} is now a qualified assessor of this pool.")
                    return redirect("assessment:pool", pk=item.pk)
            elif op == "remove":
                member = next(
                    (m for m in members if str(m.pk) == request.POST.get("member", "")), None
                )
                if member is None:
                    errors.append("Choose an assessor of this pool to remove.")
                else:
                    services.pool_member_remove(actor=user, pool=item, member=member)
                    messages.success(request, f"{member.assessor} left the pool.")
                    return redirect("assessment:pool", pk=item.pk)
            else:
                errors.append("Choose what to change.")
        except DomainError as error:
            if op == "add":
                add_to_form(add_form, error, fallback="assessor")
            elif op == "settings":
                add_to_form(settings_form, error)
            else:
                errors.append(error.message)
        status = 400
    return render(
        request,
        "assessment/pool.html",
        {
            "pool": item,
            "members": [m for m in members if m.active],
            "settings_form": settings_form,
            "add_form": add_form,
            "errors": errors,
            "has_candidates": candidates.exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def calibration(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    raw = request.GET.get("threshold", "").strip()
    threshold, problem = 70.0, ""
    if raw:
        try:
            threshold = float(raw)
        except ValueError:
            problem = f"“{raw[:20]}” is not a number; showing the default threshold of 70 %."
        else:
            if not 0 <= threshold <= 100:
                threshold = 70.0
                problem = "The threshold is a percentage from 0 to 100; showing 70 %."
    report = selectors.calibration(actor=user, threshold=threshold)
    return render(
        request,
        "assessment/calibration.html",
        {"report": report, "threshold": threshold, "raw": raw, "problem": problem},
        status=400 if problem else 200,
    )
