"""The drift alarm (issue 24, part 4): each sync run measures, per decision month, how often
the parser agrees with DWC's coding and how many letters it flagged or could not read; the
admin shows it as a table and a chart, and the admins get an email (read here from a real
SMTP server) when a run's agreement falls or its share not read rises past the settings."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from dwcsync.drift import Totals, record_drift
from dwcsync.models import DriftMonth, SyncRun
from dwcsync.sync import sync_window
from imr_site.settings import env_fraction
from synth.pdf import text_to_pdf
from tests.alerts.smtp import smtp_server  # noqa: F401 - the fixture
from tests.dwcsync.conftest import letters, window
from tests.dwcsync.fake_dwc import FakeDwc, serve

pytestmark = pytest.mark.django_db


def sync(fake: FakeDwc) -> SyncRun:
    # Not the command: it exits 1 when a letter could not be read.
    return sync_window(*window(fake))


@pytest.fixture
def staff(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-pass-42")
    django_user_model.objects.create_user("clerk", "clerk@example.org", "a-long-pass-42")
    django_user_model.objects.create_user("mute", "", "a-long-pass-42", is_staff=True)
    django_user_model.objects.create_user(
        "gone", "gone@example.org", "a-long-pass-42", is_staff=True, is_active=False
    )
    return boss


@pytest.fixture
def drifting(settings):
    """Eight synced letters: one a scan without text, two whose first item DWC codes in
    another category (a layout change would look like this), five as the parser reads them."""
    fake_letters = letters(13)[:8]
    fake_letters[0] = dataclasses.replace(fake_letters[0], pdf=text_to_pdf(""))
    for n in (1, 2):
        fake_letters[n].items[0] = ("Surgery", "Spine", fake_letters[n].items[0][2])
    fake = FakeDwc(fake_letters)
    with serve(fake) as url:
        settings.DWC_SEARCH_URL = url
        yield fake


def items_of(fake_letters) -> int:
    return sum(len(x.items) for x in fake_letters)


def test_it_measures_each_decision_month_of_a_run(drifting, settings):
    settings.DWC_DRIFT_MIN_LETTERS = 10_000  # no alarm here
    run = sync(drifting)
    months = list(DriftMonth.objects.filter(run=run).order_by("month"))
    expected_months = sorted({x.decision_date.replace(day=1) for x in drifting.letters})
    assert [m.month for m in months] == expected_months
    totals = Totals.of(months)
    assert (totals.letters, totals.failed) == (8, 1)
    # Every item of the seven letters read is paired; two disagree on category.
    assert totals.compared == items_of(drifting.letters[1:])
    assert totals.category_agree == totals.compared - 2
    assert totals.subcategory_agree <= totals.category_agree
    assert totals.outcome_agree == totals.compared
    scan_month = drifting.letters[0].decision_date.replace(day=1)
    assert next(m for m in months if m.month == scan_month).failed == 1


def test_the_admin_shows_the_drift_as_a_table_and_a_chart(drifting, settings, client, staff):
    settings.DWC_DRIFT_MIN_LETTERS = 10_000
    run = sync(drifting)
    client.force_login(staff)
    changelist = client.get(reverse("admin:dwcsync_syncrun_changelist")).content.decode()
    assert reverse("admin:dwcsync_syncrun_drift") in changelist
    page = client.get(reverse("admin:dwcsync_syncrun_drift"), {"run": run.pk}).content.decode()
    assert '<table id="drift-table">' in page
    assert page.count(f'<a href="?run={run.pk}">#{run.pk}</a>') == DriftMonth.objects.count()
    assert "category agrees" in page and "not read" in page
    assert '<svg class="chart chart-drift"' in page
    assert 'class="drift-category"' in page and 'class="drift-failed"' in page
    month = drifting.letters[0].decision_date
    assert f'<th scope="row">{month:%Y-%m}</th>' in page
    # Only those who may see the runs see it.
    client.logout()
    assert client.get(reverse("admin:dwcsync_syncrun_drift")).status_code == 302


def test_it_emails_the_admins_when_a_run_drifts(drifting, settings, smtp_server, staff):  # noqa: F811
    settings.DWC_DRIFT_MIN_LETTERS = 5
    settings.DWC_DRIFT_MIN_AGREEMENT = 0.95  # two of some thirty items disagree on category
    settings.DWC_DRIFT_MAX_FAILED_SHARE = 0.10  # one letter in eight is not read
    run = sync(drifting)
    (message,) = smtp_server.messages
    assert message["To"] == "boss@example.org"  # staff with an address, active, only
    assert "drift alarm" in message["Subject"]
    body = message.get_content()
    assert "category agreement with DWC's coding" in body and "below 95.0%" in body
    assert "1 of 8 letters not read (12.5%), above 10.0%" in body
    assert f"/admin/dwcsync/syncrun/drift/?run={run.pk}" in body
    run.refresh_from_db()
    assert run.drift_alarm_sent_at is not None
    # Measured again (a resumed run ends again): no second email for the same run.
    record_drift(run)
    assert len(smtp_server.messages) == 1


def test_it_stays_quiet_when_the_run_reads_as_before(drifting, settings, smtp_server, staff):  # noqa: F811
    settings.DWC_DRIFT_MIN_LETTERS = 5
    settings.DWC_DRIFT_MIN_AGREEMENT = 0.5
    settings.DWC_DRIFT_MAX_FAILED_SHARE = 0.25
    run = sync(drifting)
    assert DriftMonth.objects.filter(run=run).exists()
    assert smtp_server.messages == []
    # Too few letters to tell: quiet too, whatever the shares.
    settings.DWC_DRIFT_MIN_AGREEMENT, settings.DWC_DRIFT_MIN_LETTERS = 0.99, 9
    record_drift(run)
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", 0.8),  # unset: the default
        ("0.9", 0.9),
        ("85%", 0.85),
        ("eighty", ValueError),  # not a number
        ("1.5", ValueError),  # not a share
        ("-5%", ValueError),
    ],
)
def test_its_thresholds_are_shares_or_refused(monkeypatch, value, expected):
    monkeypatch.setenv("DWC_DRIFT_MIN_AGREEMENT", value)
    if expected is ValueError:
        with pytest.raises(ValueError, match="DWC_DRIFT_MIN_AGREEMENT"):
            env_fraction("DWC_DRIFT_MIN_AGREEMENT", 0.8)
    else:
        assert env_fraction("DWC_DRIFT_MIN_AGREEMENT", 0.8) == expected
