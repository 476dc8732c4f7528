"""The program dashboard and its CSV export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from microcred.core.exports import csv_response
from microcred.core.models import User
from microcred.programs.ledger import cell
from microcred.reports import selectors
from microcred.reports.forms import DashboardFilters


def _filters(request: HttpRequest) -> DashboardFilters:
    """The filters from the address, with the viewer's schools and credentials to choose
    from (refused with a 403 to anyone who may not read a dashboard)."""
    assert isinstance(request.user, User)
    choices = selectors.filter_choices(actor=request.user)
    return DashboardFilters(request.GET, choices=choices, today=timezone.localdate())


def _dashboard(request: HttpRequest, form: DashboardFilters) -> selectors.Dashboard:
    assert isinstance(request.user, User)
    scope = selectors.scope_for(
        actor=request.user,
        choices=form.choices,
        period=form.period(),
        place=form.place(),
        credential_id=form.credential_id(),
    )
    return selectors.dashboard(scope)


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """Participation, activity, outcomes, turnaround and spending of the viewer's schools;
    refused filters come back beside their fields, as typed, with a 400."""
    form = _filters(request)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    context = {"form": form, "board": _dashboard(request, form), "query": form.query()}
    return render(request, "reports/dashboard.html", context)


@login_required
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Every figure of the dashboard as it is filtered, one value a line (CSV, streamed)."""
    form = _filters(request)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    board = _dashboard(request, form)
    period = board.scope.period
    rows = ([cell(text) for text in row] for row in board.long_rows())
    name = f"program-dashboard-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    return csv_response(name, ["Table", "Row", "Column", "Value"], rows)
