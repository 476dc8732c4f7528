from django.urls import path

from microcred.catalog.views import public, studio

catalog_patterns = (
    [
        path("catalog/", public.catalog, name="list"),
        path("credentials/<slug:slug>/", public.credential_detail, name="detail"),
        path("credentials/<slug:slug>/v<int:number>/", public.credential_version, name="version"),
        path(
            "credentials/<slug:slug>/resources/<int:pk>/", public.resource_download, name="resource"
        ),
    ],
    "catalog",
)

studio_patterns = (
    [
        path("", studio.index, name="index"),
        path("new/", studio.credential_new, name="new"),
        path("<int:pk>/", studio.credential_overview, name="credential"),
        path("<int:pk>/preview/", studio.credential_preview, name="preview"),
        path("<int:pk>/edit/<slug:part>/", studio.part_editor, name="edit"),
        path("<int:pk>/submit/", studio.submit, name="submit"),
        path("<int:pk>/withdraw/", studio.withdraw, name="withdraw"),
        path("<int:pk>/review/", studio.review, name="review"),
        path("<int:pk>/new-version/", studio.new_version, name="new-version"),
        path("<int:pk>/discard/", studio.discard, name="discard"),
        path("<int:pk>/retire/", studio.retire, name="retire"),
        path("<int:pk>/reinstate/", studio.reinstate, name="reinstate"),
        path("<int:pk>/visibility/", studio.visibility, name="visibility"),
        path("<int:pk>/badge/", studio.badge, name="badge"),
        path("<int:pk>/badge.png", studio.badge_preview, name="badge-preview"),
    ],
    "studio",
)
