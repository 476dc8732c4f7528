from typing import Any

from django.contrib import admin

from microcred.catalog.models import Audience, Credential, CredentialVersion, QualityReview


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["slug", "organization", "status", "visibility", "current_version"]
    list_filter = ["status", "visibility"]
    search_fields = ["slug"]
    raw_id_fields = ["organization", "current_version", "created_by"]


@admin.register(CredentialVersion)
class CredentialVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "state", "credential", "published_at"]
    list_filter = ["state"]
    search_fields = ["title"]
    raw_id_fields = ["credential", "created_by", "submitted_by"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        # Content changes go through the studio's services, which keep published versions frozen.
        return False


@admin.register(QualityReview)
class QualityReviewAdmin(admin.ModelAdmin):
    list_display = ["version", "round", "reviewer", "outcome", "created_at"]
    raw_id_fields = ["version", "reviewer"]
