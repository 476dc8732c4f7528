from django.urls import path

from microcred.earning import views

app_name = "earning"

urlpatterns = [
    path("my/", views.dashboard, name="dashboard"),
    path("staff/", views.staff, name="staff"),
    path("credentials/<slug:slug>/start/", views.start, name="start"),
    path("attempts/<uuid:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<uuid:attempt_id>/reflection/<str:phase>/", views.reflection, name="reflection"),
    path("attempts/<uuid:attempt_id>/answers/<int:prompt_id>/", views.autosave, name="answer"),
    path("attempts/<uuid:attempt_id>/resources/", views.resources, name="resources"),
    path(
        "attempts/<uuid:attempt_id>/resources/<int:resource_id>/",
        views.resource_tick,
        name="resource-tick",
    ),
    path("attempts/<uuid:attempt_id>/evidence/", views.evidence, name="evidence"),
    path(
        "attempts/<uuid:attempt_id>/evidence/<int:requirement_id>/",
        views.evidence_add,
        name="evidence-add",
    ),
    path(
        "attempts/<uuid:attempt_id>/evidence/<int:requirement_id>/uploads/",
        views.upload_begin,
        name="upload-begin",
    ),
    path("uploads/<uuid:token>/", views.upload_chunk, name="upload-chunk"),
    path("evidence/<uuid:evidence_id>/", views.evidence_file, name="evidence-file"),
    path("evidence/<uuid:evidence_id>/remove/", views.evidence_remove, name="evidence-remove"),
    path("attempts/<uuid:attempt_id>/submit/", views.submit, name="submit"),
    path("attempts/<uuid:attempt_id>/withdraw/", views.withdraw, name="withdraw"),
    path("attempts/<uuid:attempt_id>/comments/", views.comment, name="comment"),
]
