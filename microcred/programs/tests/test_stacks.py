"""Stacks: designed by a program admin, offered to the educators under the organization, with
progress that counts earned credentials by the stack's rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from lxml import html

from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent
from microcred.earning.tests.factories import started_attempt
from microcred.programs import selectors, services
from microcred.programs.models import Stack
from microcred.programs.rules import StackRule


@pytest.fixture
def three(designer_dan, reviewer_rita, north):
    return [
        published_credential(designer_dan, reviewer_rita, north, title=title)
        for title in ("Exit tickets", "Small-group reading", "Feedback that moves learning")
    ]


def _stack(admin, north, credentials, **kwargs):
    options = {"title": "Teacher leader", "summary": "", "rule": "all", "choose": None}
    options.update(kwargs)
    return services.stack_create(
        actor=admin, organization=north, credentials=credentials, **options
    )


# ----------------------------------------------------------------------------- the rule


def test_all_of_them_counts_every_earned_credential_of_the_stack():
    rule = StackRule("all", None, frozenset({1, 2, 3}), frozenset())
    assert (rule.needed, rule.counted({1, 3, 9}), rule.complete({1, 3})) == (3, 2, False)
    assert rule.complete({1, 2, 3, 9})


def test_any_n_stops_counting_at_the_number_asked_for():
    rule = StackRule("any_n", 2, frozenset(), frozenset({1, 2, 3}))
    assert (rule.needed, rule.counted({1}), rule.counted({1, 2, 3})) == (2, 1, 2)
    assert rule.complete({2, 3}) and not rule.complete({1, 9})


def test_electives_past_the_number_do_not_stand_in_for_a_required_credential():
    rule = StackRule("required_plus", 1, frozenset({1}), frozenset({2, 3}))
    assert rule.needed == 2
    assert rule.counted({2, 3}) == 1 and not rule.complete({2, 3})
    assert rule.complete({1, 3})


# ----------------------------------------------------------------------------- designing


def test_a_program_admin_designs_a_stack_with_one_audit_event(admin_adam, north, three):
    stack = _stack(admin_adam, north, three, rule="required_plus", choose=1, required=three[:1])
    assert [(p.credential, p.required) for p in stack.parts] == [
        (three[0], True),
        (three[1], False),
        (three[2], False),
    ]
    assert stack.published_at is None
    assert stack.rule_text == "Earn the 1 required credentials and 1 of the 2 others."
    events = AuditEvent.objects.filter(verb=Event.STACK_CREATED)
    assert [(e.subject_id, e.data["credentials"]) for e in events] == [
        (str(stack.pk), [c.pk for c in three])
    ]


@pytest.mark.parametrize(
    ("options", "field", "says"),
    [
        ({"rule": "any_n", "choose": 3}, "choose", "from 1 to 2"),
        ({"rule": "any_n", "choose": None}, "choose", "from 1 to 2"),
        ({"rule": "required_plus", "choose": 1}, "required", "at least one"),
        ({"rule": "all", "title": "  "}, "title", "title"),
        ({"rule": "all", "grants": "status"}, "grant_title", "Teacher leader"),
    ],
)
def test_a_rule_that_cannot_be_met_is_refused_and_nothing_is_written(
    admin_adam, north, three, options, field, says
):
    with pytest.raises(Invalid) as refused:
        _stack(admin_adam, north, three, **options)
    assert refused.value.field == field
    assert says in refused.value.message
    assert not Stack.objects.exists()
    assert not AuditEvent.objects.filter(verb=Event.STACK_CREATED).exists()


def test_one_credential_is_not_a_stack(admin_adam, north, three):
    with pytest.raises(Invalid, match="at least two"):
        _stack(admin_adam, north, three[:1])


def test_only_a_program_admin_designs_stacks(designer_dan, principal_dee, north, three):
    for person in (designer_dan, principal_dee):
        with pytest.raises(PermissionDenied):
            _stack(person, north, three)
    assert not Stack.objects.exists()


def test_another_districts_internal_credential_cannot_go_in_a_stack(
    admin_adam, north, three, world, outsider_oz
):
    from microcred.core.models import Role

    theirs = published_credential(
        outsider_oz,
        world.south.people[Role.REVIEWER],
        world.south.organization,
        title="Lakeshore only",
        visibility="internal",
    )
    with pytest.raises(Invalid, match="Lakeshore only"):
        _stack(admin_adam, north, [three[0], theirs])


# ----------------------------------------------------------------------------- offered, progress


def test_a_published_stack_is_offered_under_its_organization_only(
    admin_adam, north, three, educator_ana, world
):
    from microcred.core.models import Role

    stack = _stack(admin_adam, north, three)
    assert selectors.stacks_page(actor=educator_ana)["offered"] == []  # a draft
    services.stack_publish(actor=admin_adam, stack=stack)
    assert [p.stack for p in selectors.stacks_page(actor=educator_ana)["offered"]] == [stack]
    lakeshore_educator = world.south.people[Role.EDUCATOR]
    assert selectors.stacks_page(actor=lakeshore_educator)["offered"] == []
    with pytest.raises(Stack.DoesNotExist):
        selectors.stack_page(actor=lakeshore_educator, slug=stack.slug)


def test_progress_shows_earned_in_progress_and_not_started(
    admin_adam, north, three, educator_ana, assessor_ben, issuer_carla
):
    stack = services.stack_publish(actor=admin_adam, stack=_stack(admin_adam, north, three))
    awarded(educator=educator_ana, credential=three[0], assessor=assessor_ben, issuer=issuer_carla)
    started_attempt(educator_ana, three[1])
    progress = selectors.stack_page(actor=educator_ana, slug=stack.slug)["progress"]
    assert [row.state for row in progress.rows] == ["earned", "in_progress", "not_started"]
    assert (progress.counted, progress.needed, progress.complete) == (1, 3, False)


def test_a_revoked_credential_no_longer_counts(
    admin_adam, north, three, educator_ana, assessor_ben, issuer_carla
):
    from microcred.earning.models import Attempt

    stack = services.stack_publish(actor=admin_adam, stack=_stack(admin_adam, north, three))
    award = awarded(
        educator=educator_ana, credential=three[0], assessor=assessor_ben, issuer=issuer_carla
    )
    Attempt.objects.filter(pk=award.attempt_id).update(revoked_at=award.awarded_at)
    progress = selectors.stack_page(actor=educator_ana, slug=stack.slug)["progress"]
    assert progress.rows[0].state == "not_started" and progress.counted == 0


def test_publishing_twice_is_refused(admin_adam, north, three):
    from microcred.core.errors import InvalidTransition

    stack = services.stack_publish(actor=admin_adam, stack=_stack(admin_adam, north, three))
    with pytest.raises(InvalidTransition):
        services.stack_publish(actor=admin_adam, stack=stack)
    assert AuditEvent.objects.filter(verb=Event.STACK_PUBLISHED).count() == 1


# ----------------------------------------------------------------------------- pages


def test_the_designer_form_keeps_what_was_entered_and_says_what_is_wrong(client, admin_adam, three):
    client.force_login(admin_adam)
    response = client.post(
        reverse("programs:stack-new"),
        {
            "organization": admin_adam.memberships.get().organization_id,
            "title": "Literacy leaders",
            "credentials": [three[0].pk, three[1].pk],
            "rule": "any_n",
            "choose": "5",
        },
    )
    assert response.status_code == 400
    page = html.fromstring(response.content)
    assert page.get_element_by_id("id_title").get("value") == "Literacy leaders"
    checked = page.xpath("//input[@name='credentials'][@checked]/@value")
    assert sorted(checked) == sorted([str(three[0].pk), str(three[1].pk)])
    assert "from 1 to 1" in response.content.decode()
    assert not Stack.objects.exists()


def test_the_designer_form_refuses_a_credential_id_that_is_not_offered(client, admin_adam, three):
    client.force_login(admin_adam)
    response = client.post(
        reverse("programs:stack-new"),
        {
            "organization": admin_adam.memberships.get().organization_id,
            "title": "X",
            "credentials": [three[0].pk, 999999],
            "rule": "all",
        },
    )
    assert response.status_code == 400
    assert "Choose among the credentials listed." in response.content.decode()
    assert not Stack.objects.exists()


def test_a_stack_is_designed_published_and_shown_through_the_pages(
    client, admin_adam, educator_ana, three
):
    client.force_login(admin_adam)
    response = client.post(
        reverse("programs:stack-new"),
        {
            "organization": admin_adam.memberships.get().organization_id,
            "title": "Literacy leaders",
            "credentials": [c.pk for c in three],
            "rule": "any_n",
            "choose": "2",
        },
    )
    stack = Stack.objects.get()
    assert response.status_code == 302 and response["Location"] == stack.get_absolute_url()
    assert client.post(reverse("programs:stack-publish", args=[stack.slug])).status_code == 302
    client.force_login(educator_ana)
    page = html.fromstring(client.get(reverse("programs:stacks")).content)
    assert page.xpath("//h3/a/text()") == ["Literacy leaders"]
    assert page.xpath("//progress/@max") == ["2"] and page.xpath("//progress/@value") == ["0"]
    detail = client.get(stack.get_absolute_url()).content.decode()
    assert "Earn any 2 of these 3 credentials." in detail
    assert "Publish the stack" not in detail


def test_another_districts_stack_is_a_404_and_its_publish_too(
    client, admin_adam, three, north, world
):
    from microcred.core.models import Role

    stack = _stack(admin_adam, north, three)
    client.force_login(world.south.people[Role.ADMIN])
    assert client.get(stack.get_absolute_url()).status_code == 404
    assert client.post(reverse("programs:stack-publish", args=[stack.slug])).status_code == 404
    stack.refresh_from_db()
    assert stack.published_at is None


def test_the_stacks_page_reads_a_constant_number_of_queries(
    client, admin_adam, north, three, educator_ana, django_assert_max_num_queries
):
    for n in range(3):
        services.stack_publish(
            actor=admin_adam, stack=_stack(admin_adam, north, three, title=f"Stack {n}")
        )
    client.force_login(educator_ana)
    client.get(reverse("programs:stacks"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("programs:stacks"))
    for n in range(3, 9):
        services.stack_publish(
            actor=admin_adam, stack=_stack(admin_adam, north, three, title=f"Stack {n}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("programs:stacks")).status_code == 200


def test_a_stack_called_new_does_not_take_the_designers_address(client, admin_adam, north, three):
    stack = _stack(admin_adam, north, three, title="New")
    twin = _stack(admin_adam, north, three, title="New")
    assert (stack.slug, twin.slug) == ("new-stack", "new-stack-2")
    client.force_login(admin_adam)
    assert "Publish the stack" in client.get(stack.get_absolute_url()).content.decode()


def test_a_stack_cannot_be_designed_for_another_districts_organization(
    client, admin_adam, north, three, world
):
    client.force_login(admin_adam)
    response = client.post(
        reverse("programs:stack-new"),
        {
            "organization": world.south.organization.pk,
            "title": "Theirs",
            "credentials": [c.pk for c in three],
            "rule": "all",
        },
    )
    assert response.status_code == 400
    assert "Choose one of the organizations listed." in response.content.decode()
    assert not Stack.objects.exists()
