from django.urls import path

from microcred.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.export, name="export"),
]
