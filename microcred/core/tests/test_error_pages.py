"""Error pages speak to the person: what happened and what to do, never a stack trace."""

from __future__ import annotations

from django.test import RequestFactory

from microcred import views


def test_not_found_says_why_in_words(client, designer_dan):
    client.force_login(designer_dan)
    response = client.get("/studio/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No such credential in your design studio." in html
    assert "We couldn't find that page" in html


def test_forbidden_names_the_role_needed(client, educator_ana, north):
    client.force_login(educator_ana)
    response = client.get(f"/orgs/{north.slug}/members/")
    assert response.status_code == 403
    assert (
        "Only a program admin of this organization can manage its members."
        in response.content.decode()
    )


def test_server_error_page_renders_without_a_request_context(db):
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html
