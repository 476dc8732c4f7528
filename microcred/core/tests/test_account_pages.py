"""The account pages speak the product's language and show what went wrong."""

from __future__ import annotations


def test_a_refused_new_email_says_why_and_keeps_what_was_typed(client, educator_ana):
    client.force_login(educator_ana)
    response = client.post("/accounts/email/", {"action_add": "", "email": "not-an-address"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert 'value="not-an-address"' in page
    assert 'aria-invalid="true"' in page


def test_the_email_page_names_the_fields_as_people_say_them(client, educator_ana):
    client.force_login(educator_ana)
    page = client.get("/accounts/email/").content.decode()
    assert "<h1>Your email address</h1>" in page
    assert ">New email</label>" in page
    assert "Change Email" not in page and "Change to:" not in page


def test_the_password_pages_speak_the_product_s_language(client, educator_ana):
    client.force_login(educator_ana)
    page = client.get("/accounts/password/change/").content.decode()
    assert "<h1>Change your password</h1>" in page
    assert "Change Password" not in page
    # Signed in, the reset page points to the change form instead of a bare "note".
    page = client.get("/accounts/password/reset/").content.decode()
    assert "<h1>Reset your password</h1>" in page
    assert 'href="/accounts/password/change/"' in page
    assert "Please contact us" not in page
    client.logout()
    page = client.get("/accounts/password/reset/").content.decode()
    assert "Send the link" in page and "You are signed in" not in page
