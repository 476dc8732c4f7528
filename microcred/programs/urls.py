from django.urls import path

from microcred.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.stacks, name="stacks"),
    path("new/", views.stack_new, name="stack-new"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("<slug:slug>/", views.stack, name="stack"),
    path("<slug:slug>/publish/", views.stack_publish, name="stack-publish"),
    path("<slug:slug>/agree/", views.stack_agree, name="stack-agree"),
]
