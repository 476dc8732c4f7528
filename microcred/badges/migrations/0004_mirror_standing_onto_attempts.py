"""Copy where each award's current badge stands onto its earned attempt (earning.standing)."""

from django.db import migrations


def mirror(apps, schema_editor):
    IssuedCredential = apps.get_model("badges", "IssuedCredential")
    Attempt = apps.get_model("earning", "Attempt")
    current = (
        IssuedCredential.objects.exclude(state="superseded")
        .order_by("award_id", "-issued_at", "-id")
        .values_list("award__attempt_id", "state", "revoked_at", "revoked_reason", "valid_until")
    )
    seen = set()
    for attempt_id, state, revoked_at, reason, valid_until in current.iterator(chunk_size=2000):
        if attempt_id in seen:
            continue
        seen.add(attempt_id)
        revoked = state == "revoked"
        Attempt.objects.filter(pk=attempt_id).update(
            revoked_at=revoked_at if revoked else None,
            revoked_reason=reason if revoked else "",
            valid_until=valid_until,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("badges", "0003_store_issuer_identities"),
        ("earning", "0002_attempt_standing"),
    ]

    operations = [migrations.RunPython(mirror, migrations.RunPython.noop)]
