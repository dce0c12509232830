"""Under gunicorn (deploy/gunicorn.conf.py, which `make demo` uses too) the only Server header is the app's.

Issue 15, finding 8: `Server: gunicorn` replaced the app's own header.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_only_the_apps_server_header(tmp_path) -> None:
    port = _free_port()
    env = dict(os.environ, GUTH_ENV="testing", GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
               GUNICORN_THREADS="1", GUNICORN_PRELOAD="0", GUTH_INSTANCE_PATH=str(tmp_path))
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "consult:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/static/guth.css")
                response = conn.getresponse()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
        servers = [value for name, value in response.getheaders() if name.lower() == "server"]
        assert servers == ["Guth"], servers
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_runs_gunicorn_with_the_deploy_settings() -> None:
    assert "-c deploy/gunicorn.conf.py" in (ROOT / "Makefile").read_text()
