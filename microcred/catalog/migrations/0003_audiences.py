from django.db import migrations

AUDIENCES = [
    ("teacher", "Teachers"),
    ("school-leader", "School leaders"),
    ("coach", "Instructional coaches"),
    ("paraprofessional", "Paraprofessionals"),
    ("counselor", "Counselors and specialists"),
    ("district-leader", "District leaders"),
]


def add(apps, schema_editor):
    Audience = apps.get_model("catalog", "Audience")
    for position, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def remove(apps, schema_editor):
    apps.get_model("catalog", "Audience").objects.filter(slug__in=[s for s, _ in AUDIENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(add, remove)]
