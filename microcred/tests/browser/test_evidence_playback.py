"""The demo's classroom video plays and seeks on the attempt page, in real Chromium.

Evidence files are sent under a sandboxing Content-Security-Policy, which Chromium's own
media viewer refuses, so a video opened on its own did not play. Ana (educator) opens her
"Data team meetings" attempt from the demo: the video plays (its time advances) and seeks
without an error. Her coach Carmen and her principal Dee see the same player, and a video
opened on its own gets a page that plays it. Every page passes axe-core.
"""

from __future__ import annotations

import importlib

import pytest

from microcred.demo import loader
from microcred.earning.models import Attempt, Evidence

# Transactional like the other browser tests (a serialized rollback here would collide
# with the content types an earlier test's flush made again).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = (
    "v => new Promise(ok => v.readyState >= 1 ? ok() : v.addEventListener('loadedmetadata', ok))"
)
PLAYS = """async v => {
  v.muted = true;
  await v.play();
  await new Promise((ok, fail) => {
    const started = performance.now();
    (function wait() {
      if (v.currentTime > 0.3) return ok();
      if (v.error) return fail(new Error('media error ' + v.error.code));
      if (performance.now() - started > 10000) return fail(new Error('time did not advance'));
      requestAnimationFrame(wait);
    })();
  });
  v.pause();
  return v.currentTime;
}"""
SEEKS = """v => new Promise((ok, fail) => {
  v.addEventListener('seeked', () => ok(v.currentTime), {once: true});
  v.addEventListener('error', () => fail(new Error('media error ' + v.error.code)), {once: true});
  v.currentTime = 4;
})"""


@pytest.fixture
def demo(settings):
    # The audiences come from a data migration; a transactional test that ran before on
    # this worker may have flushed them, so put them back (idempotent) before the demo.
    from django.apps import apps

    importlib.import_module("microcred.catalog.migrations.0003_audiences").add(apps, None)
    assert loader.load() is True
    attempt = Attempt.objects.get(
        educator__email="ana@riverbend.example", version__credential__slug="data-team-meetings"
    )
    video = Evidence.objects.current().get(attempt=attempt, content_type="video/webm")
    return attempt, video


def test_the_educator_plays_and_seeks_her_video_on_her_attempt_page(visit, demo):
    attempt, video = demo
    ana = visit()
    ana.sign_in("ana@riverbend.example", loader.DEMO_PASSWORD)
    ana.goto(attempt.get_absolute_url())
    player = ana.page.locator(f"#evidence-{video.public_id} video[data-evidence-video]")
    player.scroll_into_view_if_needed()
    player.evaluate(LOADED)
    assert 5 < player.evaluate("v => v.duration") < 7  # the demo's six-second clip
    assert player.evaluate(PLAYS) > 0.3
    assert abs(player.evaluate(SEEKS) - 4) < 0.5
    assert player.evaluate("v => v.error") is None
    ana.screenshot("attempt-evidence-player")
    ana.check()

    # The task page plays it in place too.
    ana.goto(f"/attempts/{attempt.public_id}/evidence/")
    task_player = ana.page.locator(f"#evidence-{video.public_id} video")
    task_player.evaluate(LOADED)
    assert task_player.evaluate(PLAYS) > 0.3
    ana.check()


def test_her_coach_and_principal_see_the_player_and_a_video_opened_alone_plays(visit, demo):
    attempt, video = demo
    for email in ("carmen@riverbend.example", "dee@riverbend.example"):
        reader = visit()
        reader.sign_in(email, loader.DEMO_PASSWORD)
        reader.goto(attempt.get_absolute_url())
        player = reader.page.locator(f"#evidence-{video.public_id} video[data-evidence-video]")
        player.evaluate(LOADED)
        assert player.evaluate(PLAYS) > 0.3
        reader.check()
        # Opened on its own (an old link, "open in new tab"): a page that plays it.
        reader.goto(video.get_absolute_url())
        alone = reader.page.locator("video[data-evidence-video]")
        alone.evaluate(LOADED)
        assert abs(alone.evaluate(SEEKS) - 4) < 0.5
        reader.check()
        reader.close()
