"""The badge task through the database queue: the award enqueues it, `manage.py task_worker`
(the worker `serve` starts) signs and stores the credential, and the task's result names it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_award_is_signed_by_the_task_worker(
    settings,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    queued = DBTaskResult.objects.get(task_path="microcred.badges.tasks.issue_award_credential")
    assert queued.status == TaskResultStatus.READY
    assert not IssuedCredential.objects.filter(award=award).exists()  # queued, not run

    call_command(
        "task_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        verbosity=0,
    )

    stored = IssuedCredential.objects.get(award=award)
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value == str(stored.public_id)
