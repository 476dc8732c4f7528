"""A later app's part of an earlier app's page comes through the place the page keeps for it
(core.parts, named in settings.PAGE_PARTS), never through an import: the organization page
lists the catalog's credentials, the credential page offers earning's start button, and
each page still renders without its part."""

from __future__ import annotations

import pytest

from microcred.catalog.tests.factories import published_credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def exit_tickets(designer_dan, reviewer_rita, north):
    return published_credential(designer_dan, reviewer_rita, north, title="Exit tickets")


def test_the_organization_page_lists_what_it_offers_through_the_catalogs_part(
    client, settings, educator_ana, north, exit_tickets
):
    client.force_login(educator_ana)
    page = client.get(f"/orgs/{north.slug}/").content.decode()
    assert "Credentials it offers" in page
    assert f'href="/credentials/{exit_tickets.slug}/"' in page
    settings.PAGE_PARTS = {}
    page = client.get(f"/orgs/{north.slug}/").content.decode()
    assert "Credentials it offers" not in page and north.name in page


def test_the_credential_page_offers_to_start_through_earnings_part(
    client, settings, educator_ana, exit_tickets
):
    client.force_login(educator_ana)
    page = client.get(f"/credentials/{exit_tickets.slug}/").content.decode()
    assert "Start this micro-credential" in page
    assert f'action="/credentials/{exit_tickets.slug}/start/"' in page
    settings.PAGE_PARTS = {}
    page = client.get(f"/credentials/{exit_tickets.slug}/").content.decode()
    assert "Start this micro-credential" not in page and "Exit tickets" in page
