"""dwcsync.client: delay between requests, exponential backoff, Retry-After, what stops it."""

from __future__ import annotations

import pytest

from dwcsync.client import Client, NotFound, Politeness, Refused, Unreachable, WaitTooLong
from tests.dwcsync.conftest import letters
from tests.dwcsync.fake_dwc import FakeDwc, serve


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(**kw) -> tuple[Client, Sleeps]:
    sleeps = Sleeps()
    spec = {"user_agent": "test", "delay": 0, "timeout": 0.5, "max_retries": 3, "backoff": 2}
    return Client(Politeness(**{**spec, **kw}), take_request=lambda: None, sleep=sleeps), sleeps


@pytest.fixture
def fake():
    fake = FakeDwc(letters(13)[:3])
    with serve(fake) as url:
        fake.url = url
        fake.pdf_url = url.split("/dwc/")[0] + f"/pdfs/{fake.letters[0].case_number}.pdf"
        yield fake


def test_it_backs_off_exponentially_on_503(fake):
    fake.faults.unavailable[fake.letters[0].case_number] = 3
    c, sleeps = client()
    assert c.get(fake.pdf_url) == fake.letters[0].pdf
    assert sleeps == [2, 4, 8]
    assert fake.requests_for(fake.letters[0].case_number) == 4


def test_it_honours_retry_after(fake):
    fake.faults.unavailable[fake.letters[0].case_number] = 1
    fake.faults.retry_after = "7"
    c, sleeps = client()
    c.get(fake.pdf_url)
    assert sleeps == [7.0]


def test_it_waits_as_asked_after_429(fake):
    fake.faults.too_many[fake.letters[0].case_number] = 2
    c, sleeps = client()
    c.get(fake.pdf_url)
    assert sleeps == [1.0, 1.0]


def test_it_stops_rather_than_wait_longer_than_allowed(fake):
    fake.faults.unavailable[fake.letters[0].case_number] = 1
    fake.faults.retry_after = "3600"
    c, sleeps = client(max_retry_after=600)
    with pytest.raises(WaitTooLong, match="3600"):
        c.get(fake.pdf_url)
    assert sleeps == []


def test_it_retries_a_timeout(fake):
    fake.faults.slow.add(fake.letters[0].case_number)
    fake.faults.slow_seconds = 1.0
    c, sleeps = client(timeout=0.3)
    assert c.get(fake.pdf_url) == fake.letters[0].pdf
    assert sleeps == [2]


def test_it_gives_up_after_the_last_retry(fake):
    fake.faults.unavailable[fake.letters[0].case_number] = 99
    c, _sleeps = client(max_retries=2)
    with pytest.raises(Unreachable, match="3 tries"):
        c.get(fake.pdf_url)
    assert fake.requests_for(fake.letters[0].case_number) == 3


# (status, what the client raises) for answers that are not retried
NOT_RETRIED = [
    (404, NotFound),  # a missing PDF: recorded, the sync goes on
    (403, Refused),  # DWC does not want us: stop
    (400, Refused),
    (410, Refused),
]


@pytest.mark.parametrize(("status", "error"), NOT_RETRIED)
def test_it_does_not_retry_client_errors(fake, status, error):
    fake.faults.status[fake.letters[0].case_number] = status
    c, sleeps = client()
    with pytest.raises(error):
        c.get(fake.pdf_url)
    assert fake.requests_for(fake.letters[0].case_number) == 1
    assert sleeps == []


def test_it_waits_the_delay_between_requests(fake):
    c, sleeps = client(delay=0.25)
    c.get(fake.pdf_url)
    c.get(fake.pdf_url)
    assert len(sleeps) == 1 and 0.1 < sleeps[0] <= 0.25


def test_it_retries_a_connection_reset():
    import socket
    import threading

    # A server that accepts and closes at once the first time (a reset), then answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def serve_twice():
        conn, _ = listener.accept()
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()  # RST
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        conn.close()

    thread = threading.Thread(target=serve_twice, daemon=True)
    thread.start()
    c, sleeps = client()
    assert c.get(f"http://127.0.0.1:{port}/x") == b"ok"
    assert sleeps == [2]
    listener.close()
