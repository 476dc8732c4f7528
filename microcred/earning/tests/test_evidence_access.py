"""Evidence is private: served only to people who may see the attempt, with range requests
for video, safe headers, and every opening written to the access log."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from microcred.core.models import AuditEvent, Role
from microcred.earning import services
from microcred.earning.models import EvidenceAccess
from microcred.earning.streaming import ByteRange, Unsatisfiable, parse_range
from microcred.earning.tests.factories import (
    MP4,
    PDF,
    earnable_credential,
    started_attempt,
    upload,
)

pytestmark = pytest.mark.django_db

VIDEO = MP4 + os.urandom(50_000)


@pytest.fixture
def credential(designer_dan, reviewer_rita, north):
    return earnable_credential(designer_dan, reviewer_rita, north)


@pytest.fixture
def video(educator_ana, credential):
    attempt = started_attempt(educator_ana, credential)
    return services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="video"),
        upload=upload("lesson.mp4", VIDEO),
        consent=True,
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_request_gets_206_with_exactly_those_bytes(client, educator_ana, video):
    client.force_login(educator_ana)
    response = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert response["Content-Length"] == "1000"
    assert body(response) == VIDEO[1000:2000]
    suffix = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=-100")
    assert suffix.status_code == 206 and body(suffix) == VIDEO[-100:]
    open_ended = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=50000-")
    assert body(open_ended) == VIDEO[50000:]


def test_a_range_past_the_end_gets_416_and_no_range_gets_the_whole_file(
    client, educator_ana, video
):
    client.force_login(educator_ana)
    response = client.get(video.get_absolute_url(), HTTP_RANGE=f"bytes={len(VIDEO)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"
    whole = client.get(video.get_absolute_url())
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert body(whole) == VIDEO
    # A stale If-Range sends the whole file rather than a range of another version.
    stale = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200


def test_evidence_is_sent_with_safe_headers(client, educator_ana, video):
    client.force_login(educator_ana)
    response = client.get(video.get_absolute_url())
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="lesson.mp4"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    download = client.get(video.get_absolute_url() + "?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="lesson.mp4"'


def test_every_opening_is_logged_but_not_each_seek(client, educator_ana, coach_carmen, video):
    client.force_login(educator_ana)
    client.get(video.get_absolute_url(), HTTP_RANGE="bytes=0-")
    client.get(video.get_absolute_url(), HTTP_RANGE="bytes=30000-")  # the player seeking
    client.force_login(coach_carmen)
    client.get(video.get_absolute_url() + "?download=1")
    log = list(EvidenceAccess.objects.order_by("at", "id").values_list("user", "action"))
    assert log == [(educator_ana.pk, "view"), (coach_carmen.pk, "download")]


def test_evidence_of_one_district_is_404_for_every_role_of_another(client, world, video):
    for role, person in world.south.people.items():
        client.force_login(person)
        response = client.get(video.get_absolute_url(), HTTP_RANGE="bytes=0-99")
        assert response.status_code == 404, role
        assert (
            client.get(reverse("earning:attempt", args=[video.attempt.public_id])).status_code
            == 404
        )
    assert not EvidenceAccess.objects.exists()


def test_people_of_the_same_district_see_it_only_through_their_role(client, world, video):
    north = world.north.people
    # The video was not handed in: the credential's issuer sees evidence only once it is
    # (test_handed_in_evidence); the program admin also supports the district's educators.
    allowed = {Role.EDUCATOR, Role.COACH, Role.LEADER, Role.ADMIN}
    for role, person in north.items():
        client.force_login(person)
        status = client.get(video.get_absolute_url()).status_code
        assert status == (200 if role in allowed else 404), role


def test_an_assessor_not_assigned_to_the_attempt_gets_404(client, assessor_ben, video):
    client.force_login(assessor_ben)
    assert client.get(video.get_absolute_url()).status_code == 404


def test_another_educator_of_the_same_school_gets_404(client, world, video):
    from microcred.core.tests.factories import member

    colleague = member(world.north.school, Role.EDUCATOR, email="colleague@riverbend.example")
    client.force_login(colleague)
    assert client.get(video.get_absolute_url()).status_code == 404


def test_a_malformed_evidence_id_is_404(client, educator_ana):
    client.force_login(educator_ana)
    url = reverse("earning:evidence-file", args=["11111111-1111-1111-1111-111111111111"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, 999)),
        ("bytes=-10", ByteRange(990, 999)),
        ("bytes=900-5000", ByteRange(900, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=9-3", None),
    ],
)
def test_range_headers_are_read_as_the_rfc_says(header, expected):
    assert parse_range(header, 1000) == expected


def test_a_range_starting_past_the_end_is_unsatisfiable():
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=1000-", 1000)


def test_a_pdf_may_be_framed_by_the_review_screen(client, educator_ana, credential):
    attempt = started_attempt(educator_ana, credential)
    pdf = services.evidence_upload(
        actor=educator_ana,
        attempt=attempt,
        requirement=attempt.version.evidence_requirements.get(kind="document"),
        upload=upload("plan.pdf", PDF),
    )
    client.force_login(educator_ana)
    response = client.get(pdf.get_absolute_url())
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_an_opening_is_logged_with_the_address_and_leaves_no_audit_event(
    client, educator_ana, video
):
    events = AuditEvent.objects.count()
    client.force_login(educator_ana)
    client.get(video.get_absolute_url(), HTTP_RANGE="bytes= 0-99", REMOTE_ADDR="203.0.113.7")
    client.get(video.get_absolute_url(), HTTP_RANGE="bytes=100-199")  # the player reading on
    log = list(EvidenceAccess.objects.values_list("evidence", "user", "action", "ip_address"))
    assert log == [(video.pk, educator_ana.pk, "view", "203.0.113.7")]
    assert AuditEvent.objects.count() == events  # EvidenceAccess is the log of readings


def test_evidence_whose_file_is_gone_from_storage_is_a_404_not_an_error(
    client, educator_ana, video
):
    from django.core.files.storage import default_storage

    default_storage.delete(video.file.name)
    client.force_login(educator_ana)
    for query in ("", "?download=1"):
        response = client.get(video.get_absolute_url() + query)
        assert response.status_code == 404
        assert b"no longer in storage" in response.content
