"""A small generic browser that answers a consultation by reading the pages it is given.

It parses each page's forms, picks the main one, fills it (a valid-looking choice for radios,
checkboxes and selects; text for text boxes), presses the main button and follows redirects,
until it reaches the confirmation page. Nothing about the questions is hard-coded, so it keeps
working as the respondent pages change. It drives either the Flask test client or a real HTTP
server on 127.0.0.1 (see HttpBrowser), and it never fills the honeypot field.
"""

from __future__ import annotations

import http.client
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

HONEYPOT = "website"
AVOID_BUTTONS = ("skip", "back", "change", "delete", "clear", "save", "remove", "sign_out", "logout", "kiosk")
TERMINAL_PATHS = ("/done",)


@dataclass
class Field:
    kind: str  # text, textarea, hidden, radio, checkbox, select, submit, other
    name: str
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False
    maxlength: int | None = None


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def buttons(self) -> list[Field]:
        return [f for f in self.fields if f.kind == "submit"]

    @property
    def inputs(self) -> list[Field]:
        return [f for f in self.fields if f.kind not in ("submit", "hidden")]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "form":
            self._form = Form(action=attrs.get("action", ""), method=attrs.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            name = attrs.get("name", "")
            if not name and kind != "submit":
                return
            maxlength = int(attrs["maxlength"]) if attrs.get("maxlength", "").isdigit() else None
            if kind in ("text", "email", "password", "search", "tel", "url", "number"):
                self._form.fields.append(Field("text", name, attrs.get("value", ""), maxlength=maxlength))
            elif kind in ("hidden", "radio", "checkbox", "submit"):
                self._form.fields.append(Field(kind, name, attrs.get("value", "on" if kind == "checkbox" else ""),
                                               checked="checked" in attrs))
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit":
                self._form.fields.append(Field("submit", attrs.get("name", ""), attrs.get("value", "")))
        elif tag == "textarea":
            maxlength = int(attrs["maxlength"]) if attrs.get("maxlength", "").isdigit() else None
            self._textarea = Field("textarea", attrs.get("name", ""), maxlength=maxlength)
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field("select", attrs.get("name", ""))
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[Form]:
    """Return the forms in a page."""
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def main_form(forms: list[Form]) -> Form | None:
    """Return the page's main form: a POST form with the most fields to fill, not the language switch."""
    candidates = [f for f in forms if f.method == "post" and not f.action.rstrip("/").endswith(("/lang", "/logout"))]
    if not candidates:
        return None
    return max(candidates, key=lambda f: (len(f.inputs), len(f.fields)))


def choose_button(form: Form) -> Field | None:
    """Return the button a person would press to go on (Continue, Send), not Skip or Back."""
    buttons = form.buttons
    good = [b for b in buttons if not any(a in (b.name + b.value).lower() for a in AVOID_BUTTONS)]
    return (good or buttons or [None])[0]


def fill(form: Form, rng: random.Random, text: Callable[[Field], str], fill_honeypot: bool = False) -> list[tuple[str, str]]:
    """Return the pairs to post: hidden values kept, one choice per radio group, some checkboxes, text."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = {}
    boxes: dict[str, list[str]] = {}
    for f in form.fields:
        if f.kind == "hidden":
            data.append((f.name, f.value))
        elif f.kind == "radio":
            radios.setdefault(f.name, []).append(f.value)
        elif f.kind == "checkbox":
            boxes.setdefault(f.name, []).append(f.value)
        elif f.kind in ("text", "textarea"):
            if f.name == HONEYPOT and not fill_honeypot:
                data.append((f.name, ""))
            else:
                value = text(f)
                data.append((f.name, value[: f.maxlength] if f.maxlength else value))
        elif f.kind == "select":
            options = [o for o in f.options if o] or f.options
            if options:
                data.append((f.name, rng.choice(options)))
    for name, values in radios.items():
        data.append((name, rng.choice(values)))
    for name, values in boxes.items():
        if len(values) == 1:
            if rng.random() < 0.5:
                data.append((name, values[0]))
            continue
        for value in rng.sample(values, min(len(values), rng.choice([1, 2, 3]))):
            data.append((name, value))
    button = choose_button(form)
    if button is not None and button.name:
        data.append((button.name, button.value))
    return data


@dataclass
class Page:
    status: int
    url: str
    html: str
    elapsed: float = 0.0


class TestClientBrowser:
    """Drive a Flask test client."""

    __test__ = False

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client

    def _follow(self, response, url: str, started: float) -> Page:  # type: ignore[no-untyped-def]
        hops = 0
        while response.status_code in (301, 302, 303, 307, 308) and hops < 10:
            url = urljoin(url, response.headers["Location"])
            response = self.client.get(url)
            hops += 1
        return Page(response.status_code, url, response.get_data().decode("utf-8", "replace"),
                    time.perf_counter() - started)

    def get(self, url: str) -> Page:
        started = time.perf_counter()
        return self._follow(self.client.get(url), url, started)

    def post(self, url: str, data: list[tuple[str, str]]) -> Page:
        started = time.perf_counter()
        from werkzeug.datastructures import MultiDict

        return self._follow(self.client.post(url, data=MultiDict(data)), url, started)


class HttpBrowser:
    """Drive a real server on 127.0.0.1 with one keep-alive connection and its own cookie jar.

    The cookie jar sends every cookie it was given, Secure ones included, so a server in its
    production configuration can be exercised over plain HTTP on the loopback interface.
    """

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the load client only talks to 127.0.0.1")
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.requests = 0
        self.timings: list[tuple[str, int, float]] = []  # (method, status, seconds) per HTTP request
        self.last_used = 0.0
        # Servers close idle keep-alive connections (gunicorn after 5 s): open a fresh one after a pause,
        # as browsers do, rather than send a POST down a connection the server has already closed.
        self.idle_reconnect = 2.0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], str]:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "guth-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        if self.conn is not None and time.monotonic() - self.last_used > self.idle_reconnect:
            self.close()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                payload = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                # Only a GET is safe to send again; a POST's fate is unknown, so report it.
                if attempt == 2 or method != "GET":
                    raise
        self.requests += 1
        self.last_used = time.monotonic()
        self.timings.append((method, response.status, time.perf_counter() - started))
        for raw in response.msg.get_all("Set-Cookie") or []:
            pair = raw.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if value and "max-age=0" not in raw.lower() and "1970" not in raw:
                self.cookies[name.strip()] = value.strip()
            else:
                self.cookies.pop(name.strip(), None)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload

    def _follow(self, status: int, headers: dict[str, str], html: str, url: str, started: float) -> Page:
        hops = 0
        while status in (301, 302, 303, 307, 308) and hops < 10:
            url = urljoin(url, headers["location"])
            path = urlsplit(url)
            status, headers, html = self._request("GET", path.path + (f"?{path.query}" if path.query else ""))
            hops += 1
        return Page(status, url, html, time.perf_counter() - started)

    def get(self, url: str) -> Page:
        started = time.perf_counter()
        path = urlsplit(url)
        status, headers, html = self._request("GET", path.path + (f"?{path.query}" if path.query else ""))
        return self._follow(status, headers, html, url, started)

    def post(self, url: str, data: list[tuple[str, str]]) -> Page:
        started = time.perf_counter()
        path = urlsplit(url)
        status, headers, html = self._request("POST", path.path + (f"?{path.query}" if path.query else ""),
                                              urlencode(data))
        return self._follow(status, headers, html, url, started)


@dataclass
class Journey:
    """What one respondent's run through a consultation met."""

    completed: bool = False
    pages: list[Page] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    receipt_code: str | None = None
    posts: int = 0
    retries: int = 0

    @property
    def timings(self) -> list[float]:
        return [p.elapsed for p in self.pages]


def answer_consultation(browser, start_url: str, *, rng: random.Random | None = None,  # type: ignore[no-untyped-def]
                        text: Callable[[Field], str] | None = None, max_steps: int = 80,
                        prefer: Callable[[Form], Form] | None = None, on_page: Callable[[Page], None] | None = None,
                        fill_honeypot: bool = False, retries: int = 0, retry_pause: float = 0.5,
                        think: Callable[[], None] | None = None) -> Journey:
    """Answer the consultation at start_url as a person would, page by page, until the confirmation."""
    import re

    rng = rng or random.Random()
    text = text or (lambda f: "More places to play and someone to talk to at school.")
    journey = Journey()
    page = _reload(browser, start_url, journey)
    errors_in_a_row = 0
    retries_left = retries
    for _ in range(max_steps):
        if on_page:
            on_page(page)
        if page.status >= 500:
            journey.errors.append(f"{page.status} at {page.url}")
            if page.status in (503, 599) and retries_left > 0:  # "please try again": wait, reload
                retries_left -= 1
                journey.retries += 1
                time.sleep(retry_pause)
                page = _reload(browser, page.url, journey)
                continue
            return journey
        if urlsplit(page.url).path.rstrip("/").endswith(TERMINAL_PATHS):
            journey.completed = True
            code = re.search(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b", page.html)
            journey.receipt_code = code.group(1) if code else None
            return journey
        form = main_form(parse_forms(page.html))
        if form is None:
            journey.errors.append(f"no form at {page.url} ({page.status})")
            return journey
        errors_in_a_row = errors_in_a_row + 1 if 'class="error-summary"' in page.html else 0
        if errors_in_a_row > 6:
            journey.errors.append(f"stuck at {page.url}")
            return journey
        data = fill(form, rng, text, fill_honeypot=fill_honeypot)
        if think:
            think()  # a person reading the page and answering
        target = urljoin(page.url, form.action) if form.action else page.url
        try:
            page = browser.post(target, data)
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            # The server went away mid-request (a worker killed): like a person, reload and go on.
            journey.errors.append(f"{type(exc).__name__} posting {urlsplit(target).path}")
            if retries_left <= 0:
                return journey
            retries_left -= 1
            journey.retries += 1
            time.sleep(retry_pause)
            page = _reload(browser, page.url, journey)
            continue
        journey.posts += 1
        journey.pages.append(page)
    journey.errors.append("too many steps")
    return journey


def _reload(browser, url: str, journey: Journey) -> Page:  # type: ignore[no-untyped-def]
    """GET a page again, as a person pressing reload; a failure shows as a 599 page."""
    for _ in range(3):
        try:
            page = browser.get(url)
            journey.pages.append(page)
            return page
        except (ConnectionError, http.client.HTTPException, OSError):
            time.sleep(0.3)
    return Page(599, url, "")
