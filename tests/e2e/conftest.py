"""Browser journeys: Playwright driving Debian's Chromium against the live server on PostgreSQL.

Each journey saves screenshots of its key steps under test-artifacts/e2e/<test>/ and checks
every page it shows with axe-core (WCAG 2.1 A/AA); a violation fails the test.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# The flags the env skill gives for this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
AXE = Path(settings.BASE_DIR) / "tests" / "e2e" / ".node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "Mật-khẩu-thử-2026"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.skip("Chromium and axe-core are installed by `make test`; run it once")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Journey:
    """A person using the app: pages, steps with screenshots, and accessibility checks."""

    page: object
    base_url: str
    folder: Path
    errors: list[str] = field(default_factory=list)
    steps: int = 0
    # axe-core runs as JavaScript in the page; with JavaScript off the same pages are checked
    # by the journeys that have it on.
    javascript: bool = True

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/dang-nhap/")
        self.page.get_by_label("Tên đăng nhập hoặc email").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_url(re.compile(r".*/$"))

    def step(self, name: str) -> None:
        """Save a screenshot of what the person sees now and check it with axe-core."""
        self.page.wait_for_load_state("load")
        self.steps += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name}.png"), full_page=True)
        if self.javascript:
            self.check_accessibility(name)

    def check_accessibility(self, name: str) -> None:
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
                }));
            }""",
            AXE_TAGS,
        )
        assert not violations, f"axe-core on “{name}” ({self.page.url}):\n" + json.dumps(
            violations, ensure_ascii=False, indent=1
        )


def _journey(browser, live_server, request, **context_options) -> Iterator[Journey]:
    context = browser.new_context(locale="vi-VN", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    journey = Journey(
        page=page,
        base_url=live_server.url,
        folder=folder,
        javascript=context_options.get("java_script_enabled", True),
    )
    page.on("pageerror", lambda error: journey.errors.append(str(error)))
    page.on(
        "console",
        lambda message: journey.errors.append(message.text) if message.type == "error" else None,
    )
    yield journey
    context.close()
    # A JavaScript error or a CSP refusal in the browser is a failure too.
    assert not [e for e in journey.errors if "403" not in e and "404" not in e], journey.errors


# The live server needs committed rows, so journeys run in transactional tests; their flush would
# wipe the award catalogue the migrations seed, so the database is restored after each.
@pytest.fixture
def journey(
    browser, live_server, request, django_db_serialized_rollback, transactional_db
) -> Iterator[Journey]:
    yield from _journey(browser, live_server, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(
    browser, live_server, request, django_db_serialized_rollback, transactional_db
) -> Iterator[Journey]:
    """A phone-width screen (390 px, as an iPhone 12–15)."""
    yield from _journey(
        browser, live_server, request, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def no_js(
    browser, live_server, request, django_db_serialized_rollback, transactional_db
) -> Iterator[Journey]:
    yield from _journey(
        browser, live_server, request, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )


@pytest.fixture
def people(django_db_serialized_rollback, transactional_db, settings):
    """A small province: staff, two communes with officers, a cluster, a launched campaign."""
    from tests import factories

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    unit_a = factories.UnitFactory(name="Phường Phố Hiến", kind="commune")
    unit_b = factories.UnitFactory(name="Xã Hoàng Hoa Thám", kind="commune")
    staff = factories.make_staff(username="chuyenvien", full_name="Nguyễn Thị Thu Hằng")
    officer_a = factories.make_officer(unit=unit_a, username="canbo_a", full_name="Lê Thị Ngọc Ánh")
    officer_b = factories.make_officer(unit=unit_b, username="canbo_b", full_name="Trần Văn Bình")
    for user in (staff, officer_a, officer_b):
        user.set_password(PASSWORD)
        user.save()
    return {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "staff": staff,
        "officer_a": officer_a,
        "officer_b": officer_b,
    }
