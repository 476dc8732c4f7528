"""Licensure credit's addresses, under /licensure/ (microcred/urls.py)."""

from django.urls import path

from microcred.programs import licensure_views as views

app_name = "licensure"
urlpatterns = [
    path("", views.credit, name="credit"),
    path("cycles/<int:pk>/", views.cycle_set, name="cycle"),
    path("transcript.pdf", views.transcript_pdf, name="transcript-pdf"),
    path("transcript/clr/", views.transcript_clr, name="transcript-clr"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_new, name="rule-new"),
    path("rules/<int:pk>/", views.rule, name="rule"),
]
