"""The Django admin for the site operator: people, organizations and memberships can be
fixed here; history and workflow state cannot. Audit events, invitations (their acceptance
and revocation are a lifecycle) and everything the design review decides are shown read-only
to every admin user, superusers included: those rows change only through the services, which
check the rules and write the audit trail."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from microcred.core.models import AuditEvent, Invitation, Membership, Organization, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = ["path"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name"]
    raw_id_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "verb", "actor", "organization", "subject_type", "subject_id"]
    list_filter = ["verb"]
    search_fields = ["verb", "subject_id"]
