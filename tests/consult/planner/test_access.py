"""Who may see what: planner pages need the planner role; the moderation queue needs the moderator."""

from __future__ import annotations

import pytest

from tests.consult.planner.downloads import download

EXPORTS = (".csv", ".xlsx", ".pdf")


def _planner_urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    c = world.consultation.id
    priority = world.consultation.plan.priorities[0].id
    return [f"/planner/c/{c}/", f"/planner/c/{c}/population", f"/planner/c/{c}/themes",
            f"/planner/c/{c}/themes/{world.places.id}", f"/planner/c/{c}/answers/{world.quote.id}",
            f"/planner/c/{c}/code-next", f"/planner/c/{c}/trace", f"/planner/c/{c}/trace.csv",
            f"/planner/c/{c}/priorities/{priority}", f"/planner/c/{c}/we-did", f"/planner/c/{c}/pack",
            f"/planner/c/{c}/pack.csv", f"/planner/c/{c}/pack.xlsx", f"/planner/c/{c}/pack.pdf"]


def test_anonymous_people_are_sent_to_sign_in(world, client) -> None:
    for url in [*_planner_urls(world), "/planner/moderation"]:
        r = client.get(url)
        assert r.status_code == 302 and "/staff/login" in r.location, url


@pytest.mark.parametrize("role", ["tsi", "safeguarding", "moderator"])
def test_other_roles_are_forbidden_planner_pages(world, as_role, role) -> None:
    client = as_role(role)
    for url in _planner_urls(world):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["planner", "admin"])
def test_planners_and_admins_reach_planner_pages(world, as_role, role) -> None:
    client = as_role(role)
    for url in _planner_urls(world):
        if url.endswith(EXPORTS):
            assert client.get(url).status_code == 404, f"{url} without a signed link"
            assert download(client, url.rsplit(".", 1)[0], url).status_code == 200, url
        else:
            assert client.get(url).status_code == 200, url


def test_posts_without_the_role_change_nothing(world, as_role) -> None:
    client = as_role("tsi")
    c = world.consultation.id
    for url in (f"/planner/c/{c}/themes/run", f"/planner/c/{c}/publish",
                f"/planner/c/{c}/themes/{world.places.id}/rename"):
        assert client.post(url, data={"name": "x"}).status_code in (400, 403), url


def test_unknown_ids_are_not_found(world, as_role) -> None:
    client = as_role("planner")
    c = world.consultation.id
    for url in ("/planner/c/9999/", f"/planner/c/{c}/themes/9999", f"/planner/c/{c}/answers/9999"):
        assert client.get(url).status_code == 404, url


def test_moderation_queue_is_for_moderators(world, as_role) -> None:
    assert as_role("planner").get("/planner/moderation").status_code == 403
