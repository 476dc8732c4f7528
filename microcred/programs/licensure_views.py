"""Pages of licensure credit: an educator's credit and transcripts, and the renewal rules a
program admin sets."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from microcred.core import permissions
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import User
from microcred.programs import licensure, transcript
from microcred.programs.licensure_forms import CycleStartForm, RenewalRuleForm
from microcred.programs.models import RenewalRule


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _credit_page(
    request: HttpRequest,
    user: User,
    *,
    bound: CycleStartForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """Her credit page; `bound` replaces its rule's form with a refused one (input kept)."""
    context: dict[str, Any] = licensure.credit_page(educator=user)
    for cycle in context["cycles"]:
        cycle.form = CycleStartForm(rule_pk=cycle.rule.pk, initial={"starts_on": cycle.own_start})
        if bound is not None and bound.prefix == cycle.form.prefix:
            cycle.form = bound
    context["transcript_error"] = error
    return render(request, "programs/credit.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def credit(request: HttpRequest) -> HttpResponse:
    """My licensure credit: progress in each renewal rule's current cycle, every entry."""
    return _credit_page(request, _user(request))


@login_required
@require_POST
def cycle_set(request: HttpRequest, pk: int) -> HttpResponse:
    """She gives the day her own cycle under a rule began (or clears it)."""
    user = _user(request)
    rule = RenewalRule.objects.applying_to(user).filter(pk=pk).first()
    if rule is None:
        raise Http404("No such renewal rule applies to you.")
    form = CycleStartForm(request.POST, rule_pk=rule.pk)
    if form.is_valid():
        try:
            licensure.credit_cycle_set(
                actor=user, rule=rule, starts_on=form.cleaned_data["starts_on"]
            )
        except DomainError as error:
            add_to_form(form, error, fallback="starts_on")
        else:
            messages.success(request, f"Saved your cycle under “{rule.name}”.")
            return redirect("licensure:credit")
    return _credit_page(request, user, bound=form, status=400)


@login_required
@require_http_methods(["GET"])
def transcript_pdf(request: HttpRequest) -> HttpResponse:
    """Her transcript as a PDF download."""
    user = _user(request)
    try:
        pdf = transcript.transcript_pdf(educator=user)
    except DomainError as error:
        return _credit_page(request, user, error=error.message, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="transcript-{day}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def transcript_clr(request: HttpRequest) -> HttpResponse:
    """Her transcript as a signed CLR 2.0 credential (JSON download)."""
    user = _user(request)
    try:
        document = transcript.transcript_clr_issue(actor=user)
    except DomainError as error:
        return _credit_page(request, user, error=error.message, status=400)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="transcript-clr-{day}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# ----------------------------------------------------------------------------- rules


def _require_manager(user: User) -> None:
    if not permissions.has_perm_anywhere(user, "programs.manage"):
        raise PermissionDenied("Only a program admin sets license renewal rules.")


@login_required
@require_http_methods(["GET"])
def rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    return render(request, "programs/credit_rules.html", licensure.rules_page(actor=user))


def _rule_form(
    request: HttpRequest, form: RenewalRuleForm, rule: RenewalRule | None
) -> HttpResponse:
    """Save a valid posted rule, or show the form (refused: with its messages, input kept)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = licensure.renewal_rule_save(
                actor=_user(request),
                organization=form.chosen_organization(),
                data=form.rule_input(),
                rule=rule,
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect("licensure:rules")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "rule": rule}
    return render(request, "programs/credit_rule_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rule_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    form = RenewalRuleForm(request.POST if request.method == "POST" else None, actor=user)
    return _rule_form(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = RenewalRule.objects.managed_by(user).select_related("organization").filter(pk=pk)
    rule = found.first()
    if rule is None:
        raise Http404("No such renewal rule.")
    data = request.POST if request.method == "POST" else None
    form = RenewalRuleForm(data, actor=user, rule=rule, initial=RenewalRuleForm.initial_of(rule))
    return _rule_form(request, form, rule)
