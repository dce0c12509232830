"""An admin gives a member of staff the safeguarding role and ends one of their sessions (issue 15)."""

from __future__ import annotations

import re

from tests.browser.conftest import login_as, shows


def test_admin_changes_roles_and_ends_a_session(live_server, new_page, check_axe, shot) -> None:  # type: ignore[no-untyped-def]
    moderator = new_page()  # the moderator is signed in somewhere else
    login_as(moderator, live_server, "moderator@glenbrae.example")

    admin = new_page()
    login_as(admin, live_server, "admin@glenbrae.example")
    admin.goto(f"{live_server}/admin/users")
    admin.get_by_role("link", name="Niamh Moderator").click()
    assert admin.get_by_role("heading", level=1).inner_text() == "Niamh Moderator"
    assert admin.get_by_role("button", name=re.compile("End this session")).count() >= 1
    check_axe(admin)

    admin.get_by_label("Safeguarding lead").check()
    admin.get_by_role("button", name="Save roles").click()
    assert shows(admin, "Saved the roles of Niamh Moderator.")
    assert admin.get_by_label("Safeguarding lead").is_checked()
    shot(admin, "admin-user-roles-saved")

    # Taking every role away is refused on the field, and what was ticked stays ticked.
    admin.get_by_label("Safeguarding lead").uncheck()
    admin.get_by_label("Moderator").uncheck()
    admin.get_by_role("button", name="Save roles").click()
    assert shows(admin, "There is a problem")
    assert admin.locator("#roles-error").inner_text().endswith("Choose at least one role")
    check_axe(admin)
    shot(admin, "admin-user-roles-error")

    admin.goto(f"{live_server}/admin/users")
    admin.get_by_role("link", name="Niamh Moderator").click()
    admin.get_by_role("button", name=re.compile("End this session")).first.click()
    assert shows(admin, "Ended one session of Niamh Moderator.")
    moderator.goto(f"{live_server}/planner/moderation")
    assert "/staff/login" in moderator.url  # that session no longer works
