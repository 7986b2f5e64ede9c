"""The dashboard in headless Chromium: log in, overview, data map -> asset -> field.

Debian's chromium through Playwright (never `playwright install`); screenshots are saved under
the test's tmp dir as artifacts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sensor_console.auth import add_user
from sensor_console.server import ConsoleServer
from tests.console.builders import auth, batch, data_asset, flow
from tests.harness.prereq import require

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page() -> Iterator[Any]:
    require(os.access(CHROMIUM, os.X_OK), "Debian chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright Python package is not installed")
        raise
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def test_data_map_to_asset_to_field(
    console: ConsoleServer, stub: Any, browser_page: Any, tmp_path: Path
) -> None:
    stub.PushBatch(
        batch(
            [flow(), flow("/orders", source="checkout", destination="orders")],
            assets=[data_asset()],
        ),
        metadata=auth(),
        timeout=5,
    )
    assert console.store is not None
    console.store.write(lambda c: add_user(c, "viewer", "a long test password", "readonly"))
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page = browser_page

    page.goto(console.url + "/map")
    assert page.url.endswith("/login?next=/map")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "a long test password")
    page.click("button[type=submit]")
    page.wait_for_url(console.url + "/map")
    page.screenshot(path=str(shots / "datamap.png"), full_page=True)
    assert page.locator("svg a.node").count() == 3  # checkout, users, orders
    page.locator("svg a.node", has_text="shop/users").click()
    page.wait_for_url("**/assets/*")
    assert page.locator("h1").inner_text() == "shop/users"
    page.screenshot(path=str(shots / "asset.png"), full_page=True)
    page.locator("a", has_text="$.customer.email").first.click()
    page.wait_for_url("**/fields/*")
    assert page.locator("h1").inner_text() == "$.customer.email"
    assert page.locator("td code", has_text="email").count() == 1
    page.screenshot(path=str(shots / "field.png"), full_page=True)

    for path in ("/", "/datatypes", "/datastores", "/events", "/sensors"):
        page.goto(console.url + path)
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(shots / f"{path.strip('/') or 'overview'}.png"), full_page=True)
    assert all((shots / name).stat().st_size > 1000 for name in os.listdir(shots))
    assert len(os.listdir(shots)) == 8
