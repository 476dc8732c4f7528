"""Bulk invitations from a plain CSV: every row checked and reported with its line before
anything is sent; confirmed, the worker sends them all in one transaction, each as a single
invitation would be (its email, its audit event); the same file sent again invites nobody."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from microcred.core import services as core_services
from microcred.core.models import AuditEvent, Invitation, Role
from microcred.core.tests.factories import member
from microcred.rosters import invitations
from microcred.rosters.models import RosterImport

pytestmark = pytest.mark.django_db

GOOD = (
    "Email,Full Name,School,Role\n"
    "Ana.Ruiz@riverbend.example,Ana Ruiz,Maple Elementary,teacher\n"
    "dee.park@riverbend.example,Dee Park,maple elementary,School leader\n"
    "ben.cho@riverbend.example,Ben Cho,,assessor\n"
)


def csv_file(text: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, "text/csv")


@pytest.fixture
def adam(client, admin_adam):
    client.force_login(admin_adam)
    return client


def send(client, slug: str, text: str | bytes, name: str = "people.csv"):
    return client.post(
        reverse("rosters:invitations", args=[slug]), {"people": csv_file(text, name)}
    )


def test_a_file_is_checked_then_sent_once_confirmed(
    adam, north, world, admin_adam, django_capture_on_commit_callbacks
):
    response = send(adam, north.slug, GOOD)
    record = RosterImport.objects.get(kind=RosterImport.Kind.INVITATIONS)
    assert record.state == RosterImport.State.VALIDATED and record.problems == []
    page = adam.get(response["Location"]).content.decode()
    assert "3 invitations will be sent" in page
    assert "educator: 1" in page and "school leader: 1" in page and "assessor: 1" in page
    assert (
        not Invitation.objects.filter(email__endswith="riverbend.example")
        .exclude(email="x@example.org")
        .filter(full_name__gt="")
        .exists()
    )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    record.refresh_from_db()
    assert record.state == RosterImport.State.APPLIED and record.summary["invited"] == 3
    ana = Invitation.objects.get(email="ana.ruiz@riverbend.example")
    assert (ana.role, ana.organization, ana.full_name) == (
        Role.EDUCATOR,
        world.north.school,
        "Ana Ruiz",
    )
    ben = Invitation.objects.get(email="ben.cho@riverbend.example")
    assert (ben.role, ben.organization) == (Role.ASSESSOR, north)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.ruiz@riverbend.example",
        "ben.cho@riverbend.example",
        "dee.park@riverbend.example",
    ]
    assert any(m.body.startswith("Hello Ana Ruiz,") for m in mail.outbox)
    assert AuditEvent.objects.filter(verb="invitation.created", actor=admin_adam).count() == 3
    page = adam.get(reverse("rosters:import", args=[north.slug, record.pk])).content.decode()
    assert "Invitations sent</dt><dd>3</dd>" in page

    # The same file again: everyone has an open invitation, so nothing is to be sent.
    again = send(adam, north.slug, GOOD)
    second = RosterImport.objects.latest("pk")
    assert second.state == RosterImport.State.VALIDATED and second.summary["rows"] == 0
    assert [p["severity"] for p in second.problems] == ["warning"] * 3
    assert "there is nothing to send" in adam.get(again["Location"]).content.decode()


def test_every_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_sent(adam, north, world):
    member(world.north.school, Role.EDUCATOR, email="already@riverbend.example")
    text = (
        "email,name,school,role,favourite colour\n"  # 1: an unknown column (a warning)
        "not-an-email,No One,Maple Elementary,educator,blue\n"  # 2
        "a@riverbend.example,A,Maple Elementary,janitor,red\n"  # 3
        "b@riverbend.example,B,Mapel Elementary,educator,red\n"  # 4
        "c@riverbend.example,C,,coach,red\n"  # 5
        "d@riverbend.example,D,Maple Elementary,educator,red\n"  # 6
        "d@riverbend.example,D again,Maple Elementary,educator,red\n"  # 7
        "e@riverbend.example,E,Maple Elementary\n"  # 8
        f"f@riverbend.example,{'F' * 151},Maple Elementary,educator,red\n"  # 9
        "already@riverbend.example,Al,Maple Elementary,educator,red\n"  # 10
        ",,Maple Elementary,,\n"  # 11
        "g@riverbend.example,G,Harbor Elementary,educator,red\n"  # 12: another district's
    )
    response = send(adam, north.slug, text)
    record = RosterImport.objects.get()
    assert record.state == RosterImport.State.REFUSED and not record.package
    found = {(p["line"], p["field"], p["severity"]): p["message"] for p in record.problems}
    assert found == {
        (
            1,
            "favourite colour",
            "warning",
        ): "Unknown column “favourite colour” Its values were ignored.",
        (2, "email", "error"): "Not an email address: “not-an-email”.",
        (3, "role", "error"): "“janitor” is not a role. Use one of: educator, coach / mentor, "
        "assessor, issuer of record, credential designer, design review board, school leader, program admin.",
        (4, "school", "error"): "No school “Mapel Elementary” in Riverbend Unified. Did you mean "
        "“Maple Elementary”?",
        (5, "school", "error"): "A coach / mentor belongs to a school: give the school's name.",
        (7, "email", "error"): "d@riverbend.example is invited as educator on line 6 already.",
        (
            8,
            "",
            "error",
        ): "This row has 3 values but the header has 5 columns (fewer values than columns).",
        (9, "name", "error"): "The name is 151 characters long; the limit is 150.",
        (10, "email", "warning"): "already@riverbend.example is already an educator of Maple "
        "Elementary: left out.",
        (11, "email", "error"): "The email is empty.",
        (11, "role", "error"): "The role is empty. Use one of: educator, coach / mentor, assessor, "
        "issuer of record, credential designer, design review board, school leader, program admin.",
        (12, "school", "error"): "No school “Harbor Elementary” in Riverbend Unified. Did you "
        "mean “Maple Elementary”?",
    }
    page = adam.get(response["Location"]).content.decode()
    assert "10 errors and 2 warnings" in page and "Confirm and send" not in page
    assert not Invitation.objects.filter(email__endswith="@riverbend.example").exists()


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("", "people.csv", "The file is empty. Choose it again"),
        (b"PK\x03\x04" + b"\x00" * 64, "people.xlsx", "is a ZIP archive, not a CSV file."),
        (b"%PDF-1.4\n%%EOF\n", "people.pdf", "is a PDF, not a CSV file. In your spreadsheet"),
    ],
)
def test_files_that_are_not_csv_are_refused_with_what_to_do(adam, north, text, name, message):
    response = send(adam, north.slug, text, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_header_without_email_or_role_is_refused(adam, north):
    send(adam, north.slug, "mail,name,school\nx@y.example,X,\n")
    messages = [p["message"] for p in RosterImport.objects.get().problems]
    assert "Unknown column “mail”: did you mean “email”? Its values were ignored." in messages
    assert any(m.startswith("There is no email column") for m in messages)
    assert any(m.startswith("There is no role column") for m in messages)


def test_a_windows_spreadsheet_file_is_read_with_a_warning(adam, north):
    text = "email,name,school,role\nzoe@riverbend.example,Zoë Núñez,Maple Elementary,educator\n"
    send(adam, north.slug, text.encode("cp1252"))
    record = RosterImport.objects.get()
    assert record.state == RosterImport.State.VALIDATED
    assert record.problems[0]["message"].startswith("The file is not UTF-8")
    rows = invitations.read_invitations(text.encode("cp1252"), north).rows
    assert rows[0].name == "Zoë Núñez"


def test_someone_invited_between_the_check_and_the_sending_is_left_out(
    adam, north, admin_adam, world, django_capture_on_commit_callbacks
):
    send(adam, north.slug, GOOD)
    record = RosterImport.objects.get()
    core_services.invitation_create(
        actor=admin_adam,
        organization=world.north.school,
        email="ana.ruiz@riverbend.example",
        role=Role.EDUCATOR,
    )
    with django_capture_on_commit_callbacks(execute=True):
        adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    record.refresh_from_db()
    assert record.state == RosterImport.State.APPLIED and record.summary["invited"] == 2
    assert record.summary["skipped"] == [
        "ana.ruiz@riverbend.example already has an open invitation as educator to Maple "
        "Elementary: left out."
    ]
    assert Invitation.objects.filter(email="ana.ruiz@riverbend.example").count() == 1


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Teacher", Role.EDUCATOR),
        ("educator", Role.EDUCATOR),
        ("coach / mentor", Role.COACH),
        ("Principal", Role.LEADER),
        ("school leader", Role.LEADER),
        ("issuer", Role.ISSUER),
        ("Issuer of record", Role.ISSUER),
        ("designer", Role.DESIGNER),
        ("review board", Role.REVIEWER),
        ("program_admin", Role.ADMIN),
    ],
)
def test_the_role_words_the_page_lists_are_understood(word, role):
    assert invitations._role(word) == role
