from django.urls import path

from microcred.core import views

app_name = "core"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("orgs/", views.organization_list, name="organizations"),
    path("orgs/<slug:slug>/", views.organization_detail, name="organization"),
    path("orgs/<slug:slug>/units/new/", views.organization_add_unit, name="add-unit"),
    path("orgs/<slug:slug>/linkedin/", views.organization_linkedin, name="organization-linkedin"),
    path("orgs/<slug:slug>/members/", views.organization_members, name="members"),
    path(
        "orgs/<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="member-remove"
    ),
    path(
        "orgs/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
]
