from django.urls import path

from microcred.rosters import sso, views

app_name = "rosters"

urlpatterns = [
    path("orgs/<slug:slug>/rosters/", views.imports, name="imports"),
    path("orgs/<slug:slug>/rosters/roles/", views.role_map, name="roles"),
    path("orgs/<slug:slug>/invitations/", views.invitations_upload, name="invitations"),
    path("orgs/<slug:slug>/rosters/<int:pk>/", views.roster_import, name="import"),
    path(
        "orgs/<slug:slug>/rosters/<int:pk>/progress/",
        views.import_progress,
        name="import-progress",
    ),
    path("orgs/<slug:slug>/rosters/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path(
        "orgs/<slug:slug>/rosters/<int:pk>/problems.csv",
        views.import_problems,
        name="import-problems",
    ),
    path("orgs/<slug:slug>/sso/", views.sso_settings, name="sso"),
    path("orgs/<slug:slug>/sso/test/", views.sso_test, name="sso-test"),
    # Ahead of allauth's own callback at the same address: ours checks the ID token's
    # signature (rosters.sso); allauth's URL name still builds the address.
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        sso.oidc_callback,
        name="oidc-callback",
    ),
    path("accounts/3rdparty/", sso.not_offered, name="social-connections-off"),
]
