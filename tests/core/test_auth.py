from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories

LOGIN_URL = "/dang-nhap/"
PASSWORD = factories.PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


class _FormErrors(HTMLParser):
    """Collects the text of the login form's non-field error box."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif tag == "div" and ("class", "form-errors") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def _form_errors(html: str) -> str:
    parser = _FormErrors()
    parser.feed(html)
    return " ".join("".join(parser.text).split())


# --- Signing in ---------------------------------------------------------------------------


def test_login_page_is_public(client):
    """An anonymous visitor can open the sign-in page."""
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert 'name="username"' in response.text


def test_login_by_username(client, officer_a):
    """A user signs in with their username and lands on the home page."""
    response = _login(client, "canbo_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in_user_id(client) == str(officer_a.pk)


@pytest.mark.parametrize("typed", ["canbo_a@thidua.example.vn", "CanBo_A@ThiDua.Example.VN"])
def test_login_by_email_in_any_case(client, officer_a, typed):
    """A user can sign in with their e-mail address, whatever its letter case."""
    response = _login(client, typed)
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(officer_a.pk)


def test_login_follows_next(client, officer_a):
    """After signing in, the user goes back to the page that asked for it."""
    response = client.post(
        LOGIN_URL, {"username": "canbo_a", "password": PASSWORD, "next": "/don-vi/?kind=commune"}
    )
    assert response["Location"] == "/don-vi/?kind=commune"


def test_login_refuses_an_outside_next(client, officer_a):
    """A `next` pointing to another site is ignored (no open redirect)."""
    response = client.post(
        LOGIN_URL, {"username": "canbo_a", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("home")


def test_username_is_case_sensitive(client, officer_a):
    """Usernames, unlike e-mail addresses, must be typed in their own case."""
    response = _login(client, "CANBO_A")
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_wrong_password_keeps_the_username_and_shows_an_error(client, officer_a):
    """A wrong password re-shows the form with the username filled in and an error box."""
    response = _login(client, "canbo_a", "sai-mat-khau")
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None
    assert re.search(r'name="username"[^>]*value="canbo_a"', response.text)
    assert _form_errors(response.text)


def test_wrong_password_error_is_in_vietnamese(client, officer_a):
    """The sign-in error is written in Vietnamese, the interface's default language."""
    response = _login(client, "canbo_a", "sai-mat-khau")
    errors = _form_errors(response.text)
    assert "mật khẩu không đúng" in errors
    assert "password" not in errors.lower()


def test_unknown_user_gets_the_same_error_as_a_wrong_password(client, officer_a):
    """The error does not tell whether the account exists."""
    wrong_password = _form_errors(_login(client, "canbo_a", "sai-mat-khau").text)
    unknown_user = _form_errors(_login(Client(), "khong-ton-tai", "sai-mat-khau").text)
    assert wrong_password == unknown_user


def test_inactive_user_is_refused(client, officer_a):
    """A deactivated account cannot sign in, even with the right password."""
    officer_a.is_active = False
    officer_a.save()
    response = _login(client, "canbo_a")
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None


def test_login_name_matching_two_accounts_signs_in_neither(client, officer_a):
    """A login name matching two accounts (one's username, the other's e-mail) signs in neither."""
    factories.UserFactory(username="canbo_a@thidua.example.vn", email="")
    response = _login(client, "canbo_a@thidua.example.vn")
    assert _signed_in_user_id(client) is None
    assert response.status_code == 200


def test_signed_in_user_visiting_login_is_sent_home(client, officer_a):
    """The sign-in page sends an already signed-in user to the home page."""
    client.force_login(officer_a)
    response = client.get(LOGIN_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- Throttling (django-axes) -------------------------------------------------------------


def test_lockout_after_too_many_failures(client, officer_a):
    """After AXES_FAILURE_LIMIT failures, even the right password is refused with the lockout page."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "canbo_a", "sai-mat-khau")
    response = _login(client, "canbo_a")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert reverse("password_reset") in response.text
    assert "Tạm khóa đăng nhập" in response.text
    assert _signed_in_user_id(client) is None


def test_failures_below_the_limit_do_not_lock(client, officer_a):
    """One failure fewer than the limit still lets the right password in."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "canbo_a", "sai-mat-khau")
    response = _login(client, "canbo_a")
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(officer_a.pk)


def test_lockout_is_per_username(client, officer_a, officer_b):
    """A lock on one username does not block another account from the same address."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "canbo_a", "sai-mat-khau")
    response = _login(Client(), "canbo_b")
    assert response.status_code == 302


# --- Signing out and passwords --------------------------------------------------------------


def test_logout_needs_post(client, officer_a):
    """GET on the sign-out URL does nothing (405); POST signs out and goes to the sign-in page."""
    client.force_login(officer_a)
    assert client.get(reverse("logout")).status_code == 405
    assert _signed_in_user_id(client) == str(officer_a.pk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert _signed_in_user_id(client) is None


def test_password_change(client, officer_a):
    """A signed-in user changes their password by giving the old one; the new one works."""
    client.force_login(officer_a)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Hoa-sen-no-2026!",
            "new_password2": "Hoa-sen-no-2026!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password("Hoa-sen-no-2026!")
    # The session survives the change.
    assert client.get(reverse("password_change_done")).status_code == 200


def test_password_change_refuses_a_wrong_old_password(client, officer_a):
    """The old password must be right; the form is shown again with 200."""
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "Hoa-sen-no-2026!", "new_password2": "Hoa-sen-no-2026!"},
    )
    assert response.status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_password_change_enforces_minimum_length(client, officer_a):
    """A new password shorter than ten characters is refused."""
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab1!xyz", "new_password2": "Ab1!xyz"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def _request_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_a_working_link(client, officer_a):
    """The reset e-mail carries a link that lets the user choose a new password and sign in."""
    response = _request_reset(client, "CANBO_A@thidua.example.vn")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["canbo_a@thidua.example.vn"]
    assert "canbo_a" in message.body  # the username is reminded

    confirm = client.get(_reset_link(message), follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"] is True
    set_password_url = confirm.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "Lua-chin-vang-2026", "new_password2": "Lua-chin-vang-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    assert _login(Client(), "canbo_a", "Lua-chin-vang-2026").status_code == 302


def test_password_reset_link_works_once(client, officer_a):
    """A used reset link is no longer valid."""
    _request_reset(client, "canbo_a@thidua.example.vn")
    link = _reset_link(mail.outbox[0])
    confirm = client.get(link, follow=True)
    client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "Lua-chin-vang-2026", "new_password2": "Lua-chin-vang-2026"},
    )
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, officer_a):
    """An unknown address gets the same answer and no e-mail goes out."""
    response = _request_reset(client, "khong-co@thidua.example.vn")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_email_is_in_vietnamese(client, officer_a):
    """The reset e-mail's subject and greeting are Vietnamese and address the user by name."""
    _request_reset(client, "canbo_a@thidua.example.vn")
    message = mail.outbox[0]
    assert "mật khẩu" in message.subject.lower()
    assert message.body.startswith("Kính gửi Nguyễn Văn Ân,")
    assert "Dear" not in message.body


# --- Who can see what without signing in ------------------------------------------------------

PUBLIC_NAMES = {
    "login",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    # Calendar apps fetch the iCalendar feed without signing in; a secret token guards it.
    "reports:calendar_feed",
    # The benchmark's ceiling: a constant page with no data.
    "bench_ceiling",
}
_SAMPLE_ARGS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _project_urls() -> list[tuple[str, str]]:
    """(name, sample path) for every named route of the project's own apps (not the admin)."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE_ARGS[m.group(1) or "str"], route)
                found.append((f"{namespace}{entry.name}", "/" + path))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_the_url_walk_finds_the_app_pages():
    """The walk below really covers the screens (guards against an empty parametrisation)."""
    names = {name for name, _ in _project_urls()}
    assert {"home", "clusters:unit_list", "awards:person_detail", "login"} <= names


@pytest.mark.parametrize(
    ("name", "path"), [url for url in _project_urls() if url[0] not in PUBLIC_NAMES], ids=lambda v: v
)
def test_non_public_pages_redirect_anonymous_users_to_login(client, name, path):
    """Every page except the public ones sends an anonymous visitor to the sign-in page."""
    response = client.get(path)
    assert response.status_code == 302, name
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_admin_redirects_anonymous_users_to_its_login(client):
    """The administration asks anonymous visitors to sign in."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("path", ["/healthz", LOGIN_URL, "/quen-mat-khau/", "/quen-mat-khau/da-gui/"])
def test_public_pages_open_without_login(client, path):
    """Health check, sign-in and password reset pages need no account."""
    response = client.get(path)
    assert response.status_code in (200, 503)  # /healthz may report a broker outage
    assert "Location" not in response


def test_language_switch_is_public_and_switches_to_english(client):
    """POST /i18n/setlang/ works without an account and turns the interface into English."""
    before = client.get(LOGIN_URL)
    assert '<html lang="vi">' in before.text
    assert "Mật khẩu" in before.text  # Django's own catalogue translates the field label

    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    after = client.get(LOGIN_URL)
    assert '<html lang="en">' in after.text
    assert "Password" in after.text
    assert "Mật khẩu" not in after.text


def test_language_switch_for_a_signed_in_user(client, officer_a):
    """A signed-in user switching to English sees the pages in English."""
    client.force_login(officer_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("password_change"))
    assert '<html lang="en">' in response.text
    assert "Old password" in response.text
