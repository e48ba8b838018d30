"""Walk every URL pattern as an anonymous visitor, an analyst and an admin.

Anonymous: everything but the sign-in pages and /healthz redirects to a login page.
Analyst (not staff): every admin URL redirects to the admin login or is refused.
Nobody ever gets a server error. A new URL pattern is covered without editing this test.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from audit.events import record
from audit.models import Action
from ingest.batches import Upload, create_batch
from ingest.models import Correction
from tests.admin_ingest.factories import letter
from tests.factories import make_determination, make_item, refresh

pytestmark = pytest.mark.django_db

# Pages meant for people who are not signed in (or not yet): Django's account pages.
PUBLIC = {
    "healthz",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    "admin:logout",
    # A digest's signed unsubscribe link works signed out (tests/alerts).
    "alerts:unsubscribe",
    # So does the signed link that verifies an alert address (tests/alerts).
    "alerts:address_verify",
    # The API's schema is public; its other endpoints answer 401 (below).
    "api:schema",
}

ROUTE_PARAM_RE = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
REGEX_GROUP_RE = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def walk(patterns, prefix="", namespace=""):
    """(path pattern text, full name, callback) for every URL pattern, recursively."""
    for p in patterns:
        text = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, text, ns)
        elif isinstance(p, URLPattern):
            yield text, f"{namespace}{p.name}" if p.name else "", p.callback


def concrete(text: str, callback, ids: dict) -> str:
    """A real path for a pattern: ids of existing objects, an app label for the admin."""
    model_admin = getattr(callback, "model_admin", None)
    own_id = ids.get(model_admin.model._meta.label_lower) if model_admin else None

    def route_value(m):
        name = m.group("name")
        if name in ("pk", "object_id", "id"):
            return str(own_id or ids["determinations.determination"])
        if name == "content_type_id":
            return str(ids["contenttype"])
        if name == "uidb64":
            return "MQ"
        if name == "token":
            return "set-password"
        return "1"

    def regex_value(m):
        body = m.group("body")
        if m.group("name") == "app_label":
            return body.split("|")[0]
        return "anything"

    path = ROUTE_PARAM_RE.sub(route_value, text)
    path = REGEX_GROUP_RE.sub(regex_value, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


@pytest.fixture
def urls(staff_user, media_root):
    from django.contrib.contenttypes.models import ContentType

    det = make_determination()
    make_item(det)
    refresh(det)
    det.source_file.save("letter.txt", ContentFile(letter(1)))
    batch = create_batch([Upload("a.txt", letter(2))], staff_user)
    correction = Correction.objects.create(
        determination=det, user=staff_user, field="priority", old_value="", new_value="Standard"
    )
    event = record(Action.LOGIN, user=staff_user)
    ids = {
        "determinations.determination": det.pk,
        "ingest.letterreview": det.pk,
        "ingest.ingestbatch": batch.pk,
        "ingest.ingestfile": batch.files.first().pk,
        "ingest.correction": correction.pk,
        "audit.auditevent": event.pk,
        "auth.user": staff_user.pk,
        "contenttype": ContentType.objects.get_for_model(det).pk,
    }
    found = [
        (name, concrete(text, callback, ids))
        for text, name, callback in walk(get_resolver().url_patterns)
    ]
    assert len(found) > 50  # the admin's patterns are in the walk
    return found


def test_anonymous_visitors_are_sent_to_a_login_page_everywhere(client, urls):
    for name, path in urls:
        response = client.get(path)
        assert response.status_code < 500, (name, path, response.status_code)
        if name in PUBLIC:
            continue
        if name.startswith("api:"):
            # A caller without a token or session gets a 401, not a redirect to a page a
            # script cannot use (tests/api/test_it_authenticates.py).
            assert response.status_code == 401, (name, path, response.status_code)
            continue
        assert response.status_code == 302, (name, path, response.status_code)
        location = response["Location"]
        # The admin's own pages send to its login page; model pages to the site's
        # (LoginRequiredMiddleware answers first). Both come back after signing in.
        logins = ("/accounts/login/", "/admin/login/") if path.startswith("/admin/") else ()
        assert location.startswith(logins or "/accounts/login/"), (name, path, location)


def test_analysts_cannot_reach_any_admin_page(client, urls, django_user_model):
    analyst = django_user_model.objects.create_user("analyst", password="a-long-passphrase-42")
    client.force_login(analyst)
    for name, path in urls:
        response = client.get(path)
        assert response.status_code < 500, (name, path, response.status_code)
        if not path.startswith("/admin/") or name in PUBLIC:
            continue
        # The admin sends a signed-in non-staff user to its login page ("not authorized").
        assert response.status_code in (302, 403), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), (name, path)


def test_admins_never_meet_a_server_error(client, urls, staff_user):
    client.force_login(staff_user)
    for name, path in urls:
        response = client.get(path)
        assert response.status_code < 500, (name, path, response.status_code)
