"""The program dashboard: its figures on a small program (participation as the articles
count it, activity by month, school and credential, first try against resubmission, a
revoked badge left out, turnaround, spending against the budget, credit hours), who may
read whose figures, the filters and their refusals, the CSV, and a constant number of
queries however much there is to count."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.badges.tests.factories import awarded
from microcred.core.models import Role
from microcred.core.tests.factories import make_org, member
from microcred.reports import selectors
from microcred.reports.tests.factories import program

URL = reverse("reports:dashboard")
CSV = reverse("reports:export")


@pytest.fixture
def maple(world, designer_dan, reviewer_rita, assessor_ben, issuer_carla, admin_adam, educator_ana):
    return program(
        school=world.north.school,
        designer=designer_dan,
        reviewer=reviewer_rita,
        assessor=assessor_ben,
        issuer=issuer_carla,
        admin=admin_adam,
        first_try=educator_ana,
    )


def board(actor, **filters) -> selectors.Dashboard:
    choices = selectors.filter_choices(actor=actor)
    period = filters.pop("period", selectors.default_period())
    scope = selectors.scope_for(actor=actor, choices=choices, period=period, **filters)
    return selectors.dashboard(scope)


def figures(dashboard: selectors.Dashboard) -> dict[str, str]:
    return {f.label: f.value for f in dashboard.figures}


def rows(dashboard: selectors.Dashboard, key: str) -> list[list[str]]:
    table = next(t for t in dashboard.tables if t.key == key)
    return [[cell.text for cell in row] for row in table.rows]


def page_table(response, key: str) -> list[list[str]]:
    """The rows of the table under the heading `key`-h, as the page shows them."""
    tree = html.fromstring(response.content)
    section = tree.xpath(f'//section[@aria-labelledby="{key}-h"]')[0]
    return [
        [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        for tr in section.xpath(".//tbody/tr")
    ]


# ----------------------------------------------------------------------------- the figures


def test_participation_counts_educators_with_a_credential_not_revoked(maple, admin_adam):
    found = board(admin_adam)
    # Four educators at Maple (Ana, Bo, Cy, Di); Ana and Bo hold a credential, Cy's was
    # revoked, Di has none.
    assert figures(found)["Educators with a credential"] == "50 %"
    assert found.figures[0].detail == "2 of 4 educators have earned at least one"


def test_a_revoked_award_is_not_counted_as_earned(maple, admin_adam):
    found = board(admin_adam)
    assert figures(found)["Credentials earned"] == "2"
    this_month = f"{timezone.localdate():%b %Y}"
    # Started 3, handed in for the first time 3, earned 2 (Cy's revoked badge left out).
    assert [this_month, "3", "3", "2"] in rows(found, "months")
    assert rows(found, "schools") == [["Maple Elementary", "3", "3", "2", "67 %"]]
    assert rows(found, "credentials") == [["Exit tickets", "3", "3", "2", "67 %"]]


def test_a_resubmission_counts_as_earned_after_resubmitting(maple, admin_adam):
    outcomes = rows(board(admin_adam), "outcomes")
    # First hand-ins decided: Ana's and Cy's awards and Bo's "not yet"; Bo then earned it.
    assert outcomes == [
        ["Passed on the first hand-in", "2", "3", "67 %"],
        ["Earned after resubmitting", "1", "1", "100 %"],
    ]


def test_turnaround_counts_first_hand_ins_against_the_pools_turnaround(maple, admin_adam):
    found = board(admin_adam)
    turnaround = next(t for t in found.tables if t.key == "turnaround")
    assert turnaround.rows[0][0].text == "1 day" and turnaround.rows[0][1].text == "3"
    assert turnaround.note == "100 % decided within the assessor pools' turnaround (14 days)."
    assert figures(found)["Half decided within"] == "1 day"


def test_turnaround_counts_whole_days_from_hand_in_to_decision(maple, admin_adam):
    from microcred.assessment.models import Decision
    from microcred.earning.models import Submission

    def handed_in_before_decision(educator, days):
        decision = Decision.objects.get(
            submission__attempt__educator=educator, submission__number=1
        )
        moment = decision.decided_at - datetime.timedelta(days=days)
        Submission.objects.filter(pk=decision.submission_id).update(submitted_at=moment)

    handed_in_before_decision(maple.first_try, 12)  # within 12 days: on time
    handed_in_before_decision(maple.resubmitted, 40)  # past the pools' 14 days
    found = board(admin_adam)
    assert [row for row in rows(found, "turnaround") if row[1] != "0"] == [
        ["1 day", "1", "33 %"],
        ["8–14 days", "1", "33 %"],
        ["31–60 days", "1", "33 %"],
    ]
    assert figures(found)["Half decided within"] == "12 days"
    assert found.figures[3].detail == "nine in ten within 40 days"
    turnaround = next(t for t in found.tables if t.key == "turnaround")
    assert turnaround.note == "67 % decided within the assessor pools' turnaround (14 days)."


def test_spending_is_set_against_the_schools_budget(maple, admin_adam):
    spending = rows(board(admin_adam), "spending")
    # Fees of $40 for three first hand-ins and stipends of $200 for three awards, less the
    # revoked one's stipend; nothing approved yet.
    assert spending[0] == ["Maple Elementary", "$5,000.00", "$0.00", "$520.00", "$4,480.00"]
    assert spending[-1] == ["All schools", "$5,000.00", "$0.00", "$520.00", "$4,480.00"]


def test_credit_hours_leave_out_the_revoked_award(maple, admin_adam):
    # 1.5 hours each for Ana's and Bo's credentials; Cy's was revoked.
    assert figures(board(admin_adam))["Credit hours earned"] == "3"


# ----------------------------------------------------------------------------- filters


def test_a_period_without_activity_counts_nothing(maple, admin_adam):
    last_year = timezone.localdate().year - 1
    period = selectors.Period(datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31))
    found = board(admin_adam, period=period)
    assert figures(found)["Credentials earned"] == "0"
    assert rows(found, "schools") == []
    assert len(rows(found, "months")) == 12
    # Participation counts what was earned by the end of the period: nothing yet then.
    assert figures(found)["Educators with a credential"] == "0 %"


def test_the_school_filter_counts_that_school_only(maple, world, admin_adam, designer_dan):
    oak = make_org("Oak Middle", "school", world.north.organization)
    member(oak, Role.EDUCATOR, full_name="Oli Oak", email="oli@riverbend.example")
    choices = selectors.filter_choices(actor=admin_adam)
    assert {p.name for p in choices.places} == {"Maple Elementary", "Oak Middle"}
    found = board(admin_adam, place=choices.place(oak.pk))
    assert found.scope.label == "Oak Middle"
    assert figures(found)["Credentials earned"] == "0"
    assert found.figures[0].detail == "0 of 1 educators have earned at least one"


def test_the_credential_filter_counts_that_credential_only(
    maple, world, admin_adam, designer_dan, reviewer_rita, assessor_ben, issuer_carla
):
    other = program_credential(world, designer_dan, reviewer_rita, "Number talks")
    awarded(educator=maple.idle, credential=other, assessor=assessor_ben, issuer=issuer_carla)
    assert figures(board(admin_adam))["Credentials earned"] == "3"
    only = board(admin_adam, credential_id=other.pk)
    assert figures(only)["Credentials earned"] == "1"
    assert rows(only, "credentials") == [["Number talks", "1", "1", "1", "100 %"]]
    assert only.figures[0].detail == "1 of 4 educators have earned at least one"


def program_credential(world, designer, reviewer, title):
    from microcred.catalog.tests.factories import published_credential

    return published_credential(designer, reviewer, world.north.organization, title=title)


def test_the_page_shows_the_filtered_figures(client, maple, world, admin_adam):
    client.force_login(admin_adam)
    response = client.get(URL, {"school": world.north.school.pk})
    assert response.status_code == 200
    assert page_table(response, "schools") == [["Maple Elementary", "3", "3", "2", "67 %"]]
    tree = html.fromstring(response.content)
    assert tree.xpath('//select[@name="school"]/option[@selected]/text()') == ["Maple Elementary"]
    # The chart beside it is drawn from the same numbers, hidden from screen readers.
    assert tree.xpath('//canvas[@data-chart="schools-chart"]/@aria-hidden') == ["true"]
    assert tree.xpath('//script[@id="schools-chart"]/@type') == ["application/json"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-13-45"}, "start", "Enter the first day as a date, e.g. 2026-01-31."),
        (
            {"start": "2026-06-01", "end": "2026-05-01"},
            "start",
            "The first day is after the last: choose one on or before May 1, 2026.",
        ),
        ({"start": "2015-01-01", "end": "2026-05-01"}, "start", "Choose at most 5 years"),
        ({"end": "9999-12-31"}, "end", "Choose a last day up to"),
        ({"credential": "abc"}, "credential", "That credential is not one your educators"),
    ],
)
def test_bad_filters_are_refused_beside_their_field_and_kept(
    client, maple, admin_adam, query, field, message
):
    client.force_login(admin_adam)
    response = client.get(URL, query)
    assert response.status_code == 400
    tree = html.fromstring(response.content)
    error = tree.xpath(f'//p[@id="id_{field}_error"]')[0].text_content()
    assert message in error
    for name, value in query.items():
        kept = tree.xpath(f'//*[@name="{name}"]')[0]
        if kept.tag == "input":
            assert kept.get("value") == value
    assert not tree.xpath('//section[@aria-labelledby="months-h"]')  # no figures
    assert client.get(CSV, query).status_code == 400


# ----------------------------------------------------------------------------- who sees what


def test_another_districts_school_is_refused(client, maple, world, admin_adam):
    client.force_login(admin_adam)
    response = client.get(URL, {"school": world.south.school.pk})
    assert response.status_code == 400
    assert "That is not one of your schools" in response.content.decode()
    assert "Harbor Elementary" not in response.content.decode()
    assert client.get(CSV, {"school": world.south.school.pk}).status_code == 400


def test_another_districts_admin_sees_none_of_it(client, maple, world):
    lakeshore_admin = world.south.people[Role.ADMIN]
    found = board(lakeshore_admin)
    assert found.scope.label == "Lakeshore County Schools"
    assert figures(found)["Credentials earned"] == "0"
    assert found.figures[0].detail == "0 of 1 educators have earned at least one"
    client.force_login(lakeshore_admin)
    assert "Maple Elementary" not in client.get(URL).content.decode()


def test_a_school_leader_sees_only_her_school(client, maple, world, principal_dee, issuer_carla):
    oak = make_org("Oak Middle", "school", world.north.organization)
    oli = member(oak, Role.EDUCATOR, full_name="Oli Oak", email="oli@riverbend.example")
    awarded(
        educator=oli,
        credential=maple.credential,
        assessor=world.north.people[Role.ASSESSOR],
        issuer=issuer_carla,
    )
    found = board(principal_dee)
    assert found.scope.label == "Maple Elementary"
    assert [p.name for p in selectors.filter_choices(actor=principal_dee).places] == []
    assert rows(found, "schools") == [["Maple Elementary", "3", "3", "2", "67 %"]]
    client.force_login(principal_dee)
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"school": oak.pk}).status_code == 400


def test_a_large_scope_counts_the_same_by_joins(monkeypatch, maple, admin_adam):
    """More organizations than `tenancy.LONG_ID_LIST` (a state's): the scope goes in as a
    subquery and the first hand-ins and decisions are joined instead of probed."""
    from microcred.core import tenancy

    small = board(admin_adam)
    monkeypatch.setattr(tenancy, "LONG_ID_LIST", 0)
    large = board(admin_adam)
    assert not isinstance(large.scope.organizations, list)
    assert figures(large) == figures(small)
    for key in ("months", "schools", "credentials", "outcomes", "turnaround", "spending"):
        assert rows(large, key) == rows(small, key), key


def test_a_state_admin_sees_every_district(maple, world):
    state_admin = member(world.state, Role.ADMIN, full_name="Sasha Stone")
    found = board(state_admin)
    assert figures(found)["Credentials earned"] == "2"
    assert found.figures[0].detail == "2 of 5 educators have earned at least one"
    places = {p.name for p in selectors.filter_choices(actor=state_admin).places}
    assert {"Riverbend Unified", "Maple Elementary", "Harbor Elementary"} <= places


def test_a_state_admins_page_shows_one_district_at_a_time(client, maple, world):
    """A whole state is not rolled up per request (about 10 s at state scale): the page opens
    on the first district and offers no "all of the state"."""
    state_admin = member(world.state, Role.ADMIN, full_name="Sasha Stone")
    client.force_login(state_admin)
    page = html.fromstring(client.get(URL).content)
    selected = page.xpath("//select[@name='school']//option[@selected]/text()")
    assert selected == ["Lakeshore County Schools"]
    options = page.xpath("//select[@name='school']//option/text()")
    assert not any(text.startswith("All of") for text in options)
    riverbend = world.north.organization.pk
    page = html.fromstring(client.get(URL, {"school": riverbend}).content)
    assert page.xpath("//select[@name='school']//option[@selected]/text()") == ["Riverbend Unified"]


@pytest.mark.parametrize("role", [Role.EDUCATOR, Role.COACH, Role.ASSESSOR, Role.ISSUER])
def test_others_are_refused(client, maple, world, role):
    client.force_login(world.north.people[role])
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only a program admin or a school leader" in response.content.decode()
    assert client.get(CSV).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


# ----------------------------------------------------------------------------- the CSV


def test_the_csv_holds_every_figure_one_value_a_line(client, maple, admin_adam):
    client.force_login(admin_adam)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="program-dashboard-')
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == ["Table", "Row", "Column", "Value"]
    assert ["Key figures", "Educators with a credential", "Value", "50 %"] in lines
    assert ["By school", "Maple Elementary", "Earned", "2"] in lines
    assert ["By school", "Maple Elementary", "First-try pass rate", "66.7"] in lines
    assert [
        "First try and after resubmission",
        "Earned after resubmitting",
        "Rate",
        "100.0",
    ] in lines
    assert ["Spending against budget, " + str(timezone.localdate().year), "Maple Elementary",
            "Waiting", "520.00"] in lines  # fmt: skip


def test_a_cell_that_looks_like_a_formula_is_quoted(client, world, maple, admin_adam):
    from microcred.core.models import Organization

    Organization.objects.filter(pk=world.north.school.pk).update(name="=HYPERLINK(1)")
    client.force_login(admin_adam)
    text = b"".join(client.get(CSV).streaming_content).decode()
    assert "By school,'=HYPERLINK(1),Earned,2" in text


# ----------------------------------------------------------------------------- cost


def test_the_page_reads_a_constant_number_of_queries(
    client, maple, world, admin_adam, assessor_ben, issuer_carla, django_assert_max_num_queries
):
    client.force_login(admin_adam)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        assert client.get(URL).status_code == 200
    for n in range(4):
        school = make_org(f"School {n}", "school", world.north.organization)
        educator = member(school, Role.EDUCATOR, email=f"e{n}@riverbend.example")
        awarded(
            educator=educator, credential=maple.credential, assessor=assessor_ben,
            issuer=issuer_carla,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(page_table(response, "schools")) == 5


def test_the_per_school_table_is_bounded(monkeypatch, maple, world, admin_adam, issuer_carla):
    monkeypatch.setattr(selectors, "TOP", 2)
    for n in range(3):
        school = make_org(f"School {n}", "school", world.north.organization)
        educator = member(school, Role.EDUCATOR, email=f"e{n}@riverbend.example")
        awarded(
            educator=educator, credential=maple.credential,
            assessor=world.north.people[Role.ASSESSOR], issuer=issuer_carla,
        )  # fmt: skip
    found = board(admin_adam)
    schools = next(t for t in found.tables if t.key == "schools")
    assert [row[0].text for row in schools.rows] == ["Maple Elementary", "School 0"]
    assert schools.note == "The 2 most active of 4 schools (most earned first)."
    assert Decimal(figures(found)["Credit hours earned"]) == Decimal("7.5")


def test_the_default_period_is_the_last_twelve_months():
    period = selectors.default_period(datetime.date(2026, 12, 7))
    assert (period.start, period.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 7))
    assert len(period.months()) == 12
