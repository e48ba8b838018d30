"""dwcsync.client: redirects within DWC's hosts are followed as a browser follows them, at
most 5 in a row; a redirect elsewhere is refused, naming the address, and never requested."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dwcsync.client import Client, Politeness, Refused
from dwcsync.page import form_fields
from tests.dwcsync.conftest import letters
from tests.dwcsync.fake_dwc import SEARCH_PATH, FakeDwc, serve
from tests.production.support import ROOT, subprocess_env


def client(**kw) -> Client:
    spec = {"user_agent": "test", "delay": 0, "timeout": 2, "hosts": frozenset({"127.0.0.1"})}
    return Client(Politeness(**{**spec, **kw}), take_request=lambda: None, sleep=lambda _s: None)


@pytest.fixture
def fake():
    fake = FakeDwc(letters(13)[:3])
    with serve(fake) as url:
        fake.url = url
        fake.base = url.split("/dwc/")[0]
        yield fake


def test_it_follows_a_redirect_on_dwcs_host(fake):
    fake.faults.redirects = {"/pdfs/": (301, "/archive/pdfs/")}
    letter = fake.letters[0]
    assert client().get(f"{fake.base}/pdfs/{letter.case_number}.pdf") == letter.pdf
    assert [key for _, key, _ in fake.log] == [
        f"301 /pdfs/{letter.case_number}.pdf",
        letter.case_number,
    ]


# (status, the method the form is sent again with): 307/308 repeat the POST, 301-303 become
# a GET as in a browser (the fake answers a GET of the form 404: how we see which was sent).
POSTED = [(307, "POST"), (308, "POST"), (302, "GET"), (303, "GET")]


@pytest.mark.parametrize(("status", "method"), POSTED)
def test_it_follows_a_redirected_form_as_a_browser(fake, status, method):
    fake.faults.redirects = {SEARCH_PATH: (status, "/v2/IMRDecisionSearch.asp")}
    lo = min(x.decision_date for x in fake.letters)
    c = client()
    if method == "POST":
        assert b"tabborder" in c.post(fake.url, form_fields(lo, lo, 1))
    else:
        from dwcsync.client import NotFound

        with pytest.raises(NotFound):
            c.post(fake.url, form_fields(lo, lo, 1))
    assert c.requests == 2


def test_it_follows_at_most_five_redirects_in_a_row(fake):
    fake.faults.redirects = {"/loop/": (302, "/loop/loop/")}
    c = client()
    with pytest.raises(Refused, match="more than 5 redirects in a row"):
        c.get(f"{fake.base}/loop/x.pdf")
    assert c.requests == 6  # the request and five redirects followed


OFF_HOST = [
    "http://files.elsewhere.invalid/pdfs/",  # another host
    "ftp://127.0.0.1/pdfs/",  # DWC's host, another scheme
]


@pytest.mark.parametrize("target", OFF_HOST)
def test_it_refuses_a_redirect_off_dwcs_hosts_naming_it(fake, target):
    fake.faults.redirects = {"/pdfs/": (302, target)}
    letter = fake.letters[0]
    c = client()
    with pytest.raises(Refused) as caught:
        c.get(f"{fake.base}/pdfs/{letter.case_number}.pdf")
    assert f"{target}{letter.case_number}.pdf" in str(caught.value)
    assert "outside DWC's hosts" in str(caught.value)
    assert c.requests == 1


def test_a_redirect_without_a_location_stops(fake):
    fake.faults.redirects = {"/pdfs/": (302, "")}
    with pytest.raises(Refused):
        client().get(f"{fake.base}/pdfs/{fake.letters[0].case_number}.pdf")


def test_the_sync_allows_dwc_hosts_and_the_forms_own(settings):
    from dwcsync.sync import dwc_hosts

    settings.DWC_HOSTS = ["www.dir.ca.gov", "dir.ca.gov"]
    settings.DWC_SEARCH_URL = "https://apps.dir.ca.gov/imr/search"
    assert dwc_hosts() == {"www.dir.ca.gov", "dir.ca.gov", "apps.dir.ca.gov"}


# (DWC_HOSTS, whether the settings load)
HOSTS = [
    ("", True),  # unset: DWC's own (www.dir.ca.gov, dir.ca.gov)
    ("www.dir.ca.gov, DIR.CA.GOV", True),
    ("https://www.dir.ca.gov", False),  # an address, not a host
    ("*.ca.gov", False),  # no wildcards
    ("www.dir.ca.gov:443", False),  # no port
    ("-bad-.ca.gov", False),
]


@pytest.mark.parametrize(("value", "loads"), HOSTS)
def test_a_bad_dwc_hosts_value_stops_the_settings(value, loads):
    env = subprocess_env(DWC_HOSTS=value)
    done = subprocess.run(
        [sys.executable, "-c", "import imr_site.settings as s; print(s.DWC_HOSTS)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode == 0) == loads, done.stderr
    if not loads:
        assert f"DWC_HOSTS: {value.lower()!r} is not a host name" in done.stderr
