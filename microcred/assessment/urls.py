from django.urls import path

from microcred.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/<uuid:review_id>/", views.review, name="review"),
    path("reviews/<uuid:review_id>/decline/", views.review_decline, name="review-decline"),
    path("reviews/<uuid:review_id>/reassign/", views.reassign, name="reassign"),
    path("decisions/", views.decisions, name="decisions"),
    path("submissions/<int:pk>/decide/", views.decide, name="decide"),
    path("attempts/<uuid:attempt_id>/feedback/", views.feedback, name="feedback"),
    path("awards/<uuid:award_id>/", views.certificate, name="certificate"),
    path("pools/", views.pools, name="pools"),
    path("pools/<int:pk>/", views.pool, name="pool"),
    path("pools/<int:pk>/settings/", views.pool_settings, name="pool-settings"),
    path("pools/<int:pk>/members/", views.pool_member_add, name="pool-member-add"),
    path("pools/<int:pk>/members/remove/", views.pool_member_remove, name="pool-member-remove"),
    path("calibration/", views.calibration, name="calibration"),
]
