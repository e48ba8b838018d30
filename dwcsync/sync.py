"""Walk DWC's result pages for a decision-date window and ingest every letter not yet held.

One sync at a time (a PostgreSQL advisory lock), so one request at a time across every
process. All state is in PostgreSQL (``dwcsync.models``): a run, its windows and each window's
last finished page. A page is finished in one transaction that records its rows (DWC's coding)
and the outcome of each of its letters; its PDFs go in before that through the one ingest path
(``ingest.batches``: an upload batch per page, each file saved by ``ingest.loader``). A process
killed anywhere repeats at most the page it was on, and nothing on it twice: a letter already
saved is held (by case number, or by hash in the loader), a batch left half-done is finished.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from determinations.models import Determination
from dwcsync.agreement import case_disagrees
from dwcsync.client import Client, NotFound, Politeness, Refused, SyncStop
from dwcsync.drift import record_drift
from dwcsync.fallback import apply_dwc_coding, release_fallback
from dwcsync.models import CaseStatus, DwcCase, DwcItem, RunStatus, SyncRun, SyncWindow
from dwcsync.page import Page, Row, ShapeError, form_fields, parse_page, query_end
from ingest import batches
from ingest.models import FileStatus
from ingest.pipeline import sha256_hex

log = logging.getLogger("dwcsync")

# First key of the two-key advisory lock: "DWC sync" (ingest.batches uses 4_1170 for batches).
SYNC_LOCK = (4_1171, 0)
# What the loader's outcome makes of a DWC case.
FILE_OUTCOME = {
    FileStatus.NEW: CaseStatus.INGESTED,
    FileStatus.NEEDS_REVIEW: CaseStatus.INGESTED,
    FileStatus.CONFLICT: CaseStatus.INGESTED,
    FileStatus.UNCHANGED: CaseStatus.INGESTED,
    FileStatus.FAILED: CaseStatus.FAILED,
}


class AlreadyRunning(Exception):
    pass


class _Partial(Exception):
    """A stop in the middle of a page's downloads, with the PDFs fetched before it."""

    def __init__(self, fetched: list[tuple[DwcCase, bytes]], stop: SyncStop) -> None:
        super().__init__(str(stop))
        self.fetched = fetched
        self.stop = stop


class NotConfigured(Exception):
    pass


def politeness() -> Politeness:
    contact = settings.DWC_CONTACT.strip()
    if not contact:
        raise NotConfigured(
            "set DWC_CONTACT (an email address or URL) so DWC can reach whoever runs this "
            "crawler; it is sent in the User-Agent"
        )
    return Politeness(
        user_agent=(
            f"IMR-Determinations-sync/1.0 (IMR decision search, one request at a time, "
            f"{settings.DWC_DELAY_SECONDS:g} s apart; contact: {contact})"
        ),
        delay=settings.DWC_DELAY_SECONDS,
        timeout=settings.DWC_TIMEOUT_SECONDS,
        max_retries=settings.DWC_MAX_RETRIES,
        backoff=settings.DWC_BACKOFF_SECONDS,
        max_retry_after=settings.DWC_MAX_RETRY_AFTER_SECONDS,
        hosts=dwc_hosts(),
    )


def dwc_hosts(search_url: str | None = None) -> frozenset[str]:
    """Where a redirect may take us: DWC_HOSTS and the search form's own host."""
    own = urllib.parse.urlsplit(search_url or settings.DWC_SEARCH_URL).hostname or ""
    return frozenset({*(h.lower() for h in settings.DWC_HOSTS), own.lower()} - {""})


def take_request() -> None:
    """Count one request against today's budget (every process's), or raise BudgetSpent."""
    from dwcsync.client import BudgetSpent

    budget = settings.DWC_DAILY_REQUEST_BUDGET
    today = datetime.datetime.now(tz=datetime.UTC).date()
    row = None
    if budget > 0:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO dwcsync_requestday (day, requests) VALUES (%s, 1)"
                " ON CONFLICT (day) DO UPDATE SET requests = dwcsync_requestday.requests + 1"
                " WHERE dwcsync_requestday.requests < %s RETURNING requests",
                [today, budget],
            )
            row = cursor.fetchone()
    if row is None:
        raise BudgetSpent(
            f"today's budget of {budget} requests to DWC (DWC_DAILY_REQUEST_BUDGET) is spent; "
            "the next run resumes here"
        )


@contextmanager
def sync_lock() -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", list(SYNC_LOCK))
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", list(SYNC_LOCK))


def sync_window(
    decided_from: datetime.date,
    decided_to: datetime.date,
    *,
    trigger: str = "command",
    report: Callable[[str], None] = log.info,
    client: Client | None = None,
    search_url: str | None = None,
) -> SyncRun:
    """Sync decisions of [decided_from, decided_to]; resumes this window's unfinished run.

    ``search_url`` is the search form's address (default DWC_SEARCH_URL; a replay passes the
    recorded one).

    Raises ShapeError or Refused (the run is marked failed) and AlreadyRunning; a SyncStop
    (budget, DWC unreachable) ends the run as stopped, to be resumed, and is not raised.
    """
    if decided_from > decided_to:
        raise ValueError(f"--decided-from {decided_from} is after --decided-to {decided_to}")
    client = client or Client(politeness(), take_request)
    with sync_lock() as got:
        if not got:
            raise AlreadyRunning("another DWC sync is running; one at a time")
        run = (
            SyncRun.objects.filter(decided_from=decided_from, decided_to=decided_to)
            .exclude(status=RunStatus.FINISHED)
            .order_by("-id")
            .first()
        )
        if run is None:
            run = SyncRun.objects.create(
                decided_from=decided_from, decided_to=decided_to, trigger=trigger
            )
            SyncWindow.objects.create(run=run, decided_from=decided_from, decided_to=decided_to)
        else:
            report(f"resuming run #{run.pk} ({run.pages} pages done)")
            SyncRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, message="")
        return _run(run, client, report, search_url or settings.DWC_SEARCH_URL)


def sync_recent(days: int, *, trigger: str = "schedule", report: Callable[[str], None] = log.info):
    """The daily job: the last ``days`` days of decisions (today included)."""
    today = timezone.localdate()
    return sync_window(today - datetime.timedelta(days=days), today, trigger=trigger, report=report)


def _run(run: SyncRun, client: Client, report: Callable[[str], None], search_url: str) -> SyncRun:
    walker = _Walker(run, client, report, search_url)
    try:
        walker.settle_pending()
        while True:
            window = (
                run.windows.filter(done=False, split=False).order_by("decided_from", "id").first()
            )
            if window is None:
                break
            walker.walk(window)
        walker.settle_pending()
    except SyncStop as exc:
        _end(run, RunStatus.STOPPED, str(exc))
        report(f"stopped (resumable): {exc}")
        _measure_drift(run)
        return _refreshed(run)
    except (ShapeError, Refused) as exc:
        _end(run, RunStatus.FAILED, str(exc))
        raise
    except BaseException as exc:
        # A bug, or the process told to stop: the run stays resumable.
        _end(run, RunStatus.STOPPED, f"interrupted: {type(exc).__name__}: {exc}")
        raise
    run = _refreshed(run)
    _end(
        run,
        RunStatus.FINISHED,
        f"{run.pages} pages, {run.rows} rows, {run.new_letters} new letters, "
        f"{run.already_held} already held, {run.failures} failures",
    )
    _measure_drift(run)
    return _refreshed(run)


def _measure_drift(run: SyncRun) -> None:
    """The drift alarm's measure of the run's window (dwcsync.drift); never fails the run."""
    try:
        record_drift(_refreshed(run))
    except Exception:
        log.exception("drift of sync run %s not measured", run.pk)


def _refreshed(run: SyncRun) -> SyncRun:
    run.refresh_from_db()
    return run


def _end(run: SyncRun, status: str, message: str) -> None:
    SyncRun.objects.filter(pk=run.pk).update(
        status=status, message=message[:5000], finished_at=timezone.now()
    )


def _carry(row: Row | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in asdict(row).items()}


def _cases_starting(page: Page, carry: dict[str, Any]) -> int:
    """Cases whose rows begin on this page (a case continued from the last page is not)."""
    previous = carry.get("row", {}).get("case_number")
    starts = 0
    for row in page.rows:
        if row.case_number != previous:
            starts += 1
        previous = row.case_number
    return starts


def _page_key(page: Page) -> str:
    """A page's rows in short, to notice DWC serving the same page again."""
    return hashlib.sha256(repr(page.rows).encode()).hexdigest()[:16]


def _uncarry(data: dict[str, Any]) -> Row | None:
    if not data:
        return None
    dates = ("decision_date", "date_of_injury", "received_date")
    return Row(
        **{k: datetime.date.fromisoformat(v) if k in dates and v else v for k, v in data.items()}
    )


class _Walker:
    def __init__(
        self, run: SyncRun, client: Client, report: Callable[[str], None], search_url: str
    ) -> None:
        self.run = run
        self.client = client
        self.report = report
        self.url = search_url
        self.requests_counted = client.requests
        # What this run has said about the table's header already (said once per run).
        self.header_noted: set[tuple[str, ...]] = set()

    def walk(self, window: SyncWindow) -> None:
        while True:
            number = window.pages_done + 1
            if window.pages_total is not None and number > window.pages_total:
                if window.total_changed and not window.rewalked:
                    self.report(f"{window}: DWC's total changed while walking; walking it again")
                    window.pages_done, window.rewalked, window.carry = 0, True, {}
                    window.save()
                    continue
                window.done = True
                window.save(update_fields=["done"])
                return
            try:
                body = self.client.post(
                    self.url,
                    form_fields(window.decided_from, query_end(window.decided_to), number),
                )
            except NotFound:
                raise ShapeError(f"DWC's search form at {self.url}", "404 Not Found") from None
            html = body.decode("utf-8", errors="replace")
            page = parse_page(html, _uncarry(window.carry.get("row", {})))
            self._note(window, page, number)
            if number == 1 and self._split_if_capped(window, page):
                return
            shifted = self._check_page(window, page, number)
            self.record_page(window, page, number, shifted)

    def _split_if_capped(self, window: SyncWindow, page: Page) -> bool:
        cap = settings.DWC_PAGE_CAP
        if page.pages_total <= cap:
            return False
        if window.decided_from == window.decided_to:
            self.report(
                f"{window.decided_from}: {page.pages_total} pages, more than DWC_PAGE_CAP={cap}, "
                "and one day cannot be split: walking every page"
            )
            return False
        middle = window.decided_from + (window.decided_to - window.decided_from) // 2
        with transaction.atomic():
            SyncWindow.objects.create(
                run=self.run, decided_from=window.decided_from, decided_to=middle
            )
            SyncWindow.objects.create(
                run=self.run,
                decided_from=middle + datetime.timedelta(days=1),
                decided_to=window.decided_to,
            )
            window.split = True
            window.total_results = page.total
            window.save(update_fields=["split", "total_results"])
        self.report(
            f"{window.decided_from} to {window.decided_to}: {page.pages_total} pages > cap {cap}; "
            f"split at {middle}"
        )
        return True

    def _note(self, window: SyncWindow, page: Page, number: int) -> None:
        """Say (once per run) what of the page's header is not read, and what a page without
        results said; refuse a later page without the table."""
        if not page.has_table:
            if number > 1:
                raise ShapeError(
                    f"the results table on page {number} of {window.decided_from} to "
                    f"{window.decided_to}",
                    f"a page without it saying {page.message[:200]!r}",
                )
            days = (query_end(window.decided_to) - window.decided_from).days
            message = (
                f"{window.decided_from} to {window.decided_to}: no results; DWC's page says "
                f"{page.message[:300]!r}"
            )
            if days > 7:
                # Hundreds of decisions a week: a long empty window may be a form DWC refused.
                message += f" (no decision in {days} days: check it with sync_dwc --probe)"
                log.warning(message)
            else:
                log.info(message)
            self.report(message)
            return
        key = (*page.extra, "|", *page.absent)
        if (page.extra or page.absent) and key not in self.header_noted:
            self.header_noted.add(key)
            if page.extra:
                message = f"DWC's results table has columns we do not read: {list(page.extra)}"
                log.warning(message)
                self.report(message)
            if page.absent:
                message = f"DWC's results table lacks {list(page.absent)}: left empty"
                log.warning(message)
                self.report(message)

    def _check_page(self, window: SyncWindow, page: Page, number: int) -> bool:
        """Check the page against the window's pages so far; True if DWC's total changed.

        The walk ends at the first page without a next-page form (``pages_total`` becomes its
        number); until then ``pages_total`` is DWC's total over the rows a full page holds,
        an estimate. A last page before DWC's total is reached stops the run: a page lost.
        """
        shifted = False
        if window.total_results is None:
            window.total_results = page.total
        elif page.total != window.total_results:
            window.total_changed = shifted = True
            window.total_results = page.total
        if page.has_next and not page.rows:
            raise ShapeError(
                f"rows on page {number}, which has a next page", "none (DWC would page forever)"
            )
        key = _page_key(page)
        if page.has_next and key == window.carry.get("page_key"):
            raise ShapeError(
                f"page {number} to differ from page {number - 1}", "the same rows again"
            )
        if page.has_next:
            window.pages_total = max(number + 1, page.pages_total)
            return shifted
        window.pages_total = number
        rows = window.carry.get("rows_seen", 0) + len(page.rows)
        cases = window.carry.get("cases_seen", 0) + _cases_starting(page, window.carry)
        if not (window.total_changed or shifted) and page.total > max(rows, cases):
            raise ShapeError(
                f"DWC's total of {page.total} results by the last page (page {number} has no "
                "next-page form)",
                f"{rows} rows ({cases} cases): a next page DWC did not link",
            )
        if page.total not in (rows, cases) and not window.total_changed:
            log.warning(
                "%s to %s: DWC's total is %d; the walk read %d rows (%d cases)",
                window.decided_from,
                window.decided_to,
                page.total,
                rows,
                cases,
            )
        return shifted

    # --- one page -------------------------------------------------------------------

    def record_page(self, window: SyncWindow, page: Page, number: int, shifted: bool) -> None:
        # The previous page's last case continues here: its identical rows go on counting
        # (two "Opioids, Upheld" items either side of the page break are two items), unless
        # the results shifted between the pages (then a row seen again is the same row).
        continued = {} if shifted else window.carry.get("counts", {})
        cases, last_counts = self._list_cases(page, continued)
        stop: SyncStop | None = None
        try:
            fetched = self._download(cases)
        except _Partial as partial:
            fetched, stop = partial.fetched, partial.stop
        if fetched:
            self._ingest(fetched)
        if stop is not None:
            # What was fetched is saved (the next run settles it); the page is not finished.
            raise stop
        with transaction.atomic():
            counts = self._resolve(cases)
            window.pages_done = number
            window.carry = {
                **({"row": _carry(page.rows[-1]), "counts": last_counts} if page.rows else {}),
                # What the walk read so far, to check against DWC's total at its end.
                "rows_seen": window.carry.get("rows_seen", 0) + len(page.rows),
                "cases_seen": window.carry.get("cases_seen", 0)
                + _cases_starting(page, window.carry),
                "page_key": _page_key(page),
            }
            window.save()
            SyncRun.objects.filter(pk=self.run.pk).update(
                pages=F("pages") + 1,
                rows=F("rows") + len(page.rows),
                requests=F("requests") + (self.client.requests - self.requests_counted),
                new_letters=F("new_letters") + counts["new"],
                already_held=F("already_held") + counts["held"],
                failures=F("failures") + counts["failed"],
            )
            self.requests_counted = self.client.requests
        self.report(
            f"{window.decided_from} to {window.decided_to} page {number}/{window.pages_total}: "
            f"{len(page.rows)} rows, {counts['new']} new, {counts['held']} held, "
            f"{counts['failed']} failed"
        )

    def _list_cases(
        self, page: Page, continued: dict[str, int]
    ) -> tuple[list[DwcCase], dict[str, int]]:
        """Record DWC's rows (its coding); return the page's cases, in order, and the counts
        of each row of its last case (keyed ``category|subcategory|decision``)."""
        by_case: dict[str, list[Row]] = {}
        for row in page.rows:
            by_case.setdefault(row.case_number, []).append(row)
        leading = page.rows[0].case_number if page.rows and page.rows[0].continued else None
        cases = []
        counts: dict[str, dict[str, int]] = {}
        with transaction.atomic():
            for number, rows in by_case.items():
                first = rows[0]
                case, _ = DwcCase.objects.get_or_create(
                    case_number=number,
                    defaults={
                        "pdf_url": urllib.parse.urljoin(self.url, first.pdf_href),
                        "decision_date": first.decision_date,
                        "date_of_injury": first.date_of_injury,
                        "received_date": first.received_date,
                        "specialty": first.specialty,
                        "first_run": self.run,
                    },
                )
                seen = counts[number] = dict(continued) if number == leading else {}
                items = []
                for row in rows:
                    key = "|".join((row.category, row.subcategory, row.decision))
                    seen[key] = seen.get(key, 0) + 1
                    items.append(
                        DwcItem(
                            case=case,
                            category=row.category[:120],
                            subcategory=row.subcategory[:200],
                            decision=row.decision[:60],
                            occurrence=seen[key],
                        )
                    )
                DwcItem.objects.bulk_create(items, ignore_conflicts=True)
                cases.append(case)
        return cases, counts[page.rows[-1].case_number] if page.rows else {}

    def settle_pending(self) -> None:
        """Letters a killed sync left between download and page end: finish their batches
        (the loader skips whatever was saved) and count them once, in this run."""
        pending = DwcCase.objects.filter(status=CaseStatus.PENDING).exclude(ingest_file=None)
        batch_ids = set(
            pending.filter(ingest_file__status=FileStatus.PENDING).values_list(
                "ingest_file__batch_id", flat=True
            )
        )
        for batch_id in sorted(batch_ids):
            batches.process_batch(batch_id)
        cases = list(pending)
        if not cases:
            return
        with transaction.atomic():
            counts = self._resolve(cases)
            SyncRun.objects.filter(pk=self.run.pk).update(
                new_letters=F("new_letters") + counts["new"],
                already_held=F("already_held") + counts["held"],
                failures=F("failures") + counts["failed"],
            )

    def _held(self, case: DwcCase) -> Determination | None:
        return (
            Determination.objects.filter(
                Q(case_number=case.case_number) | Q(claimed_case_number=case.case_number)
            )
            .order_by("id")
            .first()
        )

    def _download(self, cases: list[DwcCase]) -> list[tuple[DwcCase, bytes]]:
        fetched = []
        for case in cases:
            if case.status in (CaseStatus.INGESTED, CaseStatus.PENDING):
                continue
            held = self._held(case)
            # A failed case whose letter is only DWC's index (dwcsync.fallback) is fetched
            # again: a readable copy at DWC replaces that letter.
            if held is not None and not (
                case.status == CaseStatus.FAILED and held.pk == case.determination_id
            ):
                # One DWC case per letter: a letter another case already claims stays with it.
                linked = DwcCase.objects.filter(determination=held).exists()
                DwcCase.objects.filter(pk=case.pk, determination=None).update(
                    determination=None if linked else held,
                    status=CaseStatus.INGESTED,
                    message=f"already held as letter #{held.pk}",
                )
                case.refresh_from_db()
                case.held_now = True  # type: ignore[attr-defined]
                continue
            try:
                data = self.client.get(case.pdf_url)
            except SyncStop as exc:
                raise _Partial(fetched, exc) from exc
            except NotFound:
                DwcCase.objects.filter(pk=case.pk).update(
                    status=CaseStatus.MISSING, message=f"404 for {case.pdf_url}"
                )
                case.failed_now = True  # type: ignore[attr-defined]
                continue
            digest = sha256_hex(data)
            if case.status == CaseStatus.FAILED and digest == case.sha256:
                case.failed_now = True  # type: ignore[attr-defined]
                continue  # the same unreadable file as last time: already in the review queue
            if case.status == CaseStatus.FAILED:
                release_fallback(case)  # another file: it replaces DWC's index
            fetched.append((case, data))
        return fetched

    def _ingest(self, fetched: list[tuple[DwcCase, bytes]]) -> None:
        """The page's new PDFs as one upload batch, saved through the one ingest path."""
        uploads = [batches.Upload(f"{case.case_number}.pdf", data) for case, data in fetched]
        with transaction.atomic():
            batch = batches.create_batch(uploads)
            batch.uploaded_names = f"DWC sync run #{self.run.pk}: {batch.uploaded_names}"[:5000]
            batch.save(update_fields=["uploaded_names"])
            records = {f.name: f for f in batch.files.all()}
            for case, data in fetched:
                record = records[f"{case.case_number}.pdf"]
                DwcCase.objects.filter(pk=case.pk).update(
                    status=CaseStatus.PENDING, ingest_file=record, sha256=sha256_hex(data)
                )
        batches.process_batch(batch.pk)

    def _resolve(self, cases: list[DwcCase]) -> dict[str, int]:
        counts = {"new": 0, "held": 0, "failed": 0}
        for stale in cases:
            case = DwcCase.objects.select_related("ingest_file").get(pk=stale.pk)
            if getattr(stale, "held_now", False):
                counts["held"] += 1
            elif getattr(stale, "failed_now", False):
                counts["failed"] += 1
            elif case.status == CaseStatus.PENDING and case.ingest_file is not None:
                record = case.ingest_file
                if record.status == FileStatus.PENDING:
                    continue  # not done (the batch's own worker finishes it); page repeats
                case.status = FILE_OUTCOME[FileStatus(record.status)]
                case.message = record.message[:2000]
                if (
                    record.determination_id
                    and not DwcCase.objects.filter(determination_id=record.determination_id)
                    .exclude(pk=case.pk)
                    .exists()
                ):
                    case.determination_id = record.determination_id
                if case.status == CaseStatus.FAILED:
                    counts["failed"] += 1
                elif record.status == FileStatus.UNCHANGED:
                    counts["held"] += 1
                else:
                    counts["new"] += 1
            if case.status in (CaseStatus.INGESTED, CaseStatus.FAILED):
                # DWC's coding where the letter cannot be read, and in fields it left empty.
                apply_dwc_coding(case)
            if case.determination_id:
                case.disagrees = case_disagrees(case)
            case.save()
        return counts
