"""Whole-page caching for visitors who are not signed in.

The public catalog and credential pages are read far more often than they change,
mostly by people who have not signed in. For a GET from a visitor with no session
cookie, the rendered page is kept in the cache under a key that includes a
"generation" read from the database (one small query), so a publish, retirement
or visibility change is visible on the next request, in every process. Pages for
signed-in people are never cached here: they carry a CSRF token and a name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.headers.get("HX-Request")
    )


def anonymous_page_cache(generation: Callable[[], str]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            query = "&".join(sorted(request.GET.urlencode().split("&")))
            raw = f"{request.get_host()}|{request.path}?{query}|{generation()}"
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            # A response that sets a cookie (a CSRF token, a session) is personal: never cached.
            if response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    settings.PUBLIC_PAGE_CACHE_SECONDS,
                )
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped

    return decorator
