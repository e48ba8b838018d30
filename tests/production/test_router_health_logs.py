"""The replica router, /healthz, and the JSON log lines."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import OperationalError, connections
from django.test import RequestFactory
from django.urls import reverse

from audit.logs import JsonFormatter
from audit.models import AuditEvent
from determinations.models import Determination, DisputedItem
from imr_site import routers
from imr_site.routers import ReplicaReadsMiddleware, ReplicaRouter
from ingest.loader import ingest_bytes
from tests.admin_ingest.factories import letter

REPLICA_DATABASES = {"default": {"NAME": "primary"}, "replica": {"NAME": "copy"}}


@pytest.fixture
def replica(settings):
    settings.DATABASES = REPLICA_DATABASES
    token = routers.replica_reads(True)
    yield ReplicaRouter()
    routers._replica_reads.reset(token)


def test_search_reads_go_to_the_replica_in_analyst_requests(replica):
    assert replica.db_for_read(Determination) == "replica"
    assert replica.db_for_read(DisputedItem) == "replica"


def test_everything_else_stays_on_the_primary(replica):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    for model in (User, Session, AuditEvent):
        assert replica.db_for_read(model) is None
    assert replica.db_for_write(Determination) == "default"
    assert replica.allow_migrate("replica", "determinations") is False
    assert replica.allow_migrate("default", "determinations") is True


def test_reads_stay_on_the_primary_outside_analyst_requests(settings):
    settings.DATABASES = REPLICA_DATABASES  # a worker, a command, a test: no request mark
    assert ReplicaRouter().db_for_read(Determination) is None


def test_reads_stay_on_the_primary_without_a_replica(settings):
    token = routers.replica_reads(True)
    try:
        assert ReplicaRouter().db_for_read(Determination) is None
    finally:
        routers._replica_reads.reset(token)


@pytest.mark.parametrize(
    "method, path, expected",
    [
        ("get", "/", "replica"),
        ("get", "/letters/1/", "replica"),
        ("get", "/analytics/", "replica"),
        ("post", "/", None),
        ("get", "/admin/determinations/determination/", None),
        ("get", "/export.csv", None),  # long reads stay on the primary
    ],
)
def test_the_middleware_marks_only_analysts_get_requests(
    settings, monkeypatch, method, path, expected
):
    settings.DATABASES = REPLICA_DATABASES
    # The "replica" here is a name only; test_replica.py runs a real one (and its outage).
    monkeypatch.setattr(routers, "replica_available", lambda: True)
    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(Determination))
        return None

    ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method)(path))
    assert seen == [expected]
    assert ReplicaRouter().db_for_read(Determination) is None  # reset after the request


@pytest.mark.django_db
def test_healthz_answers_without_a_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["databases"] == {"default": "unavailable"}


def json_lines(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records]


def test_the_json_formatter_keeps_extra_fields_and_exceptions():
    record = logging.makeLogRecord(
        {"name": "x", "levelno": 40, "levelname": "ERROR", "msg": "%s!", "args": ("boom",)}
    )
    record.rows = 12
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "boom!"
    assert entry["rows"] == 12
    assert entry["level"] == "ERROR"
    assert "ValueError: bad" in entry["exception"]


@pytest.mark.django_db
def test_requests_are_logged_with_method_path_status_time_and_user(analyst_client, user, caplog):
    with caplog.at_level(logging.INFO, logger="imr.request"):
        analyst_client.get(reverse("determinations:list"), {"q": "norco"})
    (entry,) = [e for e in json_lines(caplog) if e.get("event") == "request"]
    assert entry["method"] == "GET"
    assert entry["path"] == "/"
    assert entry["query"] == "q=norco"
    assert entry["status"] == 200
    assert entry["user_id"] == user.pk
    assert entry["ms"] > 0


@pytest.mark.django_db
def test_ingests_and_exports_are_logged(analyst_client, media_root, caplog):
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="ingest"):
        result = ingest_bytes("one.txt", letter(1))
        response = analyst_client.get(reverse("determinations:export"), {"outcome": "upheld"})
        b"".join(response.streaming_content)
    entries = json_lines(caplog)
    (ingest,) = [e for e in entries if e.get("event") == "ingest"]
    assert (ingest["file"], ingest["status"], ingest["letter_id"]) == (
        "one.txt",
        "new",
        result.determination_id,
    )
    assert ingest["ms"] > 0
    (export,) = [e for e in entries if e.get("event") == "export"]
    assert export["filters"] == "outcome=upheld"
    assert export["rows"] == 1
    assert export["user"] == "analyst"
