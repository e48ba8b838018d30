"""Content Security Policy: on every response, no inline script or style -- admin included."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from ingest.batches import Upload, create_batch
from tests.admin_ingest.factories import letter
from tests.factories import make_determination, make_item, refresh

pytestmark = pytest.mark.django_db

# A <script> that runs without a src (JSON data blocks are not run, so they are allowed).
INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE_RE = re.compile(r"<style\b|\sstyle=", re.I)
EVENT_HANDLER_RE = re.compile(r"\son[a-z]+=", re.I)


def assert_no_inline_code(url: str, html: str) -> None:
    assert not INLINE_SCRIPT_RE.search(html), (url, INLINE_SCRIPT_RE.search(html))
    assert not INLINE_STYLE_RE.search(html), (url, INLINE_STYLE_RE.search(html))
    assert not EVENT_HANDLER_RE.search(html), (url, EVENT_HANDLER_RE.search(html))


def test_every_response_carries_a_strict_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_admin_pages_have_no_inline_script_or_style(client, staff_user, media_root):
    letter_row = make_determination()
    make_item(letter_row)
    refresh(letter_row)
    letter_row.source_file.save("l.txt", ContentFile(letter(1)))
    batch = create_batch([Upload("a.txt", letter(2))], staff_user)
    client.force_login(staff_user)
    urls = [
        reverse("admin:index"),
        reverse("admin:determinations_determination_changelist"),
        reverse("admin:determinations_determination_change", args=[letter_row.pk]),
        reverse("admin:ingest_ingestbatch_add"),
        reverse("admin:ingest_ingestbatch_change", args=[batch.pk]),
        reverse("admin:ingest_ingestfile_changelist"),
        reverse("admin:ingest_letterreview_changelist"),
        reverse("admin:audit_auditevent_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[staff_user.pk]),
        reverse("admin:password_change"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(url, response.content.decode())


def test_analyst_pages_have_no_inline_script_or_style(analyst_client):
    letter_row = make_determination()
    make_item(letter_row)
    refresh(letter_row)
    for url in (
        reverse("determinations:list"),
        reverse("determinations:list") + "?q=therapy&outcome=upheld",
        letter_row.get_absolute_url(),
        reverse("password_change"),
    ):
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(url, response.content.decode())
