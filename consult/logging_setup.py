"""Structured logs that carry no personal data.

Configured by create_app() (importing this module changes nothing). Every line is one JSON object
on stderr: time, level, logger, message, and whatever plain extra fields the call passed. The
request log says method, endpoint name, status and duration — never the path (it can hold an
invitation token), the query string, form data, cookies or the client's address. Exceptions are
logged by type and stack frames only: their messages can quote the data that caused them (a
database error quotes the row), so they are left out.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from datetime import UTC, datetime

from flask import Flask, g, request

# LogRecord's own attributes: anything else on a record came from `extra=`.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}
_HANDLER_FLAG = "_guth_handler"
# Loggers whose own lines can carry addresses, paths with tokens or query strings.
_QUIET = {"werkzeug": logging.WARNING, "gunicorn.access": logging.CRITICAL}


def _frames(exc_info) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc_info[2])][-12:]


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line, with exceptions reduced to their type and frames."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, str | int | float | bool):
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
            line["exc_frames"] = _frames(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(JsonFormatter):
    """The same fields as plain text, for a person reading a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        data = json.loads(super().format(record))
        head = f"{data.pop('ts')} {data.pop('level')} {data.pop('logger')}: {data.pop('msg')}"
        return " ".join([head, *(f"{k}={v}" for k, v in data.items())])


def guth_handler() -> logging.Handler | None:
    """Return the handler create_app() installed on the root logger, if any."""
    return next((h for h in logging.getLogger().handlers if getattr(h, _HANDLER_FLAG, False)), None)


def configure_logging(app: Flask) -> None:
    """Install the JSON handler on the root logger (once per process) and the request log."""
    root = logging.getLogger()
    handler = guth_handler()
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        setattr(handler, _HANDLER_FLAG, True)
        root.addHandler(handler)
    handler.setFormatter(TextFormatter() if app.config.get("LOG_FORMAT") == "text" else JsonFormatter())
    level = logging.getLevelName(str(app.config.get("LOG_LEVEL", "INFO")).upper())
    # Guth's own loggers at LOG_LEVEL; libraries only when they warn (LOG_LEVEL=DEBUG shows all).
    logging.getLogger("consult").setLevel(level if isinstance(level, int) else logging.INFO)
    if root.level > logging.WARNING or root.level == logging.NOTSET or level == logging.DEBUG:
        root.setLevel(logging.DEBUG if level == logging.DEBUG else logging.WARNING)
    for name, quiet_level in _QUIET.items():
        logging.getLogger(name).setLevel(quiet_level)
    if app.config.get("LOG_REQUESTS", True):
        _request_log(app)


def _request_log(app: Flask) -> None:
    log = logging.getLogger("consult.request")

    @app.before_request
    def start_timer() -> None:
        g.guth_started = time.perf_counter()

    @app.after_request
    def log_request(response):  # type: ignore[no-untyped-def]
        started = g.pop("guth_started", None)
        if started is not None and request.endpoint != "static":
            log.info("request", extra={
                "method": request.method,
                "endpoint": request.endpoint or "-",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
        return response
