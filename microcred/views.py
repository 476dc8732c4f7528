"""Pages that span the apps: the home page, the about page, errors, the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404
from django.views.decorators.http import require_http_methods

from microcred import selectors
from microcred.catalog.views.public import credential_cards


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.home_page(actor=request.user)
    context["featured"] = credential_cards(context["featured"])
    return render(request, "home.html", context)


@require_http_methods(["GET"])
def about(request: HttpRequest) -> HttpResponse:
    """A static page in the base layout: also the benchmark's no-query baseline."""
    return render(request, "about.html")


@require_http_methods(["GET", "HEAD"])
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin site)."""
    return HttpResponsePermanentRedirect(static("microcred/favicon.svg"))


@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(
    request: HttpRequest, template: str, status: int, exception: Exception | None = None
) -> HttpResponse:
    # Show our own sentences, decided by the exception's type, not its wording: the 404 of a
    # path no URL pattern matches (Resolver404) carries a dict of the patterns tried.
    message = ""
    if exception is not None and status in (403, 404) and not isinstance(exception, Resolver404):
        first = exception.args[0] if exception.args else ""
        message = first if isinstance(first, str) else ""
    return HttpResponse(
        loader.render_to_string(template, {"message": message}, request), status=status
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, "errors/400.html", 400, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, "errors/403.html", 403, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token was missing or stale (CSRF_FAILURE_VIEW): our own page, saying
    nothing was saved and what to do, not Django's stock one."""
    return HttpResponse(loader.render_to_string("errors/403_csrf.html", {}, request), status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, "errors/404.html", 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the error may come from the database or a context processor.
    return HttpResponse(loader.render_to_string("errors/500.html"), status=500)
