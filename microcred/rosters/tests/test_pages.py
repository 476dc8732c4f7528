"""The roster pages: upload → report (nothing changed) → confirm → applied by the task, with
the progress shown while it runs; the history; the role map; bad uploads; other districts."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from microcred.core.models import AuditEvent, Membership, Organization, Role, User
from microcred.rosters import services
from microcred.rosters.models import RosterImport, RosterLink, RosterSettings
from microcred.rosters.tasks import apply_roster

pytestmark = pytest.mark.django_db

PACKAGES = Path(__file__).parent / "packages"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def zipped(name: str, filename: str = "") -> SimpleUploadedFile:
    """A package folder of the tests, zipped as a district would upload it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((PACKAGES / name).iterdir()):
            archive.write(path, path.name)
    return SimpleUploadedFile(filename or f"{name}.zip", buffer.getvalue(), "application/zip")


def upload(client, slug: str, package: SimpleUploadedFile):
    return client.post(reverse("rosters:imports", args=[slug]), {"package": package})


@pytest.fixture
def adam(client, admin_adam):
    client.force_login(admin_adam)
    return client


def test_upload_shows_the_report_and_changes_nothing_until_confirmed(
    adam, north, admin_adam, django_capture_on_commit_callbacks
):
    response = upload(adam, north.slug, zipped("valid_12", "fall roster.zip"))
    record = RosterImport.objects.get(organization=north)
    assert response.status_code == 302
    assert response["Location"] == reverse("rosters:import", args=[north.slug, record.pk])
    page = adam.get(response["Location"]).content.decode()
    assert "What this import will do" in page
    assert "2 schools, 2 of them new" in page
    # Teachers (2) and the site administrator (1) get memberships; the aide and the student do not.
    assert "3 people get a membership; 3 of them are new here" in page
    assert "<td>teacher</td><td>2</td><td>2</td><td>Educator</td>" in page
    assert "<td>student</td><td>1</td><td>1</td><td>Not imported</td>" in page
    assert record.state == RosterImport.State.VALIDATED and record.package
    assert not RosterLink.objects.filter(root=north).exists()
    assert not User.objects.filter(email="tara.teach@lakeland.example").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    record.refresh_from_db()
    assert record.state == RosterImport.State.APPLIED
    tara = User.objects.get(email="tara.teach@lakeland.example")
    assert Membership.objects.filter(
        user=tara, role=Role.EDUCATOR, organization__name="Oak School"
    ).exists()
    assert not User.objects.filter(email="al.aide@lakeland.example").exists()
    assert not record.package and not default_storage.listdir("rosters")[1]  # the file is gone
    page = adam.get(response["Location"]).content.decode()
    assert "People added</dt><dd>3</dd>" in page
    assert "Tara Teach" in page
    verbs = list(AuditEvent.objects.filter(actor=admin_adam).values_list("verb", flat=True))
    assert {"roster.checked", "roster.confirmed", "roster.imported"} <= set(verbs)
    history = adam.get(reverse("rosters:imports", args=[north.slug])).content.decode()
    assert "fall roster.zip" in history and "Applied" in history


def test_a_package_with_errors_is_refused_with_each_problem_located(adam, north):
    response = upload(adam, north.slug, zipped("errors_12"))
    record = RosterImport.objects.get(organization=north)
    assert record.state == RosterImport.State.REFUSED
    assert not record.package and not default_storage.listdir("rosters")[1]
    page = adam.get(response["Location"]).content.decode()
    errors = [p for p in record.problems if p["severity"] == "error"]
    assert f"{len(errors)} errors" in page and "Nothing was changed." in page
    assert "Confirm and import" not in page
    first = errors[0]
    assert f'<td>{first["file"]}</td><td data-label="Line">{first["line"]}</td>' in page
    # Every problem, in a CSV to fix them from.
    download = adam.get(reverse("rosters:import-problems", args=[north.slug, record.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0] == ["file", "line", "column", "severity", "problem"]
    assert len(rows) - 1 == len(record.problems)
    # A forced confirmation is refused, and nothing is imported.
    adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    record.refresh_from_db()
    assert record.state == RosterImport.State.REFUSED
    assert not RosterLink.objects.filter(root=north).exists()


@pytest.mark.parametrize(
    ("package", "message"),
    [
        (SimpleUploadedFile("roster.zip", b"", "application/zip"), "The file is empty."),
        (
            SimpleUploadedFile("users.csv", b"sourcedId,email\nt1,a@b.example\n", "text/csv"),
            "“users.csv” is a plain text. Upload one of: a ZIP file (the OneRoster CSV export).",
        ),
        (None, "Choose the roster zip to check."),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(adam, north, package, message):
    data = {"package": package} if package is not None else {}
    response = adam.post(reverse("rosters:imports", args=[north.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_double_confirmation_applies_once(
    adam, north, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    upload(adam, north.slug, zipped("valid_12"))
    record = RosterImport.objects.get()
    confirm = reverse("rosters:import-confirm", args=[north.slug, record.pk])
    with django_capture_on_commit_callbacks(execute=True):
        adam.post(confirm)
        second = adam.post(confirm, follow=True)
    assert "This import is confirmed, waiting for the worker: it cannot be confirmed." in (
        second.content.decode()
    )
    assert AuditEvent.objects.filter(verb="roster.confirmed").count() == 1
    queued = DBTaskResult.objects.get()  # one task, for the worker
    assert queued.task_path == "microcred.rosters.tasks.apply_roster"
    assert queued.args_kwargs["args"] == [record.pk]
    assert apply_roster.call(record.pk) == RosterImport.State.APPLIED
    assert apply_roster.call(record.pk) == RosterImport.State.APPLIED  # run again: nothing
    assert AuditEvent.objects.filter(verb="roster.imported").count() == 1


def test_the_progress_shows_while_the_worker_applies_it(
    adam, north, settings, django_capture_on_commit_callbacks
):
    """Confirmed, the import waits for the worker with a progress bar the page polls; the
    worker tells its progress after each batch; then the page shows what changed."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.ROSTER_BATCH = 2
    upload(adam, north.slug, zipped("valid_12"))
    record = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    part = reverse("rosters:import-progress", args=[north.slug, record.pk])
    queued = adam.get(part).content.decode()
    assert 'hx-trigger="every 1s"' in queued and "Waiting to start" in queued
    assert 'max="5" value="0"' in queued and "0 of 5 people (0%)" in queued
    seen = []
    real = services.roster_apply

    def watching(**kwargs):
        told = kwargs["progress"]

        def progress(done: int, total: int) -> None:
            told(done, total)
            seen.append(adam.get(part).content.decode())

        return real(**{**kwargs, "progress": progress})

    services.roster_apply = watching
    try:
        apply_roster.call(record.pk)  # what the worker runs (the browser journey runs a worker)
    finally:
        services.roster_apply = real
    record.refresh_from_db()
    assert record.state == RosterImport.State.APPLIED
    assert ['value="2"' in s for s in seen] == [True, False, False]
    assert "2 of 5 people (40%)" in seen[0] and "Importing" in seen[0]
    assert "4 of 5 people (80%)" in seen[1]
    done = adam.get(part, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"  # the whole page again, with its new state
    done = done.content.decode()
    assert "hx-trigger" not in done and "People added</dt><dd>3</dd>" in done
    assert cache.get(f"roster-progress:{record.pk}") is None


def test_a_failure_while_applying_changes_nothing_and_says_so(
    adam, north, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    upload(adam, north.slug, zipped("valid_12"))
    record = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    # The database fails part way, after the schools, people, links and memberships are
    # written.
    real = services._apply_batch

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("the database went away")

    services._apply_batch = failing
    try:
        apply_roster.call(record.pk)
    finally:
        services._apply_batch = real
    record.refresh_from_db()
    assert record.state == RosterImport.State.FAILED and "nothing was changed" in record.failure
    assert not record.package  # the file is not kept: it is uploaded again
    assert not Organization.objects.filter(name="Oak School").exists()
    assert not User.objects.filter(email="tara.teach@lakeland.example").exists()
    page = adam.get(reverse("rosters:import", args=[north.slug, record.pk])).content.decode()
    assert "The import failed; nothing was changed</h2>" in page
    assert AuditEvent.objects.filter(verb="roster.failed").count() == 1


def test_the_role_map_is_edited_and_used_by_the_next_import(
    adam, north, admin_adam, django_capture_on_commit_callbacks
):
    url = reverse("rosters:roles", args=[north.slug])
    form = adam.get(url).content.decode()
    assert 'name="teacher"' in form and 'name="siteadministrator"' in form
    choices = {role: services.role_map_of(north)[role] for role in services.ONEROSTER_ROLES}
    bad = adam.post(url, {**choices, "aide": "issuer"})
    assert bad.status_code == 400
    assert (
        "Choose what aide becomes: an educator, a school leader or nobody." in bad.content.decode()
    )
    assert not RosterSettings.objects.exists()
    saved = adam.post(url, {**choices, "aide": Role.EDUCATOR, "siteadministrator": ""})
    assert saved.status_code == 302
    assert services.role_map_of(north)["aide"] == Role.EDUCATOR
    assert AuditEvent.objects.filter(verb="roster.roles_set", actor=admin_adam).count() == 1
    response = upload(adam, north.slug, zipped("valid_12"))
    page = adam.get(response["Location"]).content.decode()
    assert "<td>aide</td><td>2</td><td>2</td><td>Educator</td>" in page
    record = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        adam.post(reverse("rosters:import-confirm", args=[north.slug, record.pk]))
    al = User.objects.get(email="al.aide@lakeland.example")
    assert Membership.objects.filter(user=al, role=Role.EDUCATOR).exists()
    assert not User.objects.filter(email="ada.admin@lakeland.example").exists()


def test_the_role_map_refuses_roles_a_roster_may_not_give(north, admin_adam):
    from microcred.core.errors import Invalid

    with pytest.raises(Invalid, match="not “issuer”"):
        services.role_map_set(actor=admin_adam, organization=north, role_map={"teacher": "issuer"})
    with pytest.raises(Invalid, match="Not a OneRoster role: janitor"):
        services.role_map_set(actor=admin_adam, organization=north, role_map={"janitor": ""})


def test_other_districts_schools_and_other_roles_get_nothing(client, world, north, admin_adam):
    client.force_login(admin_adam)
    upload(client, north.slug, zipped("valid_12"))
    record = RosterImport.objects.get()
    south_admin = world.south.people[Role.ADMIN]
    client.force_login(south_admin)
    for name in ("rosters:import", "rosters:import-progress", "rosters:import-problems"):
        assert client.get(reverse(name, args=[north.slug, record.pk])).status_code == 404
        # Its own district in the URL does not reach another's import either.
        assert (
            client.get(reverse(name, args=[world.south.organization.slug, record.pk])).status_code
            == 404
        )
    assert (
        client.post(reverse("rosters:import-confirm", args=[north.slug, record.pk])).status_code
        == 404
    )
    # A school is not imported into.
    client.force_login(admin_adam)
    assert client.get(reverse("rosters:imports", args=[world.north.school.slug])).status_code == 404
    # A school leader of the district may not import.
    client.force_login(world.north.people[Role.LEADER])
    assert client.get(reverse("rosters:imports", args=[north.slug])).status_code == 403
    record.refresh_from_db()
    assert record.state == RosterImport.State.VALIDATED


def test_the_history_is_paged_and_reads_a_constant_number_of_queries(
    adam, north, admin_adam, django_assert_max_num_queries
):
    from microcred.rosters.oneroster import Roster

    empty = Roster(version="1.2", modes={}, orgs=[], users=[], problems=[])
    for n in range(30):
        services.roster_check(actor=admin_adam, organization=north, name=f"r{n}.zip", roster=empty)
    url = reverse("rosters:imports", args=[north.slug])
    with django_assert_max_num_queries(12):
        first = adam.get(url).content.decode()
    assert "r29.zip" in first and "r4.zip" not in first and "Page 1 of 2" in first
    assert "r4.zip" in adam.get(url + "?page=2").content.decode()
