"""Appeal.reviewed_at: when the appeal review came in; filled for the appeals open today from
their submitted appeal reviews."""

from django.conf import settings
from django.db import migrations, models


def fill_reviewed_at(apps, schema_editor):
    appeal_model = apps.get_model("assessment", "Appeal")
    review_model = apps.get_model("assessment", "Review")
    for appeal in appeal_model.objects.filter(state="open").select_related("decision"):
        latest = (
            review_model.objects.filter(
                submission_id=appeal.decision.submission_id, kind="appeal", state="submitted"
            )
            .order_by("-submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        if latest is not None:
            appeal.reviewed_at = latest
            appeal.save(update_fields=["reviewed_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0008_review_open_due'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='appeal',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='appeal',
            index=models.Index(condition=models.Q(('reviewed_at__isnull', False), ('state', 'open')), fields=['created_at', 'id'], name='appeal_ready'),
        ),
    ]
