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


def test_a_form_without_its_csrf_token_gets_our_page_and_changes_nothing(db):
    from django.test import Client

    from microcred.core.models import AuditEvent

    strict = Client(enforce_csrf_checks=True)
    before = AuditEvent.objects.count()
    response = strict.post("/verify/", {"text": "{}"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form had expired" in html and "Nothing was saved" in html
    assert "CSRF verification failed" not in html  # not Django's stock page
    assert AuditEvent.objects.count() == before
