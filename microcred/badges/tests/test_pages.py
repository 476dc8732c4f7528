"""Badge pages over HTTP: what the public page shows and shares, privacy, forms that keep
input and refuse with a message, another district's badge is a 404, constant queries."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred.badges import services
from microcred.badges.models import BadgePreferences, IssuedCredential
from microcred.badges.tests.factories import awarded
from microcred.catalog.tests.factories import published_credential
from microcred.core.models import AuditEvent, Role
from microcred.core.tests.factories import member

pytestmark = pytest.mark.django_db


def _url(credential: IssuedCredential, suffix: str = "") -> str:
    return f"/badges/{credential.public_id}/{suffix}"


def test_the_public_page_shows_the_badge_verified_with_its_rubric(client, issued, educator_ana):
    response = client.get(_url(issued))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="verified"' in page
    assert educator_ana.full_name in page and "Riverbend Unified" in page
    assert page.count('class="is-achieved') == 3  # the level reached in each of 3 sections
    assert response.context["verdict"].verified
    assert "Revoke" not in page and "Name on the badge" not in page  # visitors only read


def test_the_page_previews_well_when_shared(client, issued):
    page = client.get(_url(issued)).content.decode()
    image = "http://localhost:8000/credentials/exit-tickets/v1/badge.png"
    assert f'<meta property="og:image" content="{image}">' in page
    assert f'<meta property="og:url" content="http://localhost:8000{_url(issued)}">' in page
    assert '<meta property="og:title" content="Exit tickets: earned by' in page
    assert client.get(image.removeprefix("http://localhost:8000"))["Content-Type"] == "image/png"


def test_linkedin_link_carries_the_certification(client, issued, educator_ana):
    client.force_login(educator_ana)  # "Add to LinkedIn" is the earner's own action
    context = client.get(_url(issued)).context
    parts = urlsplit(context["linkedin_url"])
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/profile/add")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Exit tickets"
    assert query["organizationName"] == "Riverbend Unified"
    assert query["certUrl"] == f"http://localhost:8000{_url(issued)}"
    assert query["certId"] == str(issued.public_id)
    assert query["issueYear"] == str(issued.award.awarded_at.year)


def test_qr_code_is_an_svg_of_the_page_link(client, issued):
    response = client.get(_url(issued, "qr.svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


def test_downloads_name_the_file_after_the_credential(client, issued):
    response = client.get(_url(issued, "credential.json"))
    assert response["Content-Disposition"] == 'attachment; filename="exit-tickets.json"'
    assert json.loads(response.content)["id"] == f"urn:uuid:{issued.public_id}"


# ----------------------------------------------------------------------------- privacy


def test_a_private_badge_page_is_a_404_for_everyone_but_the_earner_and_issuer(
    client, issued, educator_ana, issuer_carla, coach_carmen, outsider_oz
):
    services.badge_preferences_update(
        actor=educator_ana, credential=issued, display_name=educator_ana.full_name, public=False
    )
    for path in ("", "badge.png", "credential.json", "qr.svg"):
        assert client.get(_url(issued, path)).status_code == 404, path
    for person in (coach_carmen, outsider_oz):
        client.force_login(person)
        assert client.get(_url(issued)).status_code == 404
    for person in (educator_ana, issuer_carla):
        client.force_login(person)
        response = client.get(_url(issued))
        assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    # The file the earner shared still verifies anywhere: the status list stays public.
    assert client.get("/orgs/riverbend/status/1").status_code == 200


# ----------------------------------------------------------------------------- forms


def test_the_earner_changes_the_name_shown_and_gets_the_new_copy(client, issued, educator_ana):
    client.force_login(educator_ana)
    response = client.post(
        _url(issued, "preferences/"), {"display_name": "Ana M. García", "public": "on"}
    )
    new = IssuedCredential.objects.get(award=issued.award, state="active")
    assert response.status_code == 302 and response["Location"] == _url(new)
    assert new.recipient_name == "Ana M. García"
    # The old link leads to the current copy, which says the link was to an earlier one.
    old = client.get(_url(issued))
    assert old.status_code == 302
    assert old["Location"] == f"{_url(new)}?replaced={issued.public_id}"
    page = client.get(old["Location"]).content.decode()
    assert "This is the current copy of the badge" in page
    assert "the earner&#x27;s name changed" in page or "the earner's name changed" in page
    assert f"badges%2F{issued.public_id}%2Fcredential.json" in page  # verify the earlier copy


def test_an_empty_name_is_refused_and_the_rest_is_kept(client, issued, educator_ana):
    client.force_login(educator_ana)
    before = AuditEvent.objects.count()
    response = client.post(_url(issued, "preferences/"), {"display_name": "  ", "public": ""})
    assert response.status_code == 400
    form = response.context["preferences_form"]
    assert "display_name" in form.errors
    assert form["public"].value() in (False, "")  # the unticked box stays unticked
    assert AuditEvent.objects.count() == before
    assert IssuedCredential.objects.filter(award=issued.award).count() == 1


def test_a_name_too_long_is_refused_with_the_limit(client, issued, educator_ana):
    client.force_login(educator_ana)
    response = client.post(
        _url(issued, "preferences/"), {"display_name": "A" * 151, "public": "on"}
    )
    assert response.status_code == 400
    assert "150 characters" in " ".join(response.context["preferences_form"].errors["display_name"])


def test_only_the_earner_changes_preferences(client, issued, issuer_carla, outsider_oz):
    client.force_login(issuer_carla)
    assert client.post(_url(issued, "preferences/"), {"display_name": "X"}).status_code == 403
    client.force_login(outsider_oz)
    assert client.post(_url(issued, "preferences/"), {"display_name": "X"}).status_code == 404
    assert not BadgePreferences.objects.filter(display_name="X").exists()


def test_revoke_needs_a_reason_and_keeps_the_page(client, issued, issuer_carla):
    client.force_login(issuer_carla)
    response = client.post(_url(issued, "revoke/"), {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["revoke_form"].errors
    page = response.content.decode()
    assert '<details class="disclosure" open>' in page  # the refused form stays open
    issued.refresh_from_db()
    assert issued.state == "active"
    response = client.post(_url(issued, "revoke/"), {"reason": "Plagiarism."})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.state == "revoked"
    page = client.get(_url(issued)).content.decode()
    assert 'data-verdict="revoked"' in page and "Reinstate" in page


def test_the_earner_cannot_revoke_and_another_district_gets_404(
    client, issued, educator_ana, world
):
    client.force_login(educator_ana)
    assert client.post(_url(issued, "revoke/"), {"reason": "mine"}).status_code == 403
    client.force_login(world.south.people[Role.ISSUER])
    for action in ("revoke/", "reinstate/", "renew/", "reissue/"):
        assert client.post(_url(issued, action), {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.state == "active"


def test_a_refused_transition_is_a_message_not_an_error(client, issued, issuer_carla):
    client.force_login(issuer_carla)
    response = client.post(_url(issued, "reinstate/"), follow=True)
    assert response.status_code == 200
    assert "Only a revoked credential can be reinstated." in response.content.decode()


# ----------------------------------------------------------------------------- OB 2.0


def test_open_badges_2_export_is_a_hosted_assertion_with_a_baked_png(client, issued, issuer_carla):
    from microcred.badges import baking

    assertion = client.get(_url(issued, "ob2.json")).json()
    assert assertion["type"] == "Assertion" and assertion["verification"] == {"type": "hosted"}
    assert assertion["id"] == f"http://localhost:8000{_url(issued, 'ob2.json')}"
    credential_email = next(
        i
        for i in json.loads(issued.document)["credentialSubject"]["identifier"]
        if i["identityType"] == "emailAddress"
    )
    assert assertion["recipient"]["identity"] == credential_email["identityHash"]
    badge_class = client.get(urlsplit(assertion["badge"]).path).json()
    assert badge_class["type"] == "BadgeClass" and badge_class["name"] == "Exit tickets"
    issuer = client.get(urlsplit(badge_class["issuer"]).path).json()
    assert issuer["type"] == "Issuer" and issuer["name"] == "Riverbend Unified"
    png = client.get(_url(issued, "ob2.png")).content
    # The assertion's JSON is baked in (OB 2.0 baking), naming the address it is hosted at.
    assert json.loads(baking.unbake_png_openbadges2(png)) == assertion
    services.credential_revoke(actor=issuer_carla, credential=issued, reason="Fraud")
    revoked = client.get(_url(issued, "ob2.json"))
    assert revoked.status_code == 410 and revoked.json()["revoked"] is True


# ----------------------------------------------------------------------------- query counts


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_badges(world, credential, n: int, start: int) -> list:
    people = world.north.people
    educators = []
    for i in range(start, start + n):
        educator = member(
            world.north.school, Role.EDUCATOR, email=f"e{i}@riverbend.example", full_name=f"E {i}"
        )
        award = awarded(
            educator=educator,
            credential=credential,
            assessor=people[Role.ASSESSOR],
            issuer=people[Role.ISSUER],
        )
        services.credential_issue(award=award)
        educators.append(educator)
    return educators


def test_issuer_list_and_pages_take_the_same_queries_with_3_and_15_badges(
    client, world, credential, issuer_carla
):
    _more_badges(world, credential, 3, 0)
    client.force_login(issuer_carla)
    first = IssuedCredential.objects.order_by("pk").first()
    client.get(_url(first))  # the issuer's DID document is kept for a minute once read
    few = (_queries(client, "/assessment/badges/"), _queries(client, _url(first)))
    _more_badges(world, credential, 12, 3)
    for revoked in IssuedCredential.objects.order_by("-pk")[:4]:  # revoked rows cost no more
        services.credential_revoke(actor=issuer_carla, credential=revoked, reason="Copied work.")
    client.get(_url(first))  # the status list it shares with them was signed again: read it once
    many = (_queries(client, "/assessment/badges/"), _queries(client, _url(first)))
    assert few == many


def test_the_wallet_takes_the_same_queries_with_1_and_4_badges(client, world, educator_ana, north):
    people = world.north.people
    titles = ["One", "Two", "Three", "Four"]
    credentials = [
        published_credential(people[Role.DESIGNER], people[Role.REVIEWER], north, title=t)
        for t in titles
    ]

    def earn(credential) -> None:
        award = awarded(
            educator=educator_ana,
            credential=credential,
            assessor=people[Role.ASSESSOR],
            issuer=people[Role.ISSUER],
        )
        services.credential_issue(award=award)

    earn(credentials[0])
    client.force_login(educator_ana)
    few = _queries(client, "/badges/")
    for credential in credentials[1:]:
        earn(credential)
    for revoked in IssuedCredential.objects.order_by("-pk")[:2]:  # revoked rows cost no more
        services.credential_revoke(
            actor=people[Role.ISSUER], credential=revoked, reason="Copied work."
        )
    response = client.get("/badges/")
    assert len(response.context["credentials"]) == 4
    assert [c.standing.state for c in response.context["credentials"]].count("revoked") == 2
    assert _queries(client, "/badges/") == few


def test_public_documents_answer_head_requests(client, issued):
    for path in (
        "/orgs/riverbend/did.json",
        "/orgs/riverbend/status/1",
        _url(issued),
        _url(issued, "badge.png"),
    ):
        assert client.head(path).status_code == 200, path
