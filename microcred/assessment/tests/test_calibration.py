"""Inter-rater agreement from double-scored hand-ins, checked against figures worked by hand."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from lxml import html

from microcred.assessment import selectors, services
from microcred.assessment.models import (
    AgreementTally,
    AgreementTotal,
    AssessorPool,
    DoubleScoredTally,
    PairAgreement,
    Review,
    SectionAgreement,
)
from microcred.assessment.tests.factories import assessor, pool, submitted_attempt
from microcred.core.models import Role, User
from microcred.core.tests.factories import make_org, member


def _score(review, positions: list[int], recommendation: str) -> None:
    scores = {}
    for section, position in zip(
        review.submission.sections.order_by("position"), positions, strict=True
    ):
        level = section.levels.get(position=position)
        scores[section.pk] = (level.pk, "" if position else "Show the next-day regrouping.")
    services.review_save(
        actor=review.assessor,
        review=review,
        scores=scores,
        recommendation=recommendation,
        summary="Summary.",
        submit=True,
    )


def test_cohen_kappa_of_a_degenerate_table_is_defined():
    # Both raters always chose the same single level: pe = 1; perfect agreement → 1.0.
    assert selectors.cohen_kappa([(1, 1), (1, 1)]) == 1.0
    assert selectors.cohen_kappa([]) is None


def test_calibration_figures_match_a_hand_computed_example(client, world, credential, admin_adam):
    """Two hand-ins, scored blind by Ben (primary) and Fay (second); level positions:

        hand-in A: Ben 1 1 1 · Fay 1 1 1
        hand-in B: Ben 1 2 1 · Fay 1 1 0

    Section 1: (1,1),(1,1): exact 100 %; pe = 1 and po = 1 → kappa 1.0.
    Section 2: (1,1),(2,1): exact 50 %; Ben {1:1, 2:1}, Fay {1:2} → pe = (1·2)/4 = .5,
               kappa = (.5 − .5)/(1 − .5) = 0.
    Section 3: (1,1),(1,0): exact 50 %; Ben {1:2}, Fay {1:1, 0:1} → pe = .5, kappa = 0.
    The pair over all six items: 4 exact → 66.7 % (below 70 %); Ben {1:5, 2:1},
    Fay {1:5, 0:1} → pe = 25/36, po = 24/36, kappa = (−1/36)/(11/36) = −1/11 = −0.091.
    """
    ben = world.north.people[Role.ASSESSOR]
    fay = assessor(world.north.organization, "Fay")
    pool(world.north.organization, credential, [ben, fay], double_scoring=True)
    for ben_levels, fay_levels in (([1, 1, 1], [1, 1, 1]), ([1, 2, 1], [1, 1, 0])):
        submission = submitted_attempt(member(world.north.school, Role.EDUCATOR), credential)
        for review in submission.reviews.all():
            levels = ben_levels if review.assessor == ben else fay_levels
            _score(review, levels, "award" if min(levels) >= 1 else "not_yet")

    report = selectors.calibration(actor=admin_adam)
    assert report.submissions == 2
    by_section = {a.label: (a.n, a.percent, a.kappa) for a in report.sections}
    assert by_section == {
        "Section 1": (2, 100.0, 1.0),
        "Section 2": (2, 50.0, 0.0),
        "Section 3": (2, 50.0, 0.0),
    }
    (pair,) = report.pairs
    assert (pair.n, pair.percent, pair.kappa) == (6, 66.7, -0.091)

    client.force_login(admin_adam)
    body = client.get(reverse("assessment:calibration")).content.decode()
    assert "Below 70 %" in body and "66.7 %" in body and "-0.09" in body
    body = client.get(reverse("assessment:calibration"), {"threshold": "60"}).content.decode()
    assert "Below 60 %" in body and "66.7 %" in body


# ----------------------------------------------------------------------------- tallies and filters


def _double_scored(world, credential, pairs, *, school=None) -> list:
    """Hand-ins scored blind by Ben and Fay, one per (Ben's levels, Fay's levels)."""
    ben = world.north.people[Role.ASSESSOR]
    fay = User.objects.filter(full_name="Fay").first() or assessor(world.north.organization, "Fay")
    if not AssessorPool.objects.filter(credential=credential).exists():
        pool(world.north.organization, credential, [ben, fay], double_scoring=True)
    submissions = []
    for ben_levels, fay_levels in pairs:
        educator = member(school or world.north.school, Role.EDUCATOR)
        submission = submitted_attempt(educator, credential)
        for review in submission.reviews.all():
            levels = ben_levels if review.assessor == ben else fay_levels
            _score(review, levels, "award" if min(levels) >= 1 else "not_yet")
        submissions.append(submission)
    return submissions


TALLY = (
    "organization_id",
    "school_id",
    "section_id",
    "assessor_a_id",
    "assessor_b_id",
    "month",
    "level_a",
    "level_b",
    "count",
)


def _tallies() -> list[tuple]:
    return (
        sorted(AgreementTally.objects.values_list(*TALLY))
        + sorted(
            DoubleScoredTally.objects.values_list(
                "organization_id", "school_id", "assessor_a_id", "assessor_b_id", "month", "count"
            )
        )
        + _totals()
    )


def _totals() -> list[tuple]:
    return sorted(AgreementTotal.objects.values_list(*(f for f in TALLY if f != "school_id")))


def _rollups() -> tuple[list[tuple], list[tuple]]:
    levels = ("month", "level_a", "level_b", "count")
    return (
        sorted(SectionAgreement.objects.values_list("organization_id", "section_id", *levels)),
        sorted(
            PairAgreement.objects.values_list(
                "organization_id", "assessor_a_id", "assessor_b_id", *levels
            )
        ),
    )


def _rollups_of_the_totals() -> tuple[list[tuple], list[tuple]]:
    sections: dict[tuple, int] = {}
    pairs: dict[tuple, int] = {}
    for org, section, a, b, month, level_a, level_b, count in AgreementTotal.objects.values_list(
        "organization_id",
        "section_id",
        "assessor_a_id",
        "assessor_b_id",
        "month",
        "level_a",
        "level_b",
        "count",
    ):
        by_section = (org, section, month, level_a, level_b)
        sections[by_section] = sections.get(by_section, 0) + count
        by_pair = (org, a, b, month, level_a, level_b)
        pairs[by_pair] = pairs.get(by_pair, 0) + count
    assert sections and pairs
    return (
        sorted((*key, n) for key, n in sections.items()),
        sorted((*key, n) for key, n in pairs.items()),
    )


def test_the_tallies_counted_as_reviews_come_in_match_a_rebuild_from_the_reviews(world, credential):
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1]), ([1, 2, 1], [1, 1, 0])])
    live = _tallies()
    assert DoubleScoredTally.objects.get().count == 2
    assert services.agreement_tallies_rebuild() == 2
    assert _tallies() == live


def test_the_totals_are_the_schools_tallies_added_up(world, credential, admin_adam):
    other_school = make_org("Cedar Middle", "school", world.north.organization)
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1]), ([1, 2, 1], [1, 1, 0])])
    _double_scored(world, credential, [([1, 2, 1], [1, 1, 0])], school=other_school)
    summed: dict[tuple, int] = {}
    for org, _, section, a, b, month, level_a, level_b, count in AgreementTally.objects.values_list(
        *TALLY
    ):
        key = (org, section, a, b, month, level_a, level_b)
        summed[key] = summed.get(key, 0) + count
    assert len(summed) < AgreementTally.objects.count()  # both schools share cells
    assert _totals() == sorted((*key, count) for key, count in summed.items())
    # Counted as they came in, the totals added up by section and by pair of assessors are
    # what the report's tables read without a school; a rebuild gives the same.
    assert _rollups() == _rollups_of_the_totals()
    live = _rollups()
    services.agreement_tallies_rebuild()
    assert _rollups() == live
    # The report over every school (read from the totals) and per school (the tallies).
    everyone = selectors.calibration(actor=admin_adam)
    (pair,) = everyone.pairs
    assert (everyone.submissions, pair.n, pair.exact) == (3, 9, 5)
    each = [
        selectors.calibration(actor=admin_adam, only=selectors.CalibrationFilter(school=school))
        for school in (world.north.school, other_school)
    ]
    assert [(r.submissions, r.pairs[0].n, r.pairs[0].exact) for r in each] == [(2, 6, 4), (1, 3, 1)]


def test_more_hand_ins_of_the_same_kind_add_counts_not_rows(
    world, credential, admin_adam, django_assert_max_num_queries
):
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 0])])
    models = (AgreementTally, AgreementTotal, SectionAgreement, PairAgreement)
    rows = [model.objects.count() for model in models]
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 0])] * 4)
    # The page reads these, not the reviews.
    assert [model.objects.count() for model in models] == rows
    report = selectors.calibration(actor=admin_adam)
    assert report.submissions == 5
    (pair,) = report.pairs
    assert (pair.n, pair.percent) == (15, 66.7)
    # Totals by section and by pair, the level cells of the rows shown, the hand-ins
    # counted, the sections' titles, the assessors' names.
    with django_assert_max_num_queries(7):
        selectors.calibration(actor=admin_adam)


def test_the_report_counts_only_the_months_asked_for(client, world, credential, admin_adam):
    old = _double_scored(world, credential, [([1, 2, 1], [1, 1, 0])])
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    # The first hand-in's reviews came in last year: count again from the reviews.
    Review.objects.filter(submission=old[0]).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    services.agreement_tallies_rebuild()
    this_month = timezone.localdate().strftime("%Y-%m")
    client.force_login(admin_adam)
    response = client.get(reverse("assessment:calibration"), {"since": this_month})
    assert response.status_code == 200
    body = response.content.decode()
    assert "From 1 double-scored hand-in:" in body
    assert "100 %" in body and "66.7 %" not in body
    everything = client.get(reverse("assessment:calibration")).content.decode()
    assert "From 2 double-scored hand-ins:" in everything


def test_the_report_counts_only_the_school_asked_for(client, world, credential, admin_adam):
    other_school = make_org("Cedar Middle", "school", world.north.organization)
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    _double_scored(world, credential, [([1, 2, 1], [1, 1, 0])], school=other_school)
    client.force_login(admin_adam)
    page = client.get(reverse("assessment:calibration"), {"school": other_school.pk})
    body = page.content.decode()
    assert "From 1 double-scored hand-in:" in body and "33.3 %" in body
    district = client.get(
        reverse("assessment:calibration"), {"school": world.north.organization.pk}
    )
    assert "From 2 double-scored hand-ins:" in district.content.decode()


def test_bad_filters_are_refused_with_why_and_kept(client, world, credential, admin_adam):
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    client.force_login(admin_adam)
    url = reverse("assessment:calibration")
    response = client.get(url, {"since": "2026-13", "school": world.south.school.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a month as year and month, e.g. 2026-09." in body
    assert "Choose one of the schools or districts listed." in body
    assert 'value="2026-13"' in body
    assert world.south.school.name not in body  # another district's school is not offered
    assert "From 1 double-scored hand-in:" in body  # the report counts every hand-in
    response = client.get(url, {"since": "2026-11", "until": "2026-10"})
    assert response.status_code == 400
    assert "The last month comes after the first one." in response.content.decode()


def test_a_long_table_shows_the_lowest_agreement_first_and_says_how_many_more(
    client, monkeypatch, world, credential, admin_adam
):
    _double_scored(world, credential, [([1, 2, 1], [1, 1, 0])])  # sections: 100, 0, 0 %
    monkeypatch.setattr(selectors, "CALIBRATION_ROWS", 2)
    report = selectors.calibration(actor=admin_adam)
    assert [a.label for a in report.sections] == ["Section 2", "Section 3"]
    assert report.more == {"sections": 1}
    client.force_login(admin_adam)
    body = client.get(reverse("assessment:calibration")).content.decode()
    assert "Showing the 2 with the lowest exact agreement; 1 more agree more often." in body


def test_another_districts_tallies_never_count(world, credential, admin_adam):
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    lakeshore_admin = world.south.people[Role.ADMIN]
    assert selectors.calibration(actor=lakeshore_admin).submissions == 0
    assert selectors.calibration(actor=admin_adam).submissions == 1


def test_a_state_filters_by_district_then_by_one_of_its_schools(client, world, credential):
    """A state's report offers its districts, and the schools of the district chosen (or of
    the chosen school's district), not every school of the state in one list."""
    state_admin = member(world.state, Role.ADMIN, email="admin@state.example")
    cedar = make_org("Cedar Middle", "school", world.north.organization)
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    _double_scored(world, credential, [([1, 2, 1], [1, 1, 0])], school=cedar)
    client.force_login(state_admin)
    url = reverse("assessment:calibration")

    def options(response) -> list[str]:
        select = html.fromstring(response.content.decode()).get_element_by_id("id_school")
        return [" ".join(o.text_content().split()) for o in select.iter("option")]

    everything = client.get(url)
    assert options(everything) == [
        "Every district",
        "Lakeshore County Schools",
        "Riverbend Unified",
    ]
    assert "From 2 double-scored hand-ins:" in everything.content.decode()
    district = client.get(url, {"school": world.north.organization.pk})
    assert options(district) == [
        "Every district",
        "Lakeshore County Schools",
        "Riverbend Unified",
        "Riverbend Unified · Cedar Middle",
        "Riverbend Unified · Maple Elementary",
    ]
    assert "From 2 double-scored hand-ins:" in district.content.decode()
    school = client.get(url, {"school": cedar.pk})
    assert school.status_code == 200
    assert options(school) == options(district)
    body = school.content.decode()
    assert f'<option value="{cedar.pk}" selected>' in body
    assert "From 1 double-scored hand-in:" in body and "33.3 %" in body
    # A school of the other district is offered once its district is chosen.
    harbor = client.get(url, {"school": world.south.school.pk})
    assert harbor.status_code == 200
    assert "Lakeshore County Schools · Harbor Elementary" in options(harbor)
    assert "Riverbend Unified · Cedar Middle" not in options(harbor)


def test_the_figures_are_written_as_floatformat_would_write_them():
    """The report writes its figures in Python (hundreds of rows); they read as Django's
    `floatformat` would write them, rounding half up included."""
    from django.template.defaultfilters import floatformat

    for exact, n in [(2, 3), (1, 2), (3, 3), (0, 4), (5, 7), (1, 8), (7, 9)]:
        row = selectors.Agreement("", n=n, exact=exact)
        assert row.percent_text == floatformat(row.percent, "-1"), (exact, n)
    for kappa in [0.125, -0.091, 1.0, 0.0, -0.005, 0.335, 0.999, -1.0, 0.6]:
        row = selectors.Agreement("", kappa=kappa)
        assert row.kappa_text == floatformat(kappa, 2), kappa
    assert selectors.Agreement("").percent_text == selectors.Agreement("").kappa_text == ""


def test_a_states_filter_refuses_what_it_does_not_list(client, world, credential):
    """Not a number, an id past any organization's, an organization that is not a school or
    district: refused with the message, the report counting every hand-in."""
    state_admin = member(world.state, Role.ADMIN, email="admin@state.example")
    _double_scored(world, credential, [([1, 1, 1], [1, 1, 1])])
    client.force_login(state_admin)
    for value in ("Cedar", "99999999999999999999", "-1", str(world.state.pk)):
        response = client.get(reverse("assessment:calibration"), {"school": value})
        assert response.status_code == 400, value
        body = response.content.decode()
        assert "Choose one of the schools or districts listed." in body
        assert "From 1 double-scored hand-in:" in body
