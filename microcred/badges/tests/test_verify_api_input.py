"""The ways `/verify/api` takes a credential besides a JSON body: a multipart `file` (a
baked image or the JSON), a multipart `url`, a baked image as the raw body, `url=` in the
query; what it answers when the upload is past the limit, and when nothing is given."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

NO_INPUT = "Send a credential: a JSON body, a file field named 'file', or url=."


def _link(issued) -> str:
    return f"http://localhost:8000/badges/{issued.public_id}/"


@pytest.mark.django_db
def test_a_baked_png_sent_as_a_multipart_file_verifies(client, issued):
    png = client.get(f"/badges/{issued.public_id}/badge.png").content
    response = client.post("/verify/api", {"file": SimpleUploadedFile("ana.png", png)})
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["verified"] is True


@pytest.mark.django_db
def test_a_baked_png_sent_as_the_raw_body_verifies(client, issued):
    png = client.get(f"/badges/{issued.public_id}/badge.png").content
    response = client.post("/verify/api", png, content_type="image/png")
    assert response.status_code == 200 and response.json()["verified"] is True


@pytest.mark.django_db
def test_a_link_as_a_multipart_field_or_in_the_query_verifies(client, issued):
    posted = client.post("/verify/api", {"url": _link(issued)})
    assert posted.status_code == 200 and posted.json()["verified"] is True
    asked = client.get("/verify/api", {"url": _link(issued)})
    assert asked.status_code == 200 and asked.json()["verified"] is True


def test_a_multipart_file_past_the_limit_is_unreadable_with_the_limit(client):
    big = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024))
    response = client.post("/verify/api", {"file": big})
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is False and body["status"] == "unreadable"
    detail = body["checks"]["credential"]["detail"]
    assert "This file is larger than the verifier's limit of 5 MB." in detail


def test_a_body_past_the_limit_is_unreadable_with_the_limit(client):
    response = client.post("/verify/api", bytes(6 * 1024 * 1024), content_type="image/png")
    assert response.status_code == 200
    detail = response.json()["checks"]["credential"]["detail"]
    assert "The request body is larger than the verifier's limit of 5 MB." in detail


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda client: client.get("/verify/api"), id="get-without-url"),
        pytest.param(lambda client: client.post("/verify/api", {}), id="empty-multipart"),
        pytest.param(
            lambda client: client.post("/verify/api", b"  \n", content_type="application/json"),
            id="blank-body",
        ),
    ],
)
def test_nothing_to_check_is_a_400_with_the_no_input_code(client, send):
    response = send(client)
    assert response.status_code == 400
    assert response.json() == {"error": NO_INPUT, "code": "no_input"}
