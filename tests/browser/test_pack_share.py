"""A planner exports the evidence pack and shares a read-only view of it, then revokes the link."""

from __future__ import annotations

import time

from tests.browser.conftest import login_as, shows


def test_export_the_pack_and_share_a_link(live_server, new_page, check_axe, shot, tmp_path) -> None:
    base = live_server
    page = new_page(width=1280)
    login_as(page, base, "planner@glenbrae.example")
    page.goto(f"{base}/planner/")
    page.locator("table a[href*='/planner/c/']").first.click()
    page.get_by_role("link", name="Evidence pack").click()
    assert shows(page, "What people raised most")
    check_axe(page)
    shot(page, "pack-page")

    started = time.perf_counter()
    with page.expect_download(timeout=180_000) as got:  # laid out on the server: seconds, more on a busy machine
        page.get_by_role("link", name="PDF (tagged for screen readers)").click(timeout=180_000)
    pdf = tmp_path / "pack.pdf"
    got.value.save_as(pdf)
    print(f"evidence pack PDF: {pdf.stat().st_size} bytes in {time.perf_counter() - started:.1f} s")
    assert pdf.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Share a read-only view of the pack").click()
    assert shows(page, "Share a read-only view")
    check_axe(page)
    page.get_by_label("Who it is for (optional)").fill("Integration joint board")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make a link").click()
    assert shows(page, "Your link is ready")
    link = page.locator("#made-url").input_value()
    assert link.startswith("http://127.0.0.1:5000/shared/")  # built from GUTH_BASE_URL, never the Host header
    link = base + "/shared/" + link.split("/shared/", 1)[1]  # the test's server runs on another port
    check_axe(page)
    shot(page, "pack-share-made")

    visitor = new_page(width=375)
    visitor.goto(link)
    assert shows(visitor, "A read-only view shared by")
    assert "fewer than" in visitor.content() or "not shown" in visitor.content()
    check_axe(visitor)
    shot(visitor, "pack-shared-phone")

    page.get_by_role("button", name="Revoke Integration joint board").click()
    assert shows(page, "The link is revoked")
    visitor.goto(link)
    assert shows(visitor, "This link no longer works")
    check_axe(visitor)
