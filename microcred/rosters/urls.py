from django.urls import path

from microcred.rosters import views

app_name = "rosters"

urlpatterns = [
    path("orgs/<slug:slug>/rosters/", views.imports, name="imports"),
    path("orgs/<slug:slug>/rosters/roles/", views.role_map, name="roles"),
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
]
