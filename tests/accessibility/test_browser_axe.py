"""axe-core checks every page of the site, in its usual states, for WCAG 2.1 A and AA.

Each case opens one page in headless Chromium (as a signed-out visitor, an analyst or a
staff member), optionally does one thing on it (opens a form, submits it), injects
axe-core (tools/package.json, installed by ``npm ci`` from ./dev) and asserts that axe
finds no violation. A failure lists each violation's rule, impact, help and elements.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from alerts.address import verification_token
from alerts.digest import unsubscribe_token
from alerts.models import Frequency, SavedSearch
from api.models import ApiToken
from determinations.models import Determination
from ingest import loader
from ingest.batches import Upload, create_batch, process_batch
from tests.admin_ingest.factories import letter
from tests.browser import BROWSER
from tests.factories import (
    make_citation,
    make_determination,
    make_drug_item,
    make_item,
    make_reviewer,
    refresh,
)

AXE = Path(__file__).resolve().parents[2] / "tools" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPIOIDS = "MTUS|Chronic Pain Medical Treatment Guidelines|Opioids"
BACK = "ACOEM|Low Back Complaints|Special Studies"

pytestmark = [
    *BROWSER,
    pytest.mark.skipif(
        not AXE.exists(),
        reason="needs axe-core in tools/node_modules (npm ci --prefix tools; ./dev test does it)",
    ),
]


def make_site() -> dict[str, Any]:
    """Letters for the list, analytics and guideline pages; an upload batch whose letters
    have originals and one flagged for review; saved searches; API tokens. Returns what
    the URLs below need (ids, a token)."""
    rng = random.Random(23)
    reviewers = [make_reviewer(("Pain Medicine",), ("CA",)), make_reviewer(("Chiropractic",))]
    letters = []
    for n in range(40):
        det = make_determination(
            reviewer=reviewers[n % 2], decision_date=date(2015 + n % 3, 1 + n % 12, 1 + n % 27)
        )
        letters.append(det)
        outcome = "overturned" if rng.random() < 0.3 else "upheld"
        if n % 3:
            drug = rng.choice(["hydrocodone", "tramadol", "lidocaine"])
            item = make_drug_item(det, drug, outcome=outcome, reason_tags=["no-pain-relief"])
            make_citation(item)
        else:
            item = make_item(det, outcome=outcome, category="Diagnostic Testing")
            make_citation(item, source="ACOEM", document="Low Back Complaints")
            make_citation(item, source="ACOEM", document="Low Back Complaints", section="MRI")
    refresh(*letters)

    # The loader keeps reviewer rows per process; each test's database is flushed after it.
    loader._REVIEWERS.clear()
    flagged = letter(3).replace(b"Decision Date: 02/10/2017", b"Decision Date:")
    batch = create_batch(
        [
            Upload("new.txt", letter(1)),
            Upload("second.txt", letter(2)),
            Upload("flagged.txt", flagged),
            Upload("dup.txt", letter(1)),
            Upload("bad.bin", b"\x00" * 10),
        ]
    )
    process_batch(batch.pk)
    ingested = Determination.objects.get(case_number="CM17-5000001")
    to_review = Determination.objects.get(case_number="CM17-5000003")
    return {
        "letter": letters[1].pk,
        "ingested": ingested.pk,
        "to_review": to_review.pk,
        "batch": batch.pk,
    }


def add_user_data(analyst: Any) -> dict[str, Any]:
    """The analyst's saved searches (one with an alert) and API tokens (one revoked)."""
    searches = [
        SavedSearch.objects.create(
            user=analyst, name=name, state=state, frequency=frequency, **_now_marks()
        )
        for name, state, frequency in [
            ("Opioids overturned", "drug=hydrocodone&outcome=overturned", Frequency.DAILY),
            ("MRI", "q=mri", Frequency.OFF),
        ]
    ]
    ApiToken.create_for(analyst, "Notebook")
    old, _secret = ApiToken.create_for(analyst, "Old script")
    old.revoke()
    return {
        "unsubscribe": unsubscribe_token([s.pk for s in searches]),
        "analyst": analyst.pk,
        "verify": verification_token(analyst.pk, analyst.email),
    }


def _now_marks() -> dict[str, Any]:
    now = timezone.now()
    return {"last_opened_at": now, "alert_since": now, "alert_mark": now}


# What some cases do on the page before axe runs.
def open_save_search(page: Any) -> None:
    page.locator("summary", has_text="Save this search").click()


def save_a_search(page: Any) -> None:
    open_save_search(page)
    page.fill("#save-search-name", "Tramadol")
    page.locator("button[form=save-search]").click()
    page.wait_for_url("**/searches/")


def create_a_token(page: Any) -> None:
    page.fill("input[name=name]", "Laptop")
    page.locator("form[action$='/account/tokens/'] button").click()
    page.wait_for_load_state()


def revoke_a_token(page: Any) -> None:
    page.locator("form[action$='/revoke/'] button").first.click()
    page.wait_for_url("**/account/")


def fail_to_log_in(page: Any) -> None:
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def unsubscribe(page: Any) -> None:
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def log_out(page: Any) -> None:
    page.locator(".logout-form button").click()
    page.wait_for_load_state()


def reparse_selected(page: Any) -> None:
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "reparse_selected")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()


# (page, URL, who is signed in, what is done on the page first)
PAGES: list[tuple[str, str, str | None, Callable[[Any], None] | None]] = [
    # Signed out.
    ("login", "/accounts/login/", None, None),
    ("login, wrong password", "/accounts/login/", None, fail_to_log_in),
    ("unsubscribe", "/searches/unsubscribe/{unsubscribe}/", None, None),
    ("unsubscribed", "/searches/unsubscribe/{unsubscribe}/", None, unsubscribe),
    ("address verified", "/searches/address/verify/{verify}/", None, None),
    # The list.
    ("list", "/", "analyst", None),
    ("list, save-search form open", "/?drug=tramadol", "analyst", open_save_search),
    ("list, search", "/?q=hydrocodone", "analyst", None),
    ("list, facets", "/?drug=hydrocodone&drug=tramadol&outcome=overturned", "analyst", None),
    ("list, search and facets", "/?q=pain&category=Pharmaceuticals&year=2016", "analyst", None),
    ("list, letters", "/?count=letters", "analyst", None),
    ("list, nothing matches", "/?q=zzzyzzx&outcome=overturned", "analyst", None),
    ("list, page 2", "/?page=2", "analyst", None),
    # A letter.
    ("detail", "/letters/{letter}/", "analyst", None),
    ("detail, search", "/letters/{letter}/?q=hydrocodone", "analyst", None),
    ("detail, ingested", "/letters/{ingested}/?q=radicular", "analyst", None),
    # Analytics and guidelines.
    ("analytics", "/analytics/", "analyst", None),
    ("analytics, by drug", "/analytics/?by=drug&order=rate", "analyst", None),
    ("analytics, filtered", "/analytics/?category=Pharmaceuticals&by=drug&vs=1", "analyst", None),
    ("guidelines", "/guidelines/", "analyst", None),
    ("guideline section", f"/guidelines/{OPIOIDS}/", "analyst", None),
    # Find similar.
    ("similar, form", "/similar/", "analyst", None),
    ("similar, results", "/similar/?text=Lidoderm+patch+5%25+%2330", "analyst", None),
    ("similar, nothing matches", "/similar/?text=zzzyzzx", "analyst", None),
    # Saved searches and the account.
    ("saved searches", "/searches/", "analyst", None),
    ("saved searches, just saved", "/?drug=tramadol", "analyst", save_a_search),
    ("account", "/account/", "analyst", None),
    ("account, new token", "/account/", "analyst", create_a_token),
    ("account, token revoked", "/account/", "analyst", revoke_a_token),
    ("password change", "/accounts/password_change/", "analyst", None),
    ("logged out", "/", "analyst", log_out),
    # The admin pages staff use.
    ("admin index", "/admin/", "staff", None),
    ("admin upload", "/admin/ingest/ingestbatch/add/", "staff", None),
    ("admin batches", "/admin/ingest/ingestbatch/", "staff", None),
    ("admin batch", "/admin/ingest/ingestbatch/{batch}/change/", "staff", None),
    ("admin uploaded files", "/admin/ingest/ingestfile/", "staff", None),
    ("admin review queue", "/admin/ingest/letterreview/", "staff", None),
    ("admin review letter", "/admin/ingest/letterreview/{to_review}/change/", "staff", None),
    ("admin letters", "/admin/determinations/determination/", "staff", None),
    ("admin letter", "/admin/determinations/determination/{ingested}/change/", "staff", None),
    ("admin re-parse", "/admin/determinations/determination/", "staff", reparse_selected),
    ("admin corrections", "/admin/ingest/correction/", "staff", None),
    ("admin DWC sync", "/admin/dwcsync/syncrun/", "staff", None),
    ("admin DWC drift", "/admin/dwcsync/syncrun/drift/", "staff", None),
    ("admin digest preview", "/admin/alerts/savedsearch/digest-preview/{analyst}/", "staff", None),
]


def sign_in(page: Any, base_url: str, user: Any) -> None:
    """The session cookie of a forced login: faster than the login form, tested above."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " / ")
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "url", "who", "action"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_has_no_wcag_violations(
    name, url, who, action, live_server, browser_page, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ids = make_site()
    # No passwords (hashing one takes a second): signed in by a forced login below.
    analyst = django_user_model.objects.create_user("analyst", "analyst@example.com")
    ids |= add_user_data(analyst)
    staff = django_user_model.objects.create_superuser("boss", "boss@example.com", None)
    # The site's Content-Security-Policy (script-src 'self') would refuse the injected axe.
    page = browser_page.context.browser.new_page(
        bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    if who:
        sign_in(page, live_server.url, {"analyst": analyst, "staff": staff}[who])

    response = page.goto(live_server.url + url.format(**ids))
    assert response is not None and response.ok, f"{name}: HTTP {response and response.status}"
    page.wait_for_load_state("networkidle")
    if action:
        action(page)
        page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    # resultTypes: details of failing elements only (collecting those of passes is slow).
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    violations = result["violations"]
    assert not violations, f"{name} ({page.url}):\n{describe(violations)}"
