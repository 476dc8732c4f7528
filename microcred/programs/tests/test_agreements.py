"""Personal stack agreements: an educator proposes the credentials she will earn with a goal
and a date, her school leader approves, asks for changes or declines with a comment; every
change is a new version that needs approval again, and the approved one is what completes
the stack."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.audit import Event
from microcred.core.errors import Invalid, InvalidTransition
from microcred.core.models import AuditEvent, Notification, Role
from microcred.core.tests.factories import member
from microcred.programs import services
from microcred.programs.models import AgreementVersion, StackAgreement, StackCompletion

pytestmark = pytest.mark.django_db

TITLES = ("Exit tickets", "Small-group reading", "Feedback that moves learning", "Wait time")


@pytest.fixture
def four(designer_dan, reviewer_rita, north):
    return [published_credential(designer_dan, reviewer_rita, north, title=t) for t in TITLES]


@pytest.fixture
def stack(admin_adam, north, four):
    made = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="Teacher leader",
        summary="Three credentials agreed with your principal.",
        rule="agreed",
        choose=3,
        credentials=four,
        grants="status",
        grant_title="Teacher leader",
        grant_months=12,
    )
    return services.stack_publish(actor=admin_adam, stack=made)


def _later(days: int = 120) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _propose(educator, stack, credentials, goal="Lead my grade team's formative assessment."):
    return services.agreement_propose(
        actor=educator, stack=stack, credentials=credentials, growth_goal=goal, target_date=_later()
    )


def test_an_educator_proposes_and_her_school_leader_is_told(
    stack, four, educator_ana, principal_dee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _propose(educator_ana, stack, four[:3])
    version = agreement.versions.get()
    assert (agreement.state, agreement.approved, version.number) == ("proposed", None, 1)
    assert {c.pk for c in version.credentials.all()} == {c.pk for c in four[:3]}
    assert agreement.school == educator_ana.memberships.get(role=Role.EDUCATOR).organization
    assert (
        AuditEvent.objects.filter(
            verb=Event.AGREEMENT_PROPOSED, subject_id=str(agreement.pk)
        ).count()
        == 1
    )
    notice = Notification.objects.get(user=principal_dee)
    assert notice.url == agreement.get_absolute_url()
    [mail] = [m for m in mailoutbox if principal_dee.email in m.to]
    assert "Teacher leader" in mail.subject
    assert "Exit tickets" in mail.body and "Lead my grade team" in mail.body


@pytest.mark.parametrize(
    ("how", "field", "message"),
    [
        ("two", "credentials", "Choose 3 credentials for this stack; you chose 2."),
        ("outside", "credentials", "Choose among this stack's credentials."),
        ("no goal", "growth_goal", "Write your growth goal"),
        ("past", "target_date", "Choose a target date after today."),
        ("far", "target_date", "Choose a target date within 5 years."),
    ],
)
def test_a_proposal_that_cannot_be_agreed_is_refused_and_nothing_is_written(
    stack, four, educator_ana, designer_dan, reviewer_rita, north, how, field, message
):
    credentials, goal, date = four[:3], "A goal.", _later()
    if how == "two":
        credentials = four[:2]
    elif how == "outside":
        credentials = [*four[:2], published_credential(designer_dan, reviewer_rita, north)]
    elif how == "no goal":
        goal = "   "
    elif how == "past":
        date = timezone.localdate()
    else:
        date = _later(6 * 366)
    with pytest.raises(Invalid) as refused:
        services.agreement_propose(
            actor=educator_ana,
            stack=stack,
            credentials=credentials,
            growth_goal=goal,
            target_date=date,
        )
    assert (refused.value.field, refused.value.message[: len(message)]) == (field, message)
    assert not StackAgreement.objects.exists()
    assert not AuditEvent.objects.filter(verb=Event.AGREEMENT_PROPOSED).exists()


def test_a_stack_with_set_credentials_or_another_districts_is_not_agreed(
    admin_adam, north, four, stack, world
):
    fixed = services.stack_create(
        actor=admin_adam,
        organization=north,
        title="All four",
        summary="",
        rule="all",
        choose=None,
        credentials=four,
    )
    services.stack_publish(actor=admin_adam, stack=fixed)
    ana = world.north.people[Role.EDUCATOR]
    with pytest.raises(InvalidTransition, match="set by the program"):
        _propose(ana, fixed, four[:3])
    lakeshore_educator = world.south.people[Role.EDUCATOR]
    with pytest.raises(InvalidTransition, match="not offered to you"):
        _propose(lakeshore_educator, stack, four[:3])
    assert not StackAgreement.objects.exists()


def test_changes_requested_then_revised_then_approved(
    stack, four, educator_ana, principal_dee, mailoutbox, django_capture_on_commit_callbacks
):
    agreement = _propose(educator_ana, stack, four[:3])
    with pytest.raises(Invalid, match="Say what should change"):
        services.agreement_decide(
            actor=principal_dee,
            agreement=agreement,
            number=1,
            decision="changes_requested",
            comment=" ",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_decide(
            actor=principal_dee,
            agreement=agreement,
            number=1,
            decision="changes_requested",
            comment="Swap wait time in for exit tickets.",
        )
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved) == ("changes_requested", None)
    [mail] = [m for m in mailoutbox if educator_ana.email in m.to]
    assert "Swap wait time in" in mail.body and "Changes requested" in mail.subject
    # Dee's own notice of the proposal is done once she decided.
    assert Notification.objects.get(user=principal_dee).resolved_at is not None

    _propose(educator_ana, stack, four[1:])
    agreement.refresh_from_db()
    assert agreement.state == "proposed"
    with pytest.raises(InvalidTransition, match="read version 2"):
        services.agreement_decide(
            actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
        )
    approved = services.agreement_decide(
        actor=principal_dee, agreement=agreement, number=2, decision="approved", comment=""
    )
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved, approved.number) == ("approved", approved, 2)
    assert approved.decided_by == principal_dee


def test_an_approved_version_stays_in_force_while_a_change_waits(
    stack, four, educator_ana, principal_dee, client
):
    agreement = _propose(educator_ana, stack, four[:3])
    first = services.agreement_decide(
        actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
    )
    _propose(educator_ana, stack, [four[0], four[1], four[3]])
    _propose(educator_ana, stack, [four[0], four[2], four[3]])  # replaces the one waiting
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved) == ("proposed", first)
    assert list(agreement.versions.values_list("number", "decision")) == [
        (3, ""),
        (2, AgreementVersion.Decision.REPLACED),
        (1, AgreementVersion.Decision.APPROVED),
    ]
    client.force_login(principal_dee)
    page = html.fromstring(client.get(agreement.get_absolute_url()).content)
    decide = " ".join(page.xpath("//section[@aria-labelledby='decide-h']//text()"))
    assert "Decide on version 3" in decide
    assert "Adds Wait time" in decide and "Removes Small-group reading" in decide
    # Progress counts the version in force (1), not the one waiting.
    progress = " ".join(page.xpath("//section[@aria-labelledby='progress-h']//td[1]//text()"))
    assert "Small-group reading" in progress and "Wait time" not in progress


def test_only_a_school_leader_of_her_school_decides(stack, four, educator_ana, admin_adam, world):
    agreement = _propose(educator_ana, stack, four[:3])
    for someone in (world.south.people[Role.LEADER], admin_adam, world.north.people[Role.COACH]):
        with pytest.raises(PermissionDenied):
            services.agreement_decide(
                actor=someone, agreement=agreement, number=1, decision="approved", comment=""
            )
    agreement.refresh_from_db()
    assert (agreement.state, agreement.approved) == ("proposed", None)


def test_earning_the_agreed_credentials_completes_the_stack(
    stack,
    four,
    educator_ana,
    principal_dee,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    def earn(credential):
        with django_capture_on_commit_callbacks(execute=True):
            awarded(
                educator=educator_ana,
                credential=credential,
                assessor=assessor_ben,
                issuer=issuer_carla,
            )

    agreement = _propose(educator_ana, stack, four[:3])
    earn(four[0])
    earn(four[1])
    earn(four[3])  # not agreed: does not count
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_decide(
            actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
        )
    assert not StackCompletion.objects.exists()  # two of the three agreed
    earn(four[2])
    done = StackCompletion.objects.get()
    assert (done.educator, done.status_title) == (educator_ana, "Teacher leader")
    assert {c.pk for c in done.counted.all()} == {c.pk for c in four[:3]}
    badge = json.loads(done.credential.document)
    aligned = {a["targetName"] for a in badge["credentialSubject"]["achievement"]["alignment"]}
    assert aligned == set(TITLES[:3])
    with pytest.raises(InvalidTransition, match="completed this stack"):
        _propose(educator_ana, stack, four[1:])


def test_approving_after_she_earned_them_completes_it_at_once(
    stack,
    four,
    educator_ana,
    principal_dee,
    assessor_ben,
    issuer_carla,
    django_capture_on_commit_callbacks,
):
    for credential in four[:3]:
        with django_capture_on_commit_callbacks(execute=True):
            awarded(
                educator=educator_ana,
                credential=credential,
                assessor=assessor_ben,
                issuer=issuer_carla,
            )
    assert not StackCompletion.objects.exists()  # nothing agreed yet
    agreement = _propose(educator_ana, stack, four[:3])
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_decide(
            actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
        )
    assert StackCompletion.objects.filter(stack=stack, educator=educator_ana).exists()


# ----------------------------------------------------------------------------- pages


def test_the_proposal_form_keeps_what_was_entered_and_says_what_is_wrong(
    client, stack, four, educator_ana
):
    client.force_login(educator_ana)
    url = reverse("programs:stack-agree", args=[stack.slug])
    response = client.post(
        url,
        {
            "credentials": [four[0].pk, four[1].pk],
            "growth_goal": "Coach my team.",
            "target_date": _later().isoformat(),
        },
    )
    assert response.status_code == 400
    page = html.fromstring(response.content)
    assert "Choose 3 credentials for this stack; you chose 2." in page.text_content()
    checked = {int(v) for v in page.xpath("//input[@name='credentials'][@checked]/@value")}
    assert checked == {four[0].pk, four[1].pk}
    assert page.xpath("//textarea[@name='growth_goal']/text()")[0].strip() == "Coach my team."
    bad_date = client.post(
        url,
        {"credentials": [c.pk for c in four[:3]], "growth_goal": "x", "target_date": "next june"},
    )
    assert bad_date.status_code == 400
    assert "Give the date as YYYY-MM-DD" in bad_date.content.decode()
    assert not StackAgreement.objects.exists()


def test_the_whole_round_through_the_pages(client, stack, four, educator_ana, principal_dee):
    client.force_login(educator_ana)
    stack_page = html.fromstring(client.get(stack.get_absolute_url()).content)
    assert stack_page.xpath(f"//a[@href='{reverse('programs:stack-agree', args=[stack.slug])}']")
    response = client.post(
        reverse("programs:stack-agree", args=[stack.slug]),
        {
            "credentials": [c.pk for c in four[:3]],
            "growth_goal": "Coach my team.",
            "target_date": _later().isoformat(),
        },
    )
    agreement = StackAgreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    client.force_login(principal_dee)
    waiting = html.fromstring(client.get(reverse("programs:agreements")).content)
    rows = waiting.xpath("//section[@aria-labelledby='waiting-h']//tbody/tr")
    assert len(rows) == 1 and educator_ana.get_full_name() in rows[0].text_content()
    missing = client.post(
        agreement.get_absolute_url(), {"number": 1, "decision": "declined", "comment": ""}
    )
    assert missing.status_code == 400
    assert "Say what should change, or why you decline" in missing.content.decode()
    done = client.post(
        agreement.get_absolute_url(), {"number": 1, "decision": "approved", "comment": "Go for it."}
    )
    assert done.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == "approved"
    # Ana's stack page now shows the agreed credentials, 0 of 3 earned.
    client.force_login(educator_ana)
    page = html.fromstring(client.get(stack.get_absolute_url()).content)
    assert "0 of 3 counted" in page.text_content()
    assert len(page.xpath("//section[@aria-labelledby='parts-h']//tbody/tr")) == 3


def test_an_agreement_is_a_404_to_anyone_outside_her_school(
    client, stack, four, educator_ana, principal_dee, admin_adam, world
):
    agreement = _propose(educator_ana, stack, four[:3])
    colleague = member(world.north.school, Role.EDUCATOR, email="colleague@riverbend.example")
    for outsider in (world.south.people[Role.LEADER], world.south.people[Role.ADMIN], colleague):
        client.force_login(outsider)
        assert client.get(agreement.get_absolute_url()).status_code == 404
        assert (
            client.post(
                agreement.get_absolute_url(), {"number": 1, "decision": "approved"}
            ).status_code
            == 404
        )
    # Her program admin follows it but does not decide.
    client.force_login(admin_adam)
    assert client.get(agreement.get_absolute_url()).status_code == 200
    assert (
        client.post(agreement.get_absolute_url(), {"number": 1, "decision": "approved"}).status_code
        == 403
    )
    agreement.refresh_from_db()
    assert agreement.state == "proposed"


def test_the_agreements_page_reads_a_constant_number_of_queries(
    client, stack, four, principal_dee, world, django_assert_max_num_queries
):
    def educators(n, start):
        return [
            member(world.north.school, Role.EDUCATOR, email=f"teacher{i}@riverbend.example")
            for i in range(start, start + n)
        ]

    for educator in educators(2, 0):
        agreement = _propose(educator, stack, four[:3])
        services.agreement_decide(
            actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
        )
    client.force_login(principal_dee)
    client.get(reverse("programs:agreements"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("programs:agreements"))
    for educator in educators(6, 2):
        agreement = _propose(educator, stack, four[:3])
        if educator.pk % 2:
            services.agreement_decide(
                actor=principal_dee, agreement=agreement, number=1, decision="approved", comment=""
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = html.fromstring(client.get(reverse("programs:agreements")).content)
    assert len(page.xpath("//tbody/tr")) == 8
