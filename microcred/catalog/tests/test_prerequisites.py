"""Prerequisites between credentials: the designer names, on the draft, the credentials an
educator must have earned before starting it. Refused, with the reason and nothing saved: the
credential itself, a loop (also through others, also one closed by two drafts published one
after the other), more than five, and a credential that not everyone who may start it can
find in the catalog. The studio keeps what was typed; the credential page says what to earn
first and, for a signed-in educator, which she has earned, never cached for anyone else."""

from __future__ import annotations

import pytest

from microcred.badges import services as badge_services
from microcred.badges.tests.factories import awarded
from microcred.catalog import services
from microcred.catalog.models import Credential, CredentialVersion, Prerequisite
from microcred.catalog.tests.factories import (
    approve_answers,
    draft_credential,
    in_review_credential,
    published_credential,
)
from microcred.core.audit import Event
from microcred.core.errors import Invalid
from microcred.core.models import AuditEvent, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def exit_tickets(designer_dan, reviewer_rita, north) -> Credential:
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


@pytest.fixture
def wait_time(designer_dan, reviewer_rita, north) -> Credential:
    return published_credential(designer_dan, reviewer_rita, north, title="Wait time")


def draft_of(credential: Credential) -> CredentialVersion:
    return credential.versions.exclude(state=CredentialVersion.State.PUBLISHED).get()


def new_version(designer: User, credential: Credential) -> CredentialVersion:
    return services.credential_new_version(actor=designer, credential=credential)


def publish(designer: User, reviewer: User, version: CredentialVersion) -> None:
    services.version_submit_for_review(actor=designer, version=version)
    services.version_review(
        actor=reviewer, version=version, approve=True, summary="", answers=approve_answers()
    )


def refusal(actor: User, version: CredentialVersion, ids: list[int]) -> Invalid:
    """The refusal of setting `ids`, after checking that nothing changed."""
    events = AuditEvent.objects.count()
    before = list(version.prerequisites.values_list("credential_id", flat=True))
    with pytest.raises(Invalid) as caught:
        services.draft_set_prerequisites(actor=actor, version=version, credential_ids=ids)
    assert caught.value.field == "prerequisites"
    assert list(version.prerequisites.values_list("credential_id", flat=True)) == before
    assert AuditEvent.objects.count() == events
    return caught.value


# ----------------------------------------------------------------------------- the design


def test_a_designer_names_prerequisites_on_the_draft_and_they_go_out_with_the_version(
    designer_dan, reviewer_rita, north, exit_tickets, wait_time
):
    credential = draft_credential(designer_dan, north, title="Data teams")
    version = credential.versions.get()
    services.draft_set_prerequisites(
        actor=designer_dan, version=version, credential_ids=[wait_time.pk, exit_tickets.pk]
    )
    assert [p.credential for p in version.prerequisites.all()] == [wait_time, exit_tickets]
    event = AuditEvent.objects.filter(verb=Event.CREDENTIAL_DRAFT_EDITED).latest("pk")
    assert event.data["prerequisites"] == [wait_time.slug, exit_tickets.slug]
    publish(designer_dan, reviewer_rita, version)
    # A new version starts from them; the published one keeps its own.
    draft = new_version(designer_dan, credential)
    assert [p.credential for p in draft.prerequisites.all()] == [wait_time, exit_tickets]
    services.draft_set_prerequisites(actor=designer_dan, version=draft, credential_ids=[])
    assert not draft.prerequisites.exists()
    assert version.prerequisites.count() == 2


def test_a_credential_cannot_be_its_own_prerequisite(designer_dan, exit_tickets):
    draft = new_version(designer_dan, exit_tickets)
    error = refusal(designer_dan, draft, [exit_tickets.pk])
    assert error.code == "prerequisite_self"
    assert "“Exit tickets” cannot be its own prerequisite" in error.message


def test_a_loop_is_refused_whether_direct_or_through_others(
    designer_dan, reviewer_rita, north, exit_tickets
):
    wait_time = published_credential(
        designer_dan, reviewer_rita, north, title="Wait time", prerequisites=[exit_tickets]
    )
    draft = new_version(designer_dan, exit_tickets)
    error = refusal(designer_dan, draft, [wait_time.pk])
    assert error.code == "prerequisite_cycle"
    assert "“Wait time” requires “Exit tickets”" in error.message
    # Longer: Data teams requires Wait time, which requires Exit tickets.
    data_teams = published_credential(
        designer_dan, reviewer_rita, north, title="Data teams", prerequisites=[wait_time]
    )
    error = refusal(designer_dan, draft, [data_teams.pk])
    assert error.code == "prerequisite_cycle"
    assert "“Data teams” requires “Wait time”, which requires “Exit tickets”" in error.message


def test_a_loop_closed_by_two_drafts_is_refused_when_the_second_is_published(
    designer_dan, reviewer_rita, exit_tickets, wait_time
):
    first = new_version(designer_dan, exit_tickets)
    second = new_version(designer_dan, wait_time)
    # Each is fine against the other's published version, which requires nothing.
    services.draft_set_prerequisites(
        actor=designer_dan, version=first, credential_ids=[wait_time.pk]
    )
    services.draft_set_prerequisites(
        actor=designer_dan, version=second, credential_ids=[exit_tickets.pk]
    )
    services.version_submit_for_review(actor=designer_dan, version=first)
    services.version_submit_for_review(actor=designer_dan, version=second)
    services.version_review(
        actor=reviewer_rita, version=first, approve=True, summary="", answers=approve_answers()
    )
    with pytest.raises(Invalid) as caught:
        services.version_review(
            actor=reviewer_rita,
            version=second,
            approve=True,
            summary="",
            answers=approve_answers(),
        )
    assert "This version cannot be published" in caught.value.message
    assert any("“Exit tickets” requires “Wait time”" in d for d in caught.value.details)
    second.refresh_from_db()
    wait_time.refresh_from_db()
    assert second.state == CredentialVersion.State.IN_REVIEW
    assert wait_time.current_version_id != second.pk
    assert not second.quality_reviews.exists()


def test_more_than_five_prerequisites_are_refused(designer_dan, reviewer_rita, north):
    offered = [
        published_credential(designer_dan, reviewer_rita, north, title=f"Credential {i}")
        for i in range(6)
    ]
    version = draft_credential(designer_dan, north, title="Data teams").versions.get()
    error = refusal(designer_dan, version, [c.pk for c in offered])
    assert error.code == "prerequisite_limit"
    assert "at most 5 prerequisites; you chose 6" in error.message
    services.draft_set_prerequisites(
        actor=designer_dan, version=version, credential_ids=[c.pk for c in offered[:5]]
    )
    assert version.prerequisites.count() == 5


def test_an_unknown_id_or_another_districts_internal_credential_is_not_offered(
    world, designer_dan, outsider_oz, north, south
):
    lakeshore_only = published_credential(
        outsider_oz,
        world.south.people[Role.REVIEWER],
        south,
        title="Harbor routines",
        visibility="internal",
    )
    version = draft_credential(designer_dan, north, title="Data teams").versions.get()
    for unknown in (lakeshore_only.pk, 987654):
        error = refusal(designer_dan, version, [unknown])
        assert error.code == "prerequisite_not_offered"
        assert error.message == (
            f"The credential with id {unknown} is not offered in the catalog. Choose "
            "prerequisites from the list."
        )
        assert "Harbor" not in error.message


def test_a_retired_or_unpublished_credential_is_refused_with_the_reason(
    designer_dan, admin_adam, north, exit_tickets
):
    unpublished = in_review_credential(designer_dan, north, title="Accountable talk")
    services.credential_retire(actor=admin_adam, credential=exit_tickets, reason="Replaced.")
    version = draft_credential(designer_dan, north, title="Data teams").versions.get()
    error = refusal(designer_dan, version, [exit_tickets.pk])
    assert error.code == "prerequisite_retired"
    assert "“Exit tickets” is retired" in error.message
    error = refusal(designer_dan, version, [unpublished.pk])
    assert error.code == "prerequisite_not_published"
    assert "“Accountable talk” is not published yet" in error.message


def test_internal_prerequisites_only_for_internal_credentials_of_the_same_organization(
    world, designer_dan, reviewer_rita, north
):
    own = published_credential(
        designer_dan, reviewer_rita, north, title="Riverbend data", visibility="internal"
    )
    public = draft_credential(designer_dan, north, title="Data teams").versions.get()
    error = refusal(designer_dan, public, [own.pk])
    assert error.code == "prerequisite_internal"
    assert "educators outside Riverbend Unified could never start it" in error.message
    internal = draft_credential(
        designer_dan, north, title="Data coaching", visibility="internal"
    ).versions.get()
    services.draft_set_prerequisites(actor=designer_dan, version=internal, credential_ids=[own.pk])
    # A school's internal credential may require its district's, not the reverse: the
    # district's other schools cannot see the school's.
    school = world.north.school
    school_credential = draft_credential(
        designer_dan, school, title="Maple data", visibility="internal", prerequisites=[own]
    )
    publish(designer_dan, reviewer_rita, school_credential.versions.get())
    error = refusal(designer_dan, internal, [school_credential.pk])
    assert error.code == "prerequisite_not_offered"
    assert (
        "“Maple data” is internal to Maple Elementary: educators of Riverbend Unified cannot "
        "see it" in error.message
    )
    # And an internal credential that requires an internal one cannot be made public.
    with pytest.raises(Invalid) as caught:
        services.credential_set_visibility(
            actor=designer_dan, credential=internal.credential, visibility="public"
        )
    assert caught.value.field == "visibility"
    assert "requires “Riverbend data”" in caught.value.message
    internal.credential.refresh_from_db()
    assert internal.credential.visibility == "internal"


def test_a_prerequisite_retired_after_it_was_chosen_stops_the_draft_at_review(
    designer_dan, admin_adam, north, exit_tickets
):
    version = draft_credential(
        designer_dan, north, title="Data teams", prerequisites=[exit_tickets]
    ).versions.get()
    services.credential_retire(actor=admin_adam, credential=exit_tickets, reason="Replaced.")
    with pytest.raises(Invalid) as caught:
        services.version_submit_for_review(actor=designer_dan, version=version)
    assert "Change its prerequisites on the Basics page" in caught.value.message
    assert any("“Exit tickets” is retired" in d for d in caught.value.details)
    version.refresh_from_db()
    assert version.state == CredentialVersion.State.DRAFT


# ----------------------------------------------------------------------------- the studio


def basics_post(version: CredentialVersion, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": version.title,
        "summary": version.summary,
        "competency": version.competency,
        "key_method": version.key_method,
        "audiences": [a.pk for a in version.audiences.all()],
        "subject": version.subject,
        "grade_band": version.grade_band,
        "estimated_hours": str(version.estimated_hours or ""),
        "credit_hours": str(version.credit_hours or ""),
        "valid_for_months": "",
        "then": "stay",
    }
    data.update(changes)
    return data


def test_the_basics_page_saves_the_prerequisites_ticked(
    client, designer_dan, north, exit_tickets, wait_time
):
    credential = draft_credential(designer_dan, north, title="Data teams")
    version = credential.versions.get()
    url = f"/studio/{credential.pk}/edit/basics/"
    client.force_login(designer_dan)
    response = client.get(url)
    assert "Before you start: credentials to earn first" in response.content.decode()
    choices = dict(response.context["top_form"].fields["prerequisites"].choices)
    assert choices == {exit_tickets.pk: "Exit tickets", wait_time.pk: "Wait time"}
    response = client.post(url, basics_post(version, prerequisites=[str(wait_time.pk)]))
    assert response.status_code == 302
    assert [p.credential for p in version.prerequisites.all()] == [wait_time]
    assert client.get(url).context["top_form"]["prerequisites"].value() == [wait_time.pk]


def test_a_refused_prerequisite_shows_next_to_the_field_and_keeps_what_was_typed(
    client, designer_dan, reviewer_rita, north, exit_tickets
):
    wait_time = published_credential(
        designer_dan, reviewer_rita, north, title="Wait time", prerequisites=[exit_tickets]
    )
    draft = new_version(designer_dan, exit_tickets)
    url = f"/studio/{exit_tickets.pk}/edit/basics/"
    client.force_login(designer_dan)
    events = AuditEvent.objects.count()
    response = client.post(
        url,
        basics_post(draft, summary="A summary typed just now.", prerequisites=[str(wait_time.pk)]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = response.context["top_form"]
    assert "“Wait time” requires “Exit tickets”" in " ".join(form.errors["prerequisites"])
    assert 'id="id_prerequisites_error"' in page  # beside the field, and in the summary
    assert "A summary typed just now." in page
    assert form["prerequisites"].value() == [str(wait_time.pk)]
    draft.refresh_from_db()
    assert draft.summary != "A summary typed just now."
    assert not draft.prerequisites.exists()
    assert AuditEvent.objects.count() == events


def test_another_districts_credential_or_a_bad_id_posted_is_refused_not_a_500(
    client, world, designer_dan, outsider_oz, north, south
):
    lakeshore_only = published_credential(
        outsider_oz,
        world.south.people[Role.REVIEWER],
        south,
        title="Harbor routines",
        visibility="internal",
    )
    credential = draft_credential(designer_dan, north, title="Data teams")
    version = credential.versions.get()
    url = f"/studio/{credential.pk}/edit/basics/"
    client.force_login(designer_dan)
    response = client.post(url, basics_post(version, prerequisites=[str(lakeshore_only.pk)]))
    assert response.status_code == 400
    errors = " ".join(response.context["top_form"].errors["prerequisites"])
    assert "is not offered in the catalog" in errors and "Harbor" not in response.content.decode()
    response = client.post(url, basics_post(version, prerequisites=["not-an-id"]))
    assert response.status_code == 400
    assert response.context["top_form"].errors["prerequisites"] == [
        "Choose credentials from the list."
    ]
    assert not Prerequisite.objects.filter(version=version).exists()


# ----------------------------------------------------------------------------- the catalog


def test_the_credential_page_says_what_to_earn_first_with_a_link(
    client, designer_dan, reviewer_rita, north, exit_tickets
):
    wait_time = published_credential(
        designer_dan, reviewer_rita, north, title="Wait time", prerequisites=[exit_tickets]
    )
    page = client.get(f"/credentials/{wait_time.slug}/").content.decode()
    assert (
        f'<strong>Before you start:</strong> earn <a href="/credentials/{exit_tickets.slug}/">'
        "Exit tickets</a>"
    ) in page
    assert "Not earned yet" not in page and "You earned it" not in page  # a visitor's page
    assert (
        "Before you start" not in client.get(f"/credentials/{exit_tickets.slug}/").content.decode()
    )


def earn(world, educator: User, credential: Credential):
    people = world.north.people
    award = awarded(
        educator=educator,
        credential=credential,
        assessor=people[Role.ASSESSOR],
        issuer=people[Role.ISSUER],
    )
    return badge_services.credential_issue(award=award)


@pytest.fixture
def _site(settings):
    settings.SITE_URL = "http://localhost:8000"


@pytest.mark.usefixtures("_site")
def test_ana_sees_which_prerequisites_she_has_earned_and_no_visitor_does(
    client,
    world,
    designer_dan,
    reviewer_rita,
    issuer_carla,
    educator_ana,
    north,
    exit_tickets,
    wait_time,
):
    data_teams = published_credential(
        designer_dan,
        reviewer_rita,
        north,
        title="Data teams",
        prerequisites=[exit_tickets, wait_time],
    )
    issued = earn(world, educator_ana, exit_tickets)
    url = f"/credentials/{data_teams.slug}/"
    client.force_login(educator_ana)
    page = client.get(url).content.decode()
    earned_mark = '<span class="status status--attempt-earned">You earned it</span>'
    assert f"Exit tickets</a> {earned_mark}" in page
    assert (
        'Wait time</a> <span class="status status--attempt-started">Not earned yet</span>' in page
    )
    # She cannot start yet, and the page says why instead of offering the button.
    assert "Earn “Wait time” first: it is a prerequisite of this credential." in page
    assert f'action="/credentials/{data_teams.slug}/start/"' not in page
    # A visitor after her gets the shared page, without her marks.
    client.logout()
    visitor = client.get(url).content.decode()
    assert "Before you start" in visitor
    assert "You earned it" not in visitor and "Not earned yet" not in visitor
    assert "Earn “Wait time” first" not in visitor
    # Revoked, it no longer counts.
    badge_services.credential_revoke(actor=issuer_carla, credential=issued, reason="Copied.")
    client.force_login(educator_ana)
    page = client.get(url).content.decode()
    assert "You earned it" not in page
    assert 'Exit tickets</a> <span class="status status--attempt-revoked">' in page
    assert "Earn “Exit tickets” and “Wait time” first: they are prerequisites" in page


def test_a_prerequisite_renamed_by_a_new_version_shows_its_new_title(
    client, designer_dan, reviewer_rita, north, exit_tickets
):
    wait_time = published_credential(
        designer_dan, reviewer_rita, north, title="Wait time", prerequisites=[exit_tickets]
    )
    url = f"/credentials/{wait_time.slug}/"
    assert ">Exit tickets</a>" in client.get(url).content.decode()
    draft = new_version(designer_dan, exit_tickets)
    services.draft_update_basics(
        actor=designer_dan,
        version=draft,
        data=services.BasicsInput(
            title="Exit tickets, daily",
            summary=draft.summary,
            competency=draft.competency,
            key_method=draft.key_method,
            audiences=list(draft.audiences.all()),
            subject=draft.subject,
            grade_band=draft.grade_band,
            estimated_hours=draft.estimated_hours,
            credit_hours=draft.credit_hours,
        ),
    )
    publish(designer_dan, reviewer_rita, draft)
    assert ">Exit tickets, daily</a>" in client.get(url).content.decode()
