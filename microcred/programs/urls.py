from django.urls import path

from microcred.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.stacks, name="stacks"),
    path("new/", views.stack_new, name="stack-new"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/terms/", views.ledger_terms, name="ledger-terms"),
    path("ledger/budget/", views.ledger_budget, name="ledger-budget"),
    path("ledger/waiver/", views.ledger_waiver, name="ledger-waiver"),
    path("ledger/approve/", views.ledger_approve, name="ledger-approve"),
    path("ledger/payroll.csv", views.payroll, name="payroll"),
    path("money/", views.my_ledger, name="my-ledger"),
    path("recommend/", views.recommend, name="recommend"),
    path(
        "recommendations/<int:pk>/dismiss/",
        views.recommendation_dismiss,
        name="recommendation-dismiss",
    ),
    path("<slug:slug>/", views.stack, name="stack"),
    path("<slug:slug>/publish/", views.stack_publish, name="stack-publish"),
    path("<slug:slug>/agree/", views.stack_agree, name="stack-agree"),
    path("<slug:slug>/stipends/", views.stack_stipends, name="stack-stipends"),
]
