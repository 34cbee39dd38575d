"""Browser tests of the viewer's web UI: one Debian chromium (driven by playwright) and one
seeded viewer per session; each test gets a fresh page.

chromium is a test peer: missing, the tests skip, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_here = str(Path(__file__).parent)
if _here not in sys.path:
    sys.path.insert(0, _here)

from ui_seed import Seeded, seed  # noqa: E402

from otel.testing import free_port  # noqa: E402
from otel.viewer._app import start_viewer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
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


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true (installed by scripts/setup.sh)")
    pytest.skip(f"{what} is not available")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        _missing(CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def ui_viewer() -> Iterator[Any]:

    v = start_viewer(
        ui_port=free_port(),
        otlp_http_port=free_port(),
        otlp_grpc_port=0,
        jaeger_udp_port=0,
        zipkin_port=0,
        db=":memory:",
    )
    try:
        yield v
    finally:
        v.stop(timeout_millis=5_000)


@pytest.fixture(scope="session")
def seeded(ui_viewer: Any) -> Seeded:
    return seed(f"http://127.0.0.1:{ui_viewer.ports['otlp_http']}")


@pytest.fixture(scope="session")
def base_url(ui_viewer: Any, seeded: Seeded) -> str:
    return str(ui_viewer.ui_url).rstrip("/")


class PageErrors:
    """JavaScript errors and dialogs seen by a page; a test fails if any appear."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page(browser: Any, base_url: str, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=base_url)
    page = context.new_page()
    seen = PageErrors()
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None)

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.set_default_timeout(10_000)
    page.seen = seen
    page.shots = tmp_path
    try:
        yield page
    finally:
        context.close()
    assert not seen.dialogs, f"a dialog opened: {seen.dialogs}"
    assert not seen.errors, f"JavaScript errors: {seen.errors}"
