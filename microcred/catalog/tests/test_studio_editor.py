"""The design studio's part editors over HTTP: list operations keep what was typed,
validation errors keep everything and save nothing, uploads are checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.catalog.models import CredentialVersion, Resource
from microcred.catalog.tests.factories import draft_credential, published_credential
from microcred.core.models import AuditEvent


def rubric_post(sections: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sections-count": str(len(sections)),
        "pass_rule": "all",
        "pass_min_sections": "",
    }
    for i, s in enumerate(sections):
        p = f"sections-{i}"
        data[f"{p}-name"] = s["name"]
        data[f"{p}-description"] = s.get("description", "")
        data[f"{p}-targets"] = s.get("targets", [])
        data[f"{p}-evidence"] = s.get("evidence", [])
        if s.get("passing") is not None:
            data[f"{p}-passing"] = str(s["passing"])
        levels = s.get(
            "levels",
            [("Not yet", "Missing."), ("Proficient", "Clear."), ("Exemplary", "Insightful.")],
        )
        data[f"{p}-levels-count"] = str(len(levels))
        for j, (name, descriptor) in enumerate(levels):
            data[f"{p}-levels-{j}-name"] = name
            data[f"{p}-levels-{j}-descriptor"] = descriptor
    data.update(extra)
    return data


@pytest.fixture
def draft(designer_dan, north):
    return draft_credential(designer_dan, north, complete=True)


@pytest.fixture
def dan_client(client, designer_dan):
    client.force_login(designer_dan)
    return client


def url(credential, part: str) -> str:
    return f"/studio/{credential.pk}/edit/{part}/"


def test_adding_a_section_keeps_unsaved_text_and_adds_default_levels(dan_client, draft):
    data = rubric_post([{"name": "Typed but not saved", "passing": 1}], op="add|sections|")
    response = dan_client.post(url(draft, "rubric"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Typed but not saved"' in html
    assert 'name="sections-count" value="2"' in html
    assert 'name="sections-1-levels-count" value="3"' in html
    assert 'value="Proficient"' in html
    assert 'data-focus="item-sections-1"' in html
    assert "errorlist" not in html  # list changes do not validate
    # Nothing was saved: the draft still has its three sections from the factory.
    assert draft.versions.get().sections.count() == 3


def test_moving_a_section_moves_its_levels_and_passing_choice(dan_client, draft):
    data = rubric_post(
        [
            {"name": "First", "passing": 1},
            {"name": "Second", "passing": 0, "levels": [("Low", "l"), ("High", "h")]},
        ],
        op="up|sections|1",
    )
    html = dan_client.post(url(draft, "rubric"), data).content.decode()
    assert html.index('value="Second"') < html.index('value="First"')
    assert html.index('value="Low"') < html.index('value="Not yet"')
    assert 'name="sections-0-passing" value="0" id="sections-0-levels-0-passing" checked' in html


def test_removing_a_level_below_the_passing_one_keeps_the_same_passing_level(dan_client, draft):
    data = rubric_post(
        [{"name": "Only", "passing": 2, "levels": [("A", "a"), ("B", "b"), ("C", "c")]}],
        op="remove|sections-0-levels|0",
    )
    html = dan_client.post(url(draft, "rubric"), data).content.decode()
    assert 'value="A"' not in html
    assert 'name="sections-0-passing" value="1" id="sections-0-levels-1-passing" checked' in html


def test_saving_a_ten_section_rubric(dan_client, draft):
    version = draft.versions.get()
    target = str(version.targets.first().pk)
    sections = [{"name": f"Section {n}", "passing": 1, "targets": [target]} for n in range(1, 11)]
    response = dan_client.post(url(draft, "rubric"), rubric_post(sections, then="stay"))
    assert response.status_code == 302
    saved = list(version.sections.order_by("position"))
    assert [s.name for s in saved] == [f"Section {n}" for n in range(1, 11)]
    assert {s.passing_level.name for s in saved} == {"Proficient"}
    assert all(s.levels.count() == 3 for s in saved)


def test_duplicate_names_and_missing_descriptor_keep_everything_and_save_nothing(dan_client, draft):
    version = draft.versions.get()
    before_sections = list(version.sections.values_list("name", flat=True))
    before_events = AuditEvent.objects.count()
    data = rubric_post(
        [
            {"name": "Planning", "passing": 1},
            {"name": "planning", "passing": 1},
            {
                "name": "Feedback",
                "passing": 1,
                "levels": [("Not yet", ""), ("Proficient", "Clear.")],
            },
            {"name": "No passing"},
        ],
        then="stay",
    )
    response = dan_client.post(url(draft, "rubric"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved yet" in html
    assert "Section 2 has the same name as section 1" in html
    assert "Describe what work at this level looks like." in html
    assert "Section 4 has no passing level" in html
    for typed in ('value="Planning"', 'value="planning"', 'value="Feedback"', 'value="No passing"'):
        assert typed in html
    assert list(version.sections.values_list("name", flat=True)) == before_sections
    assert AuditEvent.objects.count() == before_events


def test_reordering_targets_keeps_their_rubric_links(dan_client, draft):
    version = draft.versions.get()
    t1, t2 = version.targets.order_by("position")
    section_targets_before = {
        s.name: set(s.targets.values_list("pk", flat=True)) for s in version.sections.all()
    }
    data = {
        "targets-count": "2",
        "targets-0-id": str(t2.pk),
        "targets-0-text": t2.text,
        "targets-1-id": str(t1.pk),
        "targets-1-text": t1.text + " (edited)",
        "standards-count": "0",
        "then": "stay",
    }
    assert dan_client.post(url(draft, "targets"), data).status_code == 302
    t1.refresh_from_db()
    t2.refresh_from_db()
    assert (t2.code, t1.code) == ("T1", "T2")
    assert t1.text.endswith("(edited)")
    assert {
        s.name: set(s.targets.values_list("pk", flat=True)) for s in version.sections.all()
    } == section_targets_before


def test_basics_errors_are_specific_and_keep_input(dan_client, draft):
    data = {
        "title": "",
        "summary": "Kept summary",
        "competency": "c",
        "key_method": "k",
        "subject": "math",
        "grade_band": "3-5",
        "estimated_hours": "-2",
        "credit_hours": "abc",
        "then": "stay",
    }
    response = dan_client.post(url(draft, "basics"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the credential a title." in html
    assert "Estimate at least half an hour (0.5)." in html
    assert "Enter the credit hours as a number, e.g. 1.5." in html
    assert "Kept summary" in html
    assert draft.versions.get().title == "Exit tickets"


PARTS = [
    ("basics", "Basics"),
    ("targets", "Targets"),
    ("rubric", "Rubric"),
    ("resources", "Resources"),
    ("task", "Task &amp; reflections"),
    ("evidence", "Evidence"),
]


def test_the_part_tabs_name_the_six_parts_in_order_and_open_each_editor(dan_client, draft):
    for part, _ in PARTS:
        response = dan_client.get(url(draft, part))
        assert response.status_code == 200
        tabs = response.content.decode().split('aria-label="Parts of the credential"')[1]
        tabs = tabs.split("</nav>")[0]
        links = re.findall(r'href="/studio/\d+/edit/([a-z]+)/"( aria-current="page")?', tabs)
        assert [key for key, _ in links] == [key for key, _ in PARTS]
        assert [key for key, current in links if current] == [part]
        for key, title in PARTS:
            assert re.search(rf'/edit/{key}/".*?</span>{re.escape(title)}<span', tabs)


def test_save_and_continue_goes_to_the_next_part(dan_client, draft):
    version = draft.versions.get()
    data = {
        "task_title": "New task",
        "task_instructions": "Do it.",
        "pre-count": "1",
        "pre-0-text": "Before?",
        "post-count": "1",
        "post-0-text": "After?",
        "then": "next",
    }
    response = dan_client.post(url(draft, "task"), data)
    assert response.status_code == 302 and response["Location"] == url(draft, "evidence")
    version.refresh_from_db()
    assert version.task_title == "New task"
    assert list(version.prompts.values_list("phase", "text")) == [
        ("post", "After?"),
        ("pre", "Before?"),
    ]


def test_evidence_without_description_is_refused(dan_client, draft):
    data = {
        "evidence-count": "1",
        "evidence-0-title": "Video",
        "evidence-0-kind": "video",
        "evidence-0-min_count": "1",
        "evidence-0-max_count": "1",
        "evidence-0-description": "",
        "then": "stay",
    }
    response = dan_client.post(url(draft, "evidence"), data)
    assert response.status_code == 400
    assert "Describe what the educator submits." in response.content.decode()
    assert draft.versions.get().evidence_requirements.get().title == "Sorted exit tickets"


def _resource_post(upload, **extra: Any) -> dict[str, Any]:
    data = {
        "resources-count": "1",
        "resources-0-title": "Handout",
        "resources-0-kind": "file",
        "resources-0-description": "",
        "resources-0-url": "",
        "resources-0-file": upload,
        "then": "stay",
    }
    data.update(extra)
    return data


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files() -> list[str]:
    try:
        return default_storage.listdir("resources")[1]
    except FileNotFoundError:
        return []


def test_pdf_resource_is_stored_under_a_random_name_and_served_through_the_view(
    dan_client, draft, client
):
    upload = SimpleUploadedFile("Exit ticket bank.pdf", _pdf(), content_type="application/pdf")
    assert dan_client.post(url(draft, "resources"), _resource_post(upload)).status_code == 302
    resource = draft.versions.get().resources.get()
    assert resource.kind == Resource.Kind.FILE
    assert resource.file_name == "Exit ticket bank.pdf"
    assert resource.content_type == "application/pdf"
    assert "Exit" not in resource.file.name  # the stored key is random
    download = dan_client.get(f"/credentials/{draft.slug}/resources/{resource.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"
    # The draft's file is not public.
    client.logout()
    assert client.get(f"/credentials/{draft.slug}/resources/{resource.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "syllabus.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
            "“syllabus.pdf” is a Windows program",
        ),
        ("empty.pdf", b"", "“empty.pdf” is empty"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 60, "“archive.pdf” is a ZIP archive"),
    ],
)
def test_bad_resource_files_are_refused_with_a_message_and_leave_nothing(
    dan_client, draft, name, content, message
):
    before = list(draft.versions.get().resources.values_list("title", flat=True))
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = dan_client.post(url(draft, "resources"), _resource_post(upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="Handout"' in html  # the title typed is kept
    assert stored_files() == []
    assert list(draft.versions.get().resources.values_list("title", flat=True)) == before


def test_oversized_resource_is_refused_with_the_limit(dan_client, draft, settings):
    settings.RESOURCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile(
        "big.pdf", (_pdf() + b"0" * 2048)[:2048], content_type="application/pdf"
    )
    response = dan_client.post(url(draft, "resources"), _resource_post(upload))
    assert response.status_code == 400
    assert "“big.pdf” is 2.0\xa0KB; the limit is 1.0\xa0KB." in response.content.decode()
    assert stored_files() == []


def test_an_uploaded_file_survives_a_validation_error_elsewhere_on_the_page(dan_client, draft):
    upload = SimpleUploadedFile("bank.pdf", _pdf(), content_type="application/pdf")
    first = dan_client.post(
        url(draft, "resources"), _resource_post(upload, **{"resources-0-title": ""})
    )
    assert first.status_code == 400
    html = first.content.decode()
    assert "Current file: <strong>bank.pdf</strong>" in html
    token = html.split('name="resources-0-upload" value="')[1].split('"')[0]
    second = dan_client.post(
        url(draft, "resources"), _resource_post("", **{"resources-0-upload": token})
    )
    assert second.status_code == 302
    assert draft.versions.get().resources.get().file_name == "bank.pdf"


def test_forged_upload_token_is_not_trusted(dan_client, draft):
    response = dan_client.post(
        url(draft, "resources"),
        _resource_post("", **{"resources-0-upload": "resources/../../etc/passwd"}),
    )
    assert response.status_code == 400
    assert "choose a file to upload" in response.content.decode()


def test_incomplete_submit_lists_each_missing_part(dan_client, designer_dan, north):
    credential = draft_credential(designer_dan, north, complete=False)
    response = dan_client.post(f"/studio/{credential.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "This draft cannot go to review yet" in html
    assert "Learning targets: add at least one learning target." in html
    assert "Evidence: add at least one evidence requirement." in html
    assert credential.versions.get().state == CredentialVersion.State.DRAFT


def test_editor_of_a_published_version_sends_the_designer_to_start_a_new_version(
    dan_client, designer_dan, reviewer_rita, north
):
    credential = published_credential(designer_dan, reviewer_rita, north)
    response = dan_client.get(url(credential, "rubric"), follow=True)
    assert "Start a new version to make changes." in response.content.decode()


def test_unknown_part_and_garbled_operation(dan_client, draft):
    assert dan_client.get(url(draft, "nonsense")).status_code == 404
    response = dan_client.post(
        url(draft, "rubric"), rubric_post([{"name": "A", "passing": 1}], op="explode|sections|9")
    )
    assert response.status_code == 200
    assert "That item is no longer on the page" in response.content.decode()


def test_count_fields_are_bounded(dan_client, draft):
    response = dan_client.post(
        url(draft, "targets"),
        {"targets-count": "999999", "standards-count": "-4", "op": "add|standards|"},
    )
    assert response.status_code == 200
    assert 'name="targets-count" value="12"' in response.content.decode()


def test_list_with_maximum_items_refuses_to_grow(dan_client, draft):
    data = {"targets-count": "12", "standards-count": "0", "op": "add|targets|"}
    data.update({f"targets-{i}-text": f"I can do {i}." for i in range(12)})
    html = dan_client.post(url(draft, "targets"), data).content.decode()
    assert "A list can hold at most 12 targets." in html
