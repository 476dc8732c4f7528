"""Microcred's URLs: one include per app; the authorization matrix test walks all of them."""

from django.contrib import admin
from django.urls import include, path

from microcred import views
from microcred.catalog.urls import catalog_patterns, studio_patterns

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include(catalog_patterns)),
    path("studio/", include(studio_patterns)),
    path("", include("microcred.badges.urls")),
    path("", include("microcred.earning.urls")),
    path("assessment/", include("microcred.assessment.urls")),
    path("stacks/", include("microcred.programs.urls")),
    path("licensure/", include("microcred.programs.licensure_urls")),
    path("reports/", include("microcred.reports.urls")),
    path("", include("microcred.rosters.urls")),
    path("", include("microcred.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "microcred.views.bad_request"
handler403 = "microcred.views.permission_denied"
handler404 = "microcred.views.page_not_found"
handler500 = "microcred.views.server_error"
