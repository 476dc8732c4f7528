"""Pages of the programs app: the stacks offered and designed, one stack, the designer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from microcred.core import permissions
from microcred.core.errors import DomainError, add_to_form
from microcred.core.models import User
from microcred.programs import selectors, services
from microcred.programs.forms import AgreementForm, DecisionForm, StackForm
from microcred.programs.models import Stack, StackAgreement


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
            services.agreement_decide(actor=user, agreement=context["agreement"], **form.arguments())
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
