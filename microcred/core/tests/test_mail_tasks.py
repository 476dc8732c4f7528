"""Email goes through the task queue: with the database backend a message waits in
the queue until the worker (`manage.py db_worker`) delivers it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from microcred.core import services
from microcred.core.models import Role


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invitation_email_waits_for_the_worker_then_is_delivered(database_tasks, world):
    admin = world.north.people[Role.ADMIN]
    services.invitation_create(
        actor=admin, organization=world.north.school, email="new@example.org", role=Role.COACH
    )
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "[Microcred] You're invited to Maple Elementary" in mail.outbox[0].subject
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_invitation_enqueues_nothing(database_tasks, world):
    teacher = world.north.people[Role.EDUCATOR]
    with pytest.raises(Exception, match="Only a program admin"):
        services.invitation_create(
            actor=teacher, organization=world.north.school, email="x@example.org", role=Role.COACH
        )
    assert not DBTaskResult.objects.exists()


def test_payload_round_trip_keeps_alternatives_and_attachments():
    from django.core.mail import EmailMultiAlternatives

    from microcred.core.mail import message_to_payload, payload_to_message

    message = EmailMultiAlternatives(
        "Subject", "Body", "from@example.org", ["to@example.org"], cc=["cc@example.org"]
    )
    message.attach_alternative("<p>Body</p>", "text/html")
    message.attach("report.csv", b"a,b\n1,2\n", "text/csv")
    rebuilt = payload_to_message(message_to_payload(message))
    assert (rebuilt.subject, rebuilt.body, rebuilt.to, rebuilt.cc) == (
        "Subject",
        "Body",
        ["to@example.org"],
        ["cc@example.org"],
    )
    assert rebuilt.alternatives[0].content == "<p>Body</p>"
    assert (
        rebuilt.attachments[0].filename == "report.csv"
        and rebuilt.attachments[0].content == "a,b\n1,2\n"
    )
