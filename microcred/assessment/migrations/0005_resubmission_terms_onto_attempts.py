"""Give every attempt waiting to be resubmitted the terms of its "not yet" (earning keeps them
on the attempt since the decide service sets them): the sections that did not pass, the
resubmission limit and the end of the waiting period, by the same rules the service uses."""

from datetime import timedelta

from django.db import migrations


def give_terms(apps, schema_editor):
    # The live rules, as the decide service applies them (this runs once, on installations
    # that have attempts waiting; a new installation has none).
    from microcred.assessment import selectors

    Attempt = apps.get_model("earning", "Attempt")
    for attempt in Attempt.objects.filter(state="not_yet").select_related("version"):
        submission = selectors.latest_decided_submission(attempt)
        decision = submission.decisions.order_by("-decided_at", "-id").first() if submission else None
        policy = selectors.policy_for(attempt.version)
        wait = policy.resubmit_wait_days
        opens = decision.decided_at + timedelta(days=wait) if decision and wait else None
        Attempt.objects.filter(pk=attempt.pk).update(
            resubmit_limit=policy.max_resubmissions, resubmit_opens_at=opens
        )
        attempt.resubmit_sections.set(selectors.sections_to_resubmit(attempt))


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_award_result"),
        ("earning", "0003_attempt_resubmission_terms"),
    ]

    operations = [migrations.RunPython(give_terms, migrations.RunPython.noop)]
