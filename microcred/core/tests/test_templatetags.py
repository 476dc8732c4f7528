"""Template helpers shared by every page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from microcred.core.templatetags.microcred import ago


def test_ago_says_just_now_in_the_first_minute_and_the_time_after():
    now = timezone.now()
    assert ago(now - timedelta(seconds=20)) == "just now"
    assert ago(now - timedelta(hours=3, minutes=5)) == "3\xa0hours, 5\xa0minutes ago"
    assert ago(None) == ""
