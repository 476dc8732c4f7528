"""An upload cut off half-way goes on from where it stopped, in real Chromium.

Ana's connection drops after the first piece of her classroom video and she reloads the
page. When she chooses the same file again, the uploader asks the server how much it has
(tus HEAD) and sends only the rest: one upload session, one evidence row, and the first
piece (tus PATCH) sent after the reload starts past zero; the pieces then grow, small again
after the reload as at the start.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from microcred.core.tests.factories import PASSWORD
from microcred.earning.models import Evidence, UploadSession
from microcred.earning.tests.media import make_webm
from microcred.tests.browser.test_earning_journey import program, requirement_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["program"]  # the fixture, shared with the earning journey

CHUNK = 512


def test_an_interrupted_upload_goes_on_from_where_it_stopped(visit, program, tmp_path, settings):
    settings.UPLOAD_CHUNK_BYTES = CHUNK
    video = make_webm(seconds=6)
    assert len(video) > 4 * CHUNK, "the clip must take several chunks"
    path = tmp_path / "lesson.webm"
    path.write_bytes(video)  # a file on disk keeps its name, size and date between choices

    ana = visit()
    page = ana.page
    ana.sign_in(program["ana"].email, PASSWORD)
    credential = program["credential"]
    ana.goto(credential.get_absolute_url())
    page.get_by_role("button", name="Start this micro-credential").click()
    page.wait_for_load_state()
    page.get_by_label("How do you know today what students learned?").fill("Thumbs up.")
    page.get_by_role("button", name="Save and unlock the task").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Go to the task").click()
    page.wait_for_load_state()
    task_url = page.url

    # The network drops at the second chunk.
    sent: list[int] = []

    def drop_second_chunk(route):
        if route.request.method == "PATCH":
            sent.append(int(route.request.headers["upload-offset"]))
            if len(sent) == 2:
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/uploads/*/", drop_second_chunk)
    form = page.locator("#requirement-" + str(requirement_id(credential, "video")))
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_label("Every student shown has consent on file").check()
    form.get_by_role("button", name="Upload").click()
    expect(form.locator("[data-upload-status]")).to_contain_text("Connection lost")
    assert sent == [0, CHUNK]
    assert UploadSession.objects.count() == 1

    # She reloads and chooses the same file again: only the rest goes up.
    page.unroute("**/uploads/*/")
    after: list[int] = []
    page.on(
        "request",
        lambda request: (
            after.append(int(request.headers["upload-offset"]))
            if request.method == "PATCH"
            else None
        ),
    )
    page.goto(task_url)
    assert all("ERR_CONNECTION_RESET" in e for e in ana.errors)  # the drop made above
    ana.errors.clear()
    form = page.locator("#requirement-" + str(requirement_id(credential, "video")))
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_label("Every student shown has consent on file").check()
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Added “lesson.webm” to “Classroom video”.")).to_be_visible()
    ana.check()
    assert after[0] == CHUNK, after  # went on from where the server had it
    # The pieces after the first grow while they go up fast (a second or less each here).
    pieces = [end - start for start, end in zip(after, [*after[1:], len(video)], strict=True)]
    assert pieces[0] == CHUNK and max(pieces) > CHUNK, after
    evidence = Evidence.objects.get()
    assert evidence.size == len(video)
    assert not UploadSession.objects.exists()
