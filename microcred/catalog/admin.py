"""Catalog in the Django admin: audiences are edited here; credentials, their versions and
the design review's records are read-only. A version is published only by an approving
review (`version_review`), a credential is retired or made internal through the studio's
services, and none of that may be set by hand where no rule is checked and no audit event
is written."""

from django.contrib import admin

from microcred.catalog.models import Audience, Credential, CredentialVersion, QualityReview
from microcred.core.admin import ReadOnlyAdmin


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["slug", "organization", "status", "visibility", "current_version"]
    list_filter = ["status", "visibility"]
    search_fields = ["slug"]
    raw_id_fields = ["organization", "current_version", "created_by"]


@admin.register(CredentialVersion)
class CredentialVersionAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "state", "credential", "published_at"]
    list_filter = ["state"]
    search_fields = ["title"]


@admin.register(QualityReview)
class QualityReviewAdmin(ReadOnlyAdmin):
    list_display = ["version", "round", "reviewer", "outcome", "created_at"]
