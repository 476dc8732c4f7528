"""A Range header is input from anyone who can open evidence: a number with thousands of
digits (past what int() converts) gets an answer, never a 500."""

from __future__ import annotations

import pytest

from microcred.earning.streaming import ByteRange, Unsatisfiable, parse_range
from microcred.earning.tests.test_evidence_access import VIDEO, credential, video  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_range_with_thousands_of_digits_is_past_the_end_not_a_500(
    client,
    educator_ana,
    video,  # noqa: F811
):
    client.force_login(educator_ana)
    huge = "9" * 5000
    start = client.get(video.get_absolute_url(), HTTP_RANGE=f"bytes={huge}-")
    assert start.status_code == 416
    end = client.get(video.get_absolute_url(), HTTP_RANGE=f"bytes=10-{huge}")
    assert (
        end.status_code == 206 and end["Content-Range"] == f"bytes 10-{len(VIDEO) - 1}/{len(VIDEO)}"
    )
    suffix = client.get(video.get_absolute_url(), HTTP_RANGE=f"bytes=-{huge}")
    assert suffix.status_code == 206
    assert b"".join(suffix.streaming_content) == VIDEO


def test_parse_range_reads_long_zero_padded_numbers_exactly():
    assert parse_range("bytes=" + "0" * 4000 + "5-" + "0" * 4000 + "9", 100) == ByteRange(5, 9)
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=" + "1" * 4400 + "-", 100)
