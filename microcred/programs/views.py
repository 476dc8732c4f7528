"""Pages of the programs app: the stacks offered and designed, one stack, the designer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from microcred.core import permissions
from microcred.core.errors import DomainError, InvalidTransition, add_to_form
from microcred.core.exports import csv_response
from microcred.core.models import Organization, User
from microcred.programs import ledger as ledger_services
from microcred.programs import selectors, services
from microcred.programs.forms import (
    AgreementForm,
    BudgetForm,
    DecisionForm,
    RecommendForm,
    StackForm,
    StipendsForm,
    TermsForm,
    WaiverForm,
)
from microcred.programs.models import ProgramTerms, Recommendation, Stack, StackAgreement


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET"])
def stacks(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/stacks.html", selectors.stacks_page(actor=_user(request)))


@login_required
@require_http_methods(["GET"])
def stack(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        context = selectors.stack_page(actor=_user(request), slug=slug)
    except Stack.DoesNotExist:
        raise Http404("No such stack.") from None
    stack_ = context["stack"]
    context["stipends_form"] = StipendsForm(
        initial={"on_completion": stack_.stipend_on_completion, "per_year": stack_.stipend_per_year}
    )
    return render(request, "programs/stack.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stack_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "programs.manage"):
        raise PermissionDenied("Only a program admin can design stacks.")
    form = StackForm(request.POST if request.method == "POST" else None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.stack_create(actor=user, **form.options())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Stack saved as a draft. Check it, then publish it.")
            return redirect("programs:stack", slug=made.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/stack_form.html", {"form": form}, status=status)


@login_required
@require_POST
def stack_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    found = Stack.objects.designed_by(user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such stack.")
    try:
        services.stack_publish(actor=user, stack=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Published: the educators under it see it now.")
    return redirect("programs:stack", slug=found.slug)


@login_required
@require_http_methods(["GET", "POST"])
def stack_agree(request: HttpRequest, slug: str) -> HttpResponse:
    """The educator proposes her personal stack, or a change to it."""
    user = _user(request)
    try:
        context = selectors.agreement_form(actor=user, slug=slug)
    except Stack.DoesNotExist:
        raise Http404("No such stack to agree.") from None
    if not permissions.has_perm_anywhere(user, "earning.earn"):
        raise PermissionDenied("Only an educator agrees a personal stack with her school leader.")
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, initial=context["initial"], stack=context["stack"])
    if request.method == "POST" and form.is_valid():
        try:
            made = services.agreement_propose(actor=user, stack=context["stack"], **form.proposal())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Sent to your school leader for approval.")
            return redirect(made)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/agreement_form.html", {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def agreements(request: HttpRequest) -> HttpResponse:
    lists = selectors.agreements_list(actor=_user(request))
    return render(request, "programs/agreements.html", lists)


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """One agreement; the school leader decides on the proposal waiting here."""
    user = _user(request)
    try:
        context = selectors.agreement_page(actor=user, pk=pk)
    except StackAgreement.DoesNotExist:
        raise Http404("No such agreement.") from None
    data = request.POST if request.method == "POST" else None
    if data is not None and not context["can_decide"]:
        raise PermissionDenied("Nothing here waits for your decision.")
    form = DecisionForm(data, initial={"number": context["latest"].number})
    if data is not None and form.is_valid():
        try:
            services.agreement_decide(actor=user, **form.arguments(context["agreement"]))
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Decision saved; she has been told.")
            return redirect(context["agreement"])
    context["form"] = form if context["can_decide"] else None
    return render(request, "programs/agreement.html", context, status=400 if data else 200)


def person_statuses(request: HttpRequest, person: User) -> str:
    """The stacks a person completed and the statuses they hold (the profile's and the badge
    wallet's part, settings.PAGE_PARTS); nothing when they completed none."""
    completions = selectors.statuses_of(person=person)
    return render_to_string("programs/_statuses.html", {"completions": completions}, request)


# ----------------------------------------------------------------------------- ledger


def _program(request: HttpRequest) -> Organization:
    """The program the admin opened (?org=slug, else her first); another's is a 404."""
    organizations = selectors.ledger_organizations(_user(request))
    if not organizations:
        raise PermissionDenied("Only a program admin of a district or state runs its ledger.")
    slug = request.GET.get("org") or request.POST.get("org")
    if not slug:
        return organizations[0]
    found = next((o for o in organizations if o.slug == slug), None)
    if found is None:
        raise Http404("No such program.")
    return found


def _ledger(
    request: HttpRequest, organization: Organization, refused: str = "", **bound: Any
) -> HttpResponse:
    """The ledger page, with any form that was refused bound to what was entered (or the
    refusal of an approval or export, `refused`)."""
    context = selectors.ledger_page(actor=_user(request), organization=organization)
    context["refused"] = refused
    terms = context["terms"]
    initial = {} if terms is None else {f: getattr(terms, f) for f in TERMS_FIELDS}
    context["forms"] = {
        "terms": TermsForm(initial=initial or {"currency": "USD", "fee_payer": "district"}),
        "budget": BudgetForm(organization=organization, initial={"year": context.get("year")}),
        "waiver": WaiverForm(),
        **bound,
    }
    context["programs"] = selectors.ledger_organizations(_user(request))
    status = 400 if bound or refused else 200
    return render(request, "programs/ledger.html", context, status=status)


TERMS_FIELDS = ("currency", "assessment_fee", "fee_payer", "credential_stipend")


def _done(request: HttpRequest, organization: Organization, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('programs:ledger')}?org={organization.slug}")


@login_required
@require_http_methods(["GET"])
def ledger(request: HttpRequest) -> HttpResponse:
    return _ledger(request, _program(request))


@login_required
@require_POST
def ledger_terms(request: HttpRequest) -> HttpResponse:
    organization = _program(request)
    form = TermsForm(request.POST)
    if form.is_valid():
        try:
            ledger_services.terms_save(
                actor=_user(request), organization=organization, **form.arguments()
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            return _done(request, organization, "Terms saved; they apply from now on.")
    return _ledger(request, organization, terms=form)


@login_required
@require_POST
def ledger_budget(request: HttpRequest) -> HttpResponse:
    organization = _program(request)
    form = BudgetForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            ledger_services.budget_set(
                actor=_user(request), terms=_terms(organization), **form.arguments()
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            return _done(request, organization, "Budget saved.")
    return _ledger(request, organization, budget=form)


@login_required
@require_POST
def ledger_waiver(request: HttpRequest) -> HttpResponse:
    organization = _program(request)
    form = WaiverForm(request.POST)
    if form.is_valid():
        try:
            ledger_services.waiver_grant_by_email(
                actor=_user(request), terms=_terms(organization), **form.cleaned_data
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            return _done(request, organization, "Fee waived for that educator from now on.")
    return _ledger(request, organization, waiver=form)


@login_required
@require_POST
def ledger_approve(request: HttpRequest) -> HttpResponse:
    organization = _program(request)
    try:
        count = ledger_services.entries_approve(
            actor=_user(request),
            terms=_terms(organization),
            entry_ids=ledger_services.ids_from(request.POST.getlist("entries")),
        )
    except DomainError as error:
        return _ledger(request, organization, refused=error.message)
    return _done(request, organization, f"Approved {count} entr{'y' if count == 1 else 'ies'}.")


@login_required
@require_http_methods(["GET"])
def payroll(request: HttpRequest) -> HttpResponseBase:
    """The approved entries of a month, one row per educator, as CSV (streamed)."""
    organization = _program(request)
    period = request.GET.get("period", "")
    try:
        rows = ledger_services.payroll_rows(
            actor=_user(request), terms=_terms(organization), period=period
        )
        header = next(rows)  # checks the period before the response starts
    except DomainError as error:
        return _ledger(request, organization, refused=error.message)
    return csv_response(f"payroll-{organization.slug}-{period}.csv", header, rows)


def _terms(organization: Organization) -> ProgramTerms:
    terms = ProgramTerms.objects.filter(organization=organization).first()
    if terms is None:
        raise InvalidTransition("Set the program's terms first: the fee and the stipends.")
    return terms


@login_required
@require_POST
def stack_stipends(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    found = Stack.objects.designed_by(user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such stack.")
    form = StipendsForm(request.POST)
    if form.is_valid():
        try:
            ledger_services.stack_stipends_set(actor=user, stack=found, **form.arguments())
        except DomainError as error:
            add_to_form(form, error)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    if not form.errors:
        messages.success(request, "Stipends saved; they apply to completions from now on.")
    return redirect("programs:stack", slug=found.slug)


@login_required
@require_http_methods(["GET"])
def my_ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/my_ledger.html", selectors.my_ledger(actor=_user(request)))


# ----------------------------------------------------------------------------- recommendations


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest) -> HttpResponse:
    """A school leader or program admin recommends or assigns a credential to staff."""
    user = _user(request)
    if not permissions.has_perm_anywhere(user, "programs.recommend"):
        raise PermissionDenied("Only a school leader or program admin recommends credentials.")
    form = RecommendForm(request.POST if request.method == "POST" else None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.recommend_to(actor=user, **form.arguments())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, recommended_message(done))
            return redirect("programs:recommend")
    context = {"form": form, "made": selectors.recommendations_made(actor=user)}
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/recommend.html", context, status=status)


def recommended_message(done: services.Recommended) -> str:
    people = f"{done.made} educator{'s' if done.made != 1 else ''}"
    already = f"; {done.already} had it already" if done.already else ""
    return f"Sent to {people}{already}."


@login_required
@require_POST
def recommendation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = Recommendation.objects.filter(pk=pk, educator=user).first()
    if found is None:
        raise Http404("No such recommendation.")
    try:
        services.recommendation_dismiss(actor=user, recommendation=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Dismissed.")
    return redirect("home")
