"""The badge task through the Redis queue at scale: enqueued by the award, run by an RQ
worker with django-tasks-rq's job class (as `make run` and the README start it)."""

from __future__ import annotations

import pytest

from microcred.badges.models import IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.core.tests.redis import require_redis


@pytest.fixture
def rq_tasks(settings):
    settings.RQ_QUEUES = {"default": {"URL": require_redis(), "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.django_db
def test_an_award_is_signed_by_an_rq_worker(
    rq_tasks,
    credential,
    educator_ana,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    with django_capture_on_commit_callbacks(execute=True):
        award = awarded(
            educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
        )
    assert not IssuedCredential.objects.filter(award=award).exists()  # queued, not run
    assert rq_tasks.count >= 1
    # In-process (no fork) so the worker sees the test's transaction.
    worker = SimpleWorker([rq_tasks], connection=rq_tasks.connection, job_class=Job)
    worker.work(burst=True)
    assert IssuedCredential.objects.filter(award=award).count() == 1
