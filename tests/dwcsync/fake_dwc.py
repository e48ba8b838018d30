"""A local fake of DWC's IMR decision search, for the sync tests (never the internet).

A small WSGI app served on 127.0.0.1 in a thread. It answers the treatment search POST
(``Fname=Tx`` with ``DecStart``/``DecEnd`` and ``newpageno``) with result pages shaped as
reconstructed in ``dwcsync/page.py`` (25 rows a page unless ``rows_per_page`` says otherwise,
a case's further treatments in continuation rows, the total in ``<strong>``, a ``Nextpage``
form), and serves each letter's PDF. Faults and variants of the page (header wording, extra
columns, the no-results page, redirects, an exclusive end date) are set per test through
``FakeDwc.faults``.

The letters are synthetic (the project's generator), plus, where a test asks, the real PDFs in
../shared. The generator is imported here only.
"""

from __future__ import annotations

import datetime
import html
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from dwcsync.page import LABELS
from synth.letters import generate_letters  # the one import of the generator in these tests
from synth.pdf import text_to_pdf

SEARCH_PATH = "/dwc/imr/IMRDecisionSearch.asp"
ROWS_PER_PAGE = 25  # the reconstructed page's; a test may serve another
# The search form, as the page without results shows it again (fields as the sync posts them).
SEARCH_FORM = (
    '<form name="IMRsearch" method="post" action="IMRDecisionSearch.asp">'
    '<input type="hidden" name="Fname" value="Tx"><input name="DecStart" value="">'
    '<input name="DecEnd" value=""><input type="submit" name="Submit" value="Submit"></form>'
)
SHARED_LETTERS = Path(__file__).resolve().parents[3] / "shared" / "letters"


@dataclass
class FakeLetter:
    case_number: str
    pdf: bytes
    decision_date: datetime.date
    date_of_injury: datetime.date | None
    received_date: datetime.date | None
    specialty: str
    # DWC's coding of each treatment: (category, subcategory/drug, decision).
    items: list[tuple[str, str, str]]


def synthetic_letters(count: int, seed: int = 7, encrypt_every: int = 0) -> list[FakeLetter]:
    """Synthetic 2016-layout letters as PDFs, DWC's coding taken from the generator's truth."""
    letters = []
    for n, letter in enumerate(generate_letters(count, seed, layout="dwc-2016")):
        t = letter.truth
        letters.append(
            FakeLetter(
                case_number=t["case_number"],
                pdf=text_to_pdf(
                    letter.text, encrypt=bool(encrypt_every) and n % encrypt_every == 0
                ),
                decision_date=datetime.date.fromisoformat(t["decision_date"]),
                date_of_injury=datetime.date.fromisoformat(t["date_of_injury"]),
                received_date=datetime.date.fromisoformat(t["application_received"]),
                specialty=", ".join(t["reviewer"]["specialties"]),
                items=[
                    (i["category"] or "", i["subcategory"] or "", i["outcome"].title())
                    for i in t["items"]
                ],
            )
        )
    return letters


def real_letters(limit: int) -> list[FakeLetter]:
    """Up to ``limit`` real DWC PDFs in ../shared, coded as our parser reads them (DWC's own
    coding of them is not in ../shared). Empty when ../shared is absent."""
    from ingest.pipeline import prepare_letter

    letters: list[FakeLetter] = []
    for path in sorted(SHARED_LETTERS.glob("dwc-2016/*.pdf")):
        if len(letters) >= limit:
            break
        data = path.read_bytes()
        parsed = prepare_letter(path.name, data).parsed
        if parsed is None or not parsed.case_number or not parsed.decision_date:
            continue
        letters.append(
            FakeLetter(
                case_number=parsed.case_number,
                pdf=data,
                decision_date=parsed.decision_date,
                date_of_injury=parsed.date_of_injury,
                received_date=parsed.application_received,
                specialty=", ".join(parsed.reviewer.specialties),
                items=[
                    (i.category or "", i.subcategory or "", i.outcome.value.title())
                    for i in parsed.items
                ]
                or [("Unknown", "", "Upheld")],
            )
        )
    return letters


@dataclass
class Faults:
    # Requests (keys: "page N" or a case number) answered 503 this many times first.
    unavailable: dict[str, int] = field(default_factory=dict)
    retry_after: str | None = None  # sent with those 503s
    # Requests answered 429 with Retry-After this many times first.
    too_many: dict[str, int] = field(default_factory=dict)
    # Requests answered slower than the client's timeout, once each.
    slow: set[str] = field(default_factory=set)
    slow_seconds: float = 1.0
    # Cases whose PDF is served cut short (valid HTTP, half a PDF).
    truncated: set[str] = field(default_factory=set)
    # Requests answered with this status, always (403, 404...).
    status: dict[str, int] = field(default_factory=dict)
    # The result table's columns, when DWC changed them: our labels, in any order; a label
    # we do not read is an extra column (its cells hold ``extra_value`` on a case's row).
    columns: tuple[str, ...] = LABELS
    # A column's header cell as written (HTML), when DWC words it otherwise.
    headers: dict[str, str] = field(default_factory=dict)
    extra_value: str = "No"
    # The page for a search without results (default: a sentence and the search form again).
    no_results_html: str | None = None
    # Requests whose path starts with a key are answered (status, Location): the key replaced
    # by the new prefix (a path, or an address on another host).
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)
    # DWC's end date exclusive: DecEnd=12/03 lists decisions up to 12/02.
    end_exclusive: bool = False
    # Pages served without their next-page form (a page DWC does not link).
    hide_next: bool = False
    # After the page with this number is served, this letter is published: it sorts first,
    # so every later row shifts by its row count (the row before each page boundary is
    # served again on the next page) and the total changes.
    publish_after_page: int | None = None
    late_letter: FakeLetter | None = None
    # Every result page answered with this HTML instead (DWC redesigned its site).
    page_html: str | None = None
    # Hold this request until ``release`` is set (a test kills the client meanwhile).
    hold: str | None = None


class FakeDwc:
    def __init__(self, letters: list[FakeLetter]) -> None:
        self.letters = list(letters)
        self.faults = Faults()
        self.log: list[tuple[str, str, str]] = []  # (method, key, user agent)
        self.held = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self.rows_per_page = ROWS_PER_PAGE

    # --- requests -------------------------------------------------------------------

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"]
        agent = environ.get("HTTP_USER_AGENT", "")
        for prefix, (status, new) in self.faults.redirects.items():
            if path.startswith(prefix):
                with self._lock:
                    self.log.append((method, f"{status} {path}", agent))
                location = new + path[len(prefix) :]
                start_response(f"{status} Moved", [("Location", location)])
                return [b"moved"]
        if method == "POST" and path.endswith(SEARCH_PATH.rsplit("/", 1)[1]):
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = urllib.parse.parse_qs(environ["wsgi.input"].read(size).decode())
            fields = {k: v[0] for k, v in form.items()}
            number = int(fields.get("newpageno", "1") or 1)
            key = f"page {number}"
            body_fn = lambda: self.page(fields, number)  # noqa: E731
            content_type = "text/html; charset=utf-8"
        elif method == "GET" and "/pdfs/" in path and path.endswith(".pdf"):
            key = path.rsplit("/", 1)[1][: -len(".pdf")]
            body_fn = lambda: self.pdf(key)  # noqa: E731
            content_type = "application/pdf"
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here"]
        with self._lock:
            self.log.append((method, key, agent))
            seen = self._counts[key] = self._counts.get(key, 0) + 1
        f = self.faults
        if f.hold == key:
            f.hold = None
            self.held.set()
            self.release.wait(30)
        if key in f.status:
            code = f.status[key]
            start_response(f"{code} Refused", [("Content-Type", "text/plain")])
            return [b"refused"]
        if seen <= f.unavailable.get(key, 0):
            headers = [("Content-Type", "text/plain")]
            if f.retry_after is not None:
                headers.append(("Retry-After", f.retry_after))
            start_response("503 Service Unavailable", headers)
            return [b"try later"]
        if seen <= f.too_many.get(key, 0):
            start_response("429 Too Many Requests", [("Retry-After", "1")])
            return [b"slow down"]
        if key in f.slow:
            f.slow.discard(key)
            time.sleep(f.slow_seconds)
        body = body_fn()
        if body is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such letter"]
        start_response(
            "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        )
        return [body]

    def requests_for(self, key: str) -> int:
        return self._counts.get(key, 0)

    def pdf(self, case_number: str) -> bytes | None:
        for letter in self._published():
            if letter.case_number == case_number:
                if case_number in self.faults.truncated:
                    return letter.pdf[: len(letter.pdf) // 3]
                return letter.pdf
        return None

    def _published(self) -> list[FakeLetter]:
        return self.letters

    def rows(self, first: datetime.date, last: datetime.date) -> list[tuple[FakeLetter, int]]:
        letters = sorted(
            (x for x in self._published() if first <= x.decision_date <= last),
            key=lambda x: (x.decision_date, x.case_number),
        )
        return [(x, n) for x in letters for n in range(len(x.items))]

    def page(self, fields: dict[str, str], number: int) -> bytes:
        first = datetime.datetime.strptime(fields["DecStart"], "%m/%d/%Y").date()
        last = datetime.datetime.strptime(fields["DecEnd"], "%m/%d/%Y").date()
        if self.faults.page_html is not None:
            return self.faults.page_html.encode()
        if self.faults.end_exclusive:
            last -= datetime.timedelta(days=1)
        rows = self.rows(first, last)
        size = self.rows_per_page
        chunk = rows[(number - 1) * size : number * size]
        f = self.faults
        if f.publish_after_page == number and f.late_letter is not None:
            # Published between this page and the next: sorts before every other letter.
            self.letters.insert(0, f.late_letter)
            f.publish_after_page = None
        if not rows:
            return (f.no_results_html or NO_RESULTS_HTML).encode()
        return render_page(chunk, len(rows), number, f, size).encode()


def _mdy(d: datetime.date | None) -> str:
    return d.strftime("%m/%d/%Y") if d else ""


NO_RESULTS_HTML = (
    "<html><title>IMR Decision Search</title><body><p>No results found.</p>"
    f"{SEARCH_FORM}</body></html>"
)


def render_page(
    chunk: list[tuple[FakeLetter, int]],
    total: int,
    number: int,
    faults: Faults,
    rows_per_page: int = ROWS_PER_PAGE,
) -> str:
    e = html.escape
    columns = faults.columns
    out = [
        "<html><head><title>IMR Decision Search Results</title></head><body>",
        '<table class="tabborder" width="100%"><tr>',
        *(f"<th>{faults.headers.get(c, e(c))}</th>" for c in columns),
        "</tr>",
    ]
    # A further treatment: one empty cell across the columns before the request category.
    spanned = columns.index("Request Category")
    for letter, n in chunk:
        category, sub, decision = letter.items[n]
        cells = {
            "Case Number": f'<a href="/pdfs/{e(letter.case_number)}.pdf">{e(letter.case_number)}</a>',
            "Decision Date": _mdy(letter.decision_date),
            "Date of Injury": _mdy(letter.date_of_injury),
            "Received Date": _mdy(letter.received_date),
            "IMRO Reviewer Specialty": e(letter.specialty),
            "Request Category": e(category),
            "SubCategory/Drug": e(sub),
            "Request Decision": e(decision),
        }
        if n > 0:
            rest = "".join(f"<td>{cells.get(c, '')}</td>" for c in columns[spanned:])
            out.append(f'<tr><td colspan="{spanned}">&nbsp;</td>{rest}</tr>')
            continue
        out.append(
            "<tr>"
            + "".join(f"<td>{cells.get(c, e(faults.extra_value))}</td>" for c in columns)
            + "</tr>"
        )
    out.append("</table>")
    pages = -(-total // rows_per_page)
    out.append(f"<p>Total: <strong>{total:,}</strong> results. Page {number} of {pages}</p>")
    if number < pages and not faults.hide_next:
        out.append(
            '<form name="Nextpage" method="post"><input type="hidden" name="newpageno" '
            f'value="{number + 1}"><input type="submit" name="Submit" value="Next"></form>'
        )
    out.append("</body></html>")
    return "".join(out)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # type: ignore[no-untyped-def]
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@contextmanager
def serve(fake: FakeDwc) -> Iterator[str]:
    """Serve ``fake`` on 127.0.0.1; yields the search form's URL."""
    server = make_server("127.0.0.1", 0, fake, server_class=_ThreadingServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{SEARCH_PATH}"
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
