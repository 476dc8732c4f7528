"""A credential names its earner (the award's educator, copied), and may have no award: the
badge of a completed stack names its achievement instead."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def copy_earners(apps, schema_editor):
    IssuedCredential = apps.get_model("badges", "IssuedCredential")
    Award = apps.get_model("assessment", "Award")
    educator = Award.objects.filter(pk=OuterRef("award_id")).values("attempt__educator_id")[:1]
    IssuedCredential.objects.update(earner_id=Subquery(educator))


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("badges", "0005_badge_recipient_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="issuedcredential",
            name="earner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(copy_earners, migrations.RunPython.noop),
        migrations.AddField(
            model_name="issuedcredential",
            name="achievement_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="issuedcredential",
            name="award",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="credentials",
                to="assessment.award",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcredential",
            constraint=models.CheckConstraint(
                condition=Q(award__isnull=False) | ~Q(achievement_name=""),
                name="credential_names_its_achievement",
            ),
        ),
    ]
