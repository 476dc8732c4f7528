"""Each award stores the level every rubric section reached, with the review it came from;
the awards made before are given theirs by the same rule (`assessment.rules`)."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def store_results(apps, schema_editor):
    """The results of every award without any, by the rule the decide service uses."""
    from microcred.assessment import rules

    award_model = apps.get_model("assessment", "Award")
    result_model = apps.get_model("assessment", "AwardResult")
    pending = award_model.objects.filter(results__isnull=True).order_by("pk")
    ids = list(pending.values_list("pk", flat=True))
    for first in range(0, len(ids), BATCH):
        awards = list(
            award_model.objects.filter(pk__in=ids[first : first + BATCH]).select_related(
                "decision__submission"
            )
        )
        result_model.objects.bulk_create(rules.award_results(awards, registry=apps))


def forget_results(apps, schema_editor):
    apps.get_model("assessment", "AwardResult").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_review_open_queue_index"),
        ("catalog", "0005_badge_image_and_validity"),
        ("earning", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AwardResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("carried_over", models.BooleanField(default=False)),
                (
                    "award",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="assessment.award",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.performancelevel",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessment.review",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.rubricsection",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("award", "section"), name="one_result_per_section"
                    )
                ],
            },
        ),
        migrations.RunPython(store_results, forget_results),
    ]
