"""docker-compose's web command, run as is (migrate, then gunicorn with gunicorn.conf.py)
in production mode against the test database: /healthz, HTTPS headers, whitenoise's
static files, JSON request logs, and a too-large upload refused with a clear message."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shlex
import subprocess
import time
import urllib.parse

import pytest
import yaml
from django.contrib.auth import get_user_model

from tests.production.support import ROOT, free_port, production_env

HOST = "imr.example.com"
BATCH_LIMIT = 1_048_576


def compose_web_command() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return shlex.split(compose["services"]["web"]["command"])


class Site:
    """A tiny HTTP client with a cookie jar, talking to gunicorn as the proxy would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=b"", headers=None, https=True, content_type=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = {"Host": HOST, **(headers or {})}
        if https:
            head["X-Forwarded-Proto"] = "https"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            head["Content-Type"] = content_type
        # The server may answer before reading a body it refuses.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, data

    def sign_in(self, username, password):
        _, page = self.request("GET", "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        response, _ = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            form.encode(),
            headers={"Referer": f"https://{HOST}/admin/login/"},
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status == 302, "sign-in failed"


@pytest.fixture
def site(tmp_path, django_db_blocker):
    port = free_port()
    env = production_env(
        HOST, port, tmp_path, WEB_CONCURRENCY="2", INGEST_MAX_BATCH_BYTES=str(BATCH_LIMIT)
    )
    # The image collects static files at build time (Dockerfile).
    subprocess.run(
        ["python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log = (tmp_path / "web.log").open("w+b")
    server = subprocess.Popen(compose_web_command(), cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response, _ = Site(port).request("GET", "/healthz", https=False)
                if response.status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "web.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz in 120 s"
            time.sleep(0.3)
        yield Site(port), tmp_path / "web.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.django_db(transaction=True)
def test_the_compose_web_command_serves_the_site_in_production_mode(site):
    web, log = site
    response, body = web.request("GET", "/healthz", https=False)
    assert response.status == 200
    assert json.loads(body) == {"status": "ok", "databases": {"default": "ok"}}

    # Plain HTTP is sent to HTTPS; through the proxy (X-Forwarded-Proto) pages are served.
    response, _ = web.request("GET", "/accounts/login/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/accounts/login/"
    response, page = web.request("GET", "/accounts/login/")
    assert response.status == 200
    assert b"Sign in" in page
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Secure" in response.headers["Set-Cookie"]

    # Static files by whitenoise, under their hashed names, cached for ever.
    css = re.search(rb'href="(/static/css/app\.[0-9a-f]+\.css)"', page).group(1).decode()
    response, _ = web.request("GET", css)
    assert response.status == 200
    assert "max-age=315360000" in response.headers["Cache-Control"]

    # Pages need a login; a hostile Host header is refused.
    response, _ = web.request("GET", "/")
    assert response.status == 302
    response, _ = web.request("GET", "/healthz", headers={"Host": "evil.example"}, https=False)
    assert response.status == 400

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [entry for entry in lines if entry.get("event") == "request"]
    assert {"method", "path", "status", "ms", "user_id", "time", "level"} <= set(requests[-1])
    assert any(r["path"] == "/accounts/login/" and r["status"] == 200 for r in requests)


@pytest.mark.django_db(transaction=True)
def test_an_upload_over_the_batch_limit_is_refused_clearly(site):
    web, _ = site
    get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-pass-42")
    web.sign_in("boss", "a-long-pass-42")
    _, page = web.request("GET", "/admin/ingest/ingestbatch/add/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    boundary = "----imrboundary"
    for size in (BATCH_LIMIT + 50_000, BATCH_LIMIT + 3_000_000):
        # Just over the limit (read, then stopped) and far over it (refused unread).
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + b"x" * size
            + f"\r\n--{boundary}--\r\n".encode()
        )
        response, page = web.request(
            "POST",
            "/admin/ingest/ingestbatch/add/",
            body,
            headers={"Referer": f"https://{HOST}/admin/ingest/ingestbatch/add/"},
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert response.status == 413, page[:500]
        assert b"larger than the 1 MB limit for one batch; nothing was saved" in page
    from ingest.models import IngestBatch

    assert not IngestBatch.objects.exists()
