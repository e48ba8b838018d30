"""docker-compose.yml, checked without Docker: the services, health checks, volumes and
commands the README promises, and every setting documented in .env.example."""

from __future__ import annotations

import re

import yaml

from tests.production.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
ENV_EXAMPLE = (ROOT / ".env.example").read_text()


def documented() -> set[str]:
    """Variable names in .env.example, set or commented out ("# NAME=...")."""
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, re.M))


def test_it_has_the_database_the_web_app_and_the_worker():
    assert set(COMPOSE["services"]) == {"db", "web", "worker"}
    for name, service in COMPOSE["services"].items():
        assert isinstance(service, dict), name
        assert service.get("restart") == "unless-stopped", name
        assert "image" in service or "build" in service, name


def test_the_database_has_a_health_check_and_a_named_volume():
    db = COMPOSE["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]


def test_the_app_waits_for_a_healthy_database_and_shares_the_media_volume():
    for name in ("web", "worker"):
        service = COMPOSE["services"][name]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert "media:/data" in service["volumes"]
        assert service["environment"]["DJANGO_ENV"] == "production"
        assert service["environment"]["MEDIA_ROOT"].startswith("/data/")
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "media" in COMPOSE["volumes"]


def test_the_web_service_migrates_then_runs_gunicorn_and_is_health_checked():
    web = COMPOSE["services"]["web"]
    assert web["command"].startswith("sh -c ")
    assert "python manage.py migrate --no-input && exec gunicorn imr_site.wsgi" in web["command"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["ports"] == ["8000:8000"]


def test_the_worker_runs_the_ingest_worker():
    assert COMPOSE["services"]["worker"]["command"] == "python manage.py ingest_worker"


def test_every_variable_the_compose_file_needs_is_documented():
    text = (ROOT / "docker-compose.yml").read_text()
    needed = set(re.findall(r"\$\{([A-Z_]+)", text))
    assert needed <= documented(), needed - documented()


def test_every_setting_read_from_the_environment_is_documented():
    settings = (ROOT / "imr_site" / "settings.py").read_text()
    read = set(
        re.findall(
            r"(?:environ\.get|env_bool|env_int|env_list)\(\s*\"([A-Z][A-Z0-9_]+)\"", settings
        )
    )
    gunicorn = set(
        re.findall(r"environ\.get\(\"([A-Z_]+)\"", (ROOT / "gunicorn.conf.py").read_text())
    )
    # Test-only switches, not deployment settings.
    internal = {"EMBEDDED_TEST_DB_NAME"}
    missing = (read | gunicorn) - internal - documented()
    assert not missing, f"document these in .env.example: {sorted(missing)}"
