"""Fixtures for planner pages: a small consultation and signed-in staff."""

from __future__ import annotations

import pytest

from tests.consult.planner.world import build_world


@pytest.fixture()
def world(app):  # type: ignore[no-untyped-def]
    """Return a small consultation with themes, codes, quotes and one flagged response."""
    return build_world()


@pytest.fixture()
def as_role(client, make_user, login):  # type: ignore[no-untyped-def]
    """Return a function that signs in a new user holding the roles and returns the client."""

    def sign_in(*roles: str):  # type: ignore[no-untyped-def]
        email = f"{'-'.join(roles)}@example.org"
        make_user(*roles, email=email)
        login(email)
        return client

    return sign_in
