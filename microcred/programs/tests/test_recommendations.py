"""Leaders recommend: a school leader or program admin recommends or assigns a credential to
one educator, a school's educators or a group, with a reason and an optional date; each is
told and sees it on her home page until she earns it (or dismisses a recommendation)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import Notification, Role
from microcred.core.tests.factories import member
from microcred.programs import services
from microcred.programs.models import Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


def _later(days: int = 60) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_leader_recommends_to_her_school_and_each_educator_is_told(
    credential, principal_dee, educator_ana, world, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = member(world.north.school, Role.EDUCATOR, email="colleague@riverbend.example")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.recommend_to(
            actor=principal_dee,
            target="school",
            school=world.north.school,
            credential=credential,
            kind="assigned",
            reason="Our school goal this year.",
            due_on=_later(),
        )
    assert (done.made, done.already) == (2, 0)
    assert set(Recommendation.objects.values_list("educator__email", flat=True)) == {
        educator_ana.email,
        colleague.email,
    }
    assert Notification.objects.filter(verb="credential.recommended").count() == 2
    assert {m.to[0] for m in mailoutbox} == {educator_ana.email, colleague.email}
    assert "Our school goal this year." in mailoutbox[0].body
    # Again: nobody gets it twice.
    again = services.recommend_to(
        actor=principal_dee,
        target="school",
        school=world.north.school,
        credential=credential,
        kind="recommended",
        reason="Reminder.",
    )
    assert (again.made, again.already) == (0, 2)


def test_a_group_by_email_and_refusals_name_who_is_not_staff(
    credential, principal_dee, educator_ana, world
):
    done = services.recommend_to(
        actor=principal_dee,
        target="group",
        emails=f"{educator_ana.email.upper()},\n",
        credential=credential,
        kind="recommended",
        reason="You would enjoy it.",
    )
    assert done.made == 1
    lakeshore = world.south.people[Role.EDUCATOR].email
    with pytest.raises(Invalid) as refused:
        services.recommend_to(
            actor=principal_dee,
            target="group",
            emails=f"{lakeshore} nobody@x.example",
            credential=credential,
            kind="recommended",
            reason="x",
        )
    assert refused.value.field == "emails"
    assert lakeshore in refused.value.message and "nobody@x.example" in refused.value.message
    with pytest.raises(Invalid, match="Choose a school you lead"):
        services.recommend_to(
            actor=principal_dee,
            target="school",
            school=world.south.school,
            credential=credential,
            kind="recommended",
            reason="x",
        )
    with pytest.raises(Invalid, match="date after today"):
        services.recommend_to(
            actor=principal_dee,
            target="person",
            email=educator_ana.email,
            credential=credential,
            kind="assigned",
            reason="x",
            due_on=timezone.localdate(),
        )
    assert Recommendation.objects.count() == 1


def test_the_home_page_shows_it_until_earned_and_a_recommendation_can_be_dismissed(
    client,
    credential,
    principal_dee,
    educator_ana,
    assessor_ben,
    issuer_carla,
    designer_dan,
    reviewer_rita,
    north,
):
    other = published_credential(designer_dan, reviewer_rita, north, title="Wait time")
    for c, kind in ((credential, "assigned"), (other, "recommended")):
        services.recommend_to(
            actor=principal_dee,
            target="person",
            email=educator_ana.email,
            credential=c,
            kind=kind,
            reason=f"Because {c.slug}.",
        )
    client.force_login(educator_ana)
    page = html.fromstring(client.get(reverse("home")).content)
    items = page.xpath("//section[@id='home-from-leaders']//li")
    # Newest first (neither has a date to earn it by).
    assert [i.xpath("string(.//a)") for i in items] == ["Wait time", "Exit tickets"]
    assert "Assigned by" in items[1].text_content() and not items[1].xpath(".//form")
    dismiss = items[0].xpath(".//form/@action")[0]
    assert client.post(dismiss).status_code == 302
    assigned = Recommendation.objects.get(kind="assigned")
    with pytest.raises(InvalidTransition, match="stays until you earn"):
        services.recommendation_dismiss(actor=educator_ana, recommendation=assigned)
    awarded(
        educator=educator_ana, credential=credential, assessor=assessor_ben, issuer=issuer_carla
    )
    page = html.fromstring(client.get(reverse("home")).content)
    assert not page.xpath("//section[@id='home-from-leaders']")
    # Someone else's recommendation cannot be dismissed: a 404.
    client.force_login(principal_dee)
    assert (
        client.post(reverse("programs:recommendation-dismiss", args=[assigned.pk])).status_code
        == 404
    )


def test_the_form_keeps_what_was_entered_and_an_educator_cannot_recommend(
    client, credential, principal_dee, educator_ana
):
    client.force_login(principal_dee)
    response = client.post(
        reverse("programs:recommend"),
        {
            "credential": credential.pk,
            "kind": "assigned",
            "target": "person",
            "email": "",
            "reason": "Please.",
            "due_on": "soon",
        },
    )
    assert response.status_code == 400
    page = html.fromstring(response.content)
    assert "Give the date as YYYY-MM-DD" in page.text_content()
    assert page.xpath("//textarea[@name='reason']/text()")[0].strip() == "Please."
    missing = client.post(
        reverse("programs:recommend"),
        {
            "credential": credential.pk,
            "kind": "assigned",
            "target": "person",
            "email": "",
            "reason": "Please.",
        },
    )
    assert missing.status_code == 400
    assert "Give the educator's email." in html.fromstring(missing.content).text_content()
    assert not Recommendation.objects.exists()
    client.force_login(educator_ana)
    assert client.get(reverse("programs:recommend")).status_code == 403


def test_the_home_page_reads_a_constant_number_of_queries_with_recommendations(
    client,
    principal_dee,
    educator_ana,
    designer_dan,
    reviewer_rita,
    north,
    django_assert_max_num_queries,
):
    def recommend(n, start):
        for i in range(start, start + n):
            c = published_credential(designer_dan, reviewer_rita, north, title=f"Credential {i}")
            services.recommend_to(
                actor=principal_dee,
                target="person",
                email=educator_ana.email,
                credential=c,
                kind="recommended",
                reason="x",
            )

    recommend(1, 0)
    client.force_login(educator_ana)
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    recommend(4, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = html.fromstring(client.get(reverse("home")).content)
    assert len(page.xpath("//section[@id='home-from-leaders']//li")) == 5


def test_recommending_to_a_bigger_school_costs_no_more_queries(
    designer_dan, reviewer_rita, north, principal_dee, educator_ana, world
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")
    second = published_credential(designer_dan, reviewer_rita, north, title="Number talks")
    warm = published_credential(designer_dan, reviewer_rita, north, title="Data teams")

    def queries(credential) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.recommend_to(
                actor=principal_dee,
                target="school",
                school=world.north.school,
                credential=credential,
                kind="recommended",
                reason="Our school goal this year.",
            )
        return len(captured)

    queries(warm)  # the first call fills per-process caches (permissions, content types)
    small = queries(first)
    for n in range(5):
        member(world.north.school, Role.EDUCATOR, email=f"staff{n}@riverbend.example")
    assert queries(second) == small
    assert Recommendation.objects.filter(credential=second).count() == 6
