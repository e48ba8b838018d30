"""The digest job mails each user one digest per period, over a real SMTP server: the
new matching letters only, text and HTML, one unsubscribe link per search; nothing when
nothing is new; never a letter twice for a search, even across crashes."""

from __future__ import annotations

import email.utils
import re

import pytest
from django.utils import timezone

from alerts.digest import IN_FLIGHT, period_key, send_digests
from alerts.models import Digest, DigestLetter, Frequency, SavedSearch
from determinations.models import Determination
from tests.alerts.factories import verified
from tests.alerts.letters import ingest, split_by_category

pytestmark = pytest.mark.django_db

CATEGORY = "Pharmaceuticals"
# Period keys, as periodic.jobs gives them.
DAY_1 = "2026-12-04"
DAY_2 = "2026-12-05"


@pytest.fixture
def letters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return split_by_category(CATEGORY, seed=41)


@pytest.fixture
def analyst(django_user_model):
    return verified(
        django_user_model.objects.create_user(
            "analyst", "analyst@example.com", "a-long-passphrase-42"
        )
    )


def saved(user, state: str, frequency: str = Frequency.DAILY, name: str = "") -> SavedSearch:
    now = timezone.now()
    return SavedSearch.objects.create(
        user=user,
        name=name or state,
        state=state,
        frequency=frequency,
        last_opened_at=now,
        alert_since=now,
        alert_mark=now,
    )


def case_numbers(ids: list[int]) -> set[str]:
    return set(Determination.objects.filter(pk__in=ids).values_list("case_number", flat=True))


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_it_mails_the_new_matching_letters_as_text_and_html(smtp_server, letters, analyst):
    matching, other = letters
    ingest(matching[0])  # before the alert: not new
    search = saved(analyst, f"category={CATEGORY}", name="Pharmacy decisions")
    second = saved(analyst, "outcome=overturned", name="Overturned")
    new = ingest(matching[1], matching[2])
    outside = ingest(*[o for o in other[:3]])

    report = send_digests("daily", DAY_1)

    assert report.sent == 1
    (message,) = smtp_server.messages
    assert message["To"] == "analyst@example.com"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    for text in body.values():
        for case in case_numbers(new):
            assert case in text
        assert "Pharmacy decisions" in text
    in_first = set(
        DigestLetter.objects.filter(search=search).values_list("determination_id", flat=True)
    )
    assert in_first == set(new)
    assert not in_first & set(outside)
    # One unsubscribe link per search, in both parts, and the mail client's own header.
    for text in body.values():
        links = set(re.findall(r"http://[^\s\"<>]+/searches/unsubscribe/[^\s\"<>/]+/", text))
        per_search = {s.pk for s in (search, second) if s.sent.exists()}
        assert len(links) == len(per_search) + 1  # + "stop all these alerts"
    assert "/searches/unsubscribe/" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_its_headers_pass_a_basic_rfc_5322_check(smtp_server, letters, analyst):
    matching, _other = letters
    saved(analyst, f"category={CATEGORY}")
    ingest(matching[0])
    send_digests("daily", DAY_1)
    (message,) = smtp_server.messages
    raw = smtp_server.envelopes[0].original_content
    head = raw.split(b"\r\n\r\n", 1)[0]
    # 3.6: exactly one Date, From, To, Subject, Message-ID; lines of at most 998 octets.
    for name in ("Date", "From", "To", "Subject", "Message-ID"):
        assert len(message.get_all(name, [])) == 1, name
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in head.replace(b"\r\n", b"")  # CRLF line endings only
    assert all(b < 128 for b in head)  # header fields are US-ASCII (encoded words if not)
    assert email.utils.parsedate_to_datetime(message["Date"]) is not None
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
    assert message["From"].addresses and message["To"].addresses
    assert not message.defects
    assert all(not message[name].defects for name in message)
    assert message["Message-ID"] == Digest.objects.get().message_id


def test_it_sends_nothing_when_nothing_is_new(smtp_server, letters, analyst):
    _matching, other = letters
    saved(analyst, f"category={CATEGORY}")
    ingest(*[o for o in other[:2]])  # new, but not matching
    report = send_digests("daily", DAY_1)
    assert report.sent == 0
    assert smtp_server.messages == []
    assert not Digest.objects.exists()


def test_it_never_sends_a_letter_twice_for_a_search(smtp_server, letters, analyst):
    matching, _other = letters
    search = saved(analyst, f"category={CATEGORY}")
    first = ingest(matching[0], matching[1])
    send_digests("daily", DAY_1)
    # The same period again (a second worker, a manual run): nothing more.
    assert send_digests("daily", DAY_1).sent == 0
    second = ingest(matching[2])
    send_digests("daily", DAY_2)
    assert send_digests("daily", DAY_2).sent == 0
    assert len(smtp_server.messages) == 2
    day_2 = parts(smtp_server.messages[1])["text/plain"]
    assert case_numbers(second) <= set(re.findall(r"CM\d\d-\d+", day_2))
    assert not case_numbers(first) & set(re.findall(r"CM\d\d-\d+", day_2))
    sent = list(search.sent.values_list("determination_id", flat=True))
    assert sorted(sent) == sorted(first + second)


def test_it_keeps_an_unsent_digest_and_sends_it_after_a_restart(smtp_server, letters, analyst):
    matching, _other = letters
    saved(analyst, f"category={CATEGORY}")
    new = ingest(matching[0], matching[1])
    smtp_server.refuse = True  # the server is down: the worker gives up on this digest
    report = send_digests("daily", DAY_1)
    assert report.failed == 1 and smtp_server.messages == []
    digest = Digest.objects.get()
    assert digest.sent_at is None and "451" in digest.last_error
    # The letters are recorded in the unsent digest, so the next day's digest does not
    # repeat them, and the next run sends the unsent one first, as it was.
    smtp_server.refuse = False
    later = ingest(matching[2])
    report = send_digests("daily", DAY_2)
    assert (report.resent, report.sent) == (1, 1)
    first, second = smtp_server.messages
    assert first["Message-ID"] == digest.message_id
    assert case_numbers(new) <= set(re.findall(r"CM\d\d-\d+", parts(first)["text/plain"]))
    assert set(re.findall(r"CM\d\d-\d+", parts(second)["text/plain"])) == case_numbers(later)
    assert send_digests("daily", DAY_2) == type(report)()


def test_a_run_killed_before_its_commit_leaves_nothing_and_loses_nothing(
    smtp_server, letters, analyst, monkeypatch
):
    matching, _other = letters
    search = saved(analyst, f"category={CATEGORY}")
    new = ingest(matching[0], matching[1])
    mark = search.alert_mark

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(DigestLetter.objects, "bulk_create", killed)
        with pytest.raises(SystemExit):
            send_digests("daily", DAY_1)
    assert not Digest.objects.exists()
    search.refresh_from_db()
    assert search.alert_mark == mark  # moved only with the send record
    send_digests("daily", DAY_1)
    (message,) = smtp_server.messages
    assert case_numbers(new) <= set(re.findall(r"CM\d\d-\d+", parts(message)["text/plain"]))


def test_it_finds_a_letter_whose_transaction_committed_after_the_last_digest(
    smtp_server, letters, analyst
):
    matching, _other = letters
    search = saved(analyst, f"category={CATEGORY}")
    SavedSearch.objects.filter(pk=search.pk).update(alert_since=search.alert_since - IN_FLIGHT)
    ingest(matching[0])
    send_digests("daily", DAY_1)
    search.refresh_from_db()
    # A letter whose row was written before that digest's mark but committed after it.
    (late,) = ingest(matching[1])
    Determination.objects.filter(pk=late).update(created_at=search.alert_mark - IN_FLIGHT / 2)
    send_digests("daily", DAY_2)
    assert len(smtp_server.messages) == 2
    assert case_numbers([late]) <= set(
        re.findall(r"CM\d\d-\d+", parts(smtp_server.messages[1])["text/plain"])
    )


def test_each_frequency_has_its_own_digest(smtp_server, letters, analyst):
    matching, _other = letters
    saved(analyst, f"category={CATEGORY}", Frequency.WEEKLY)
    off = saved(analyst, f"category={CATEGORY}", Frequency.OFF)
    ingest(matching[0])
    assert send_digests("daily", DAY_1).sent == 0
    assert send_digests("weekly").sent == 1
    assert Digest.objects.get().period == period_key("weekly", timezone.now())
    assert not off.sent.exists()
