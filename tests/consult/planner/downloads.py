"""Downloads are short-lived signed links: tests follow the link the page shows, as a person would."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any


def link_on(client: Any, page: str, path: str) -> str:
    """Return the href on page whose path is path (a signed download link), failing if there is none."""
    body = client.get(page).get_data(as_text=True)
    hrefs = [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', body)]
    found = [h for h in hrefs if h.split("?", 1)[0] == path]
    assert found, f"no link to {path} on {page}"
    assert "sig=" in found[0], f"the link to {path} on {page} is not signed"
    return found[0]


def download(client: Any, page: str, path: str, **kwargs: Any) -> Any:
    """Open page, follow its link to path, and return the response."""
    return client.get(link_on(client, page, path), **kwargs)


def signed_link(app: Any, email: str, endpoint: str, **values: Any) -> str:
    """Return a signed link for a member of staff, made as the page would make it (for pages that hide it)."""
    from flask import url_for
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import User
    from consult.services.signed_links import PARAM, sign

    user_id = db.session.scalar(select(User.id).where(User.email == email))
    with app.test_request_context():
        return url_for(endpoint, **values, **{PARAM: sign(endpoint, user_id, **values)})
