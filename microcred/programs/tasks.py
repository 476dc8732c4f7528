"""Background work of the programs app: completing stacks after an award, and for those who
already satisfy a stack when it is published."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from microcred.assessment.models import Award
from microcred.core.models import User
from microcred.programs.completion import stack_complete_for_all, stacks_complete
from microcred.programs.models import Stack


def award_made(*, award_id: int) -> None:
    """The lifecycle handler for "award.made" (settings.LIFECYCLE_HANDLERS): once the award
    is committed, the worker completes the stacks it finishes."""
    transaction.on_commit(lambda: complete_stacks.enqueue(award_id))


@task(queue_name="default")
def complete_stacks(award_id: int) -> int:
    """Complete the stacks the award's earner now satisfies (idempotent)."""
    award = Award.objects.select_related("attempt__educator").get(pk=award_id)
    return len(stacks_complete(educator=award.attempt.educator))


@task(queue_name="default")
def complete_stacks_of(educator_id: int) -> int:
    """Complete the stacks the educator now satisfies (after her agreement is approved)."""
    return len(stacks_complete(educator=User.objects.get(pk=educator_id)))


@task(queue_name="default")
def complete_published_stack(stack_id: int) -> int:
    """Complete a newly published stack for those who already satisfy it."""
    return stack_complete_for_all(stack=Stack(pk=stack_id))


@task(queue_name="default")
def pay_status_stipends() -> int:
    """Each later year of a standing status pays its yearly stipend (hourly; idempotent)."""
    from microcred.programs.ledger import status_stipends_due

    return status_stipends_due()
