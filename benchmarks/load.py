"""Load benchmark: concurrent analysts against gunicorn while an ingest batch runs.

    .venv/bin/python benchmarks/load.py [--seconds 300] [--clients 50] [--corpus 20000]
                                        [--ingest 3000]

Starts gunicorn exactly as docker-compose does (``gunicorn imr_site.wsgi`` with
gunicorn.conf.py, DJANGO_ENV=production, JSON logs to a file) on 127.0.0.1, against a
benchmark database (the embedded PostgreSQL's ``imr_bench_load``, or DATABASE_URL) that
holds ``--corpus`` synthetic letters. ``--clients`` analysts each sign in through the
login form, then loop until time is up over a realistic mix -- search, facet filters, a
letter's page, a narrow CSV export -- reading each page ``--think`` seconds on average
(exponentially distributed; 0: back-to-back requests, a capacity test). After a short
warm-up, ``manage.py ingest`` saves ``--ingest`` fresh letters at the same time. Prints
throughput, p50/p95 latency per kind and overall, and the error count.
Target: zero errors, p95 under 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from _django import setup

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "imr_bench_load"
HOST = "imr.bench"
PASSWORD = "load-test-passphrase-42"  # noqa: S105 (a throwaway benchmark account)

SEARCHES = [
    "pain",
    "physical therapy",
    "opioids",
    "MRI lumbar",
    '"functional restoration program"',
    '"urine drug screen"',
    "gabapenten",
    "acupuncture -chiropractic",
    "norco OR percocet",
    "epidural steroid injection",
]
FACETS = [
    {"drug": "hydrocodone", "outcome": "overturned"},
    {"drug": "cyclobenzaprine", "outcome": "upheld"},
    {"specialty": "Pain Management", "year": "2016"},
    {"category": "Pharmaceuticals", "state": "CA"},
    {"drug_class": "Opioids", "guideline": "MTUS"},
    {"category": "Diagnostic Testing", "count": "letters"},
    {"category": "Surgery", "year": "2017", "sort": "oldest"},
]
# Exports an analyst would run: one drug, one outcome, one year (hundreds of rows here).
EXPORTS = [
    {"drug": "tramadol", "outcome": "overturned", "year": "2016"},
    {"drug": "gabapentin", "outcome": "upheld", "year": "2015"},
    {"drug": "omeprazole", "year": "2017"},
]
# Share of each kind in an analyst's loop.
MIX = [("search", 40), ("facets", 30), ("detail", 25), ("export", 5)]


class Analyst:
    """One signed-in analyst on a keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        return self.request("GET", path, headers=headers)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        head = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn closed an idle keep-alive connection (or recycled a worker).
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str) -> None:
        status, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            form.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{HOST}/accounts/login/",
            },
        )
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
        self.errors: list[str] = []

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(ms)
            if error:
                self.errors.append(error)


class Start:
    """Every analyst signs in, then all start together and stop at the same deadline."""

    def __init__(self, clients: int) -> None:
        self.signed_in = threading.Barrier(clients + 1)
        self.go = threading.Event()
        self.deadline = 0.0


def analyst_loop(
    n: int, port: int, ids: list[int], results: Results, start: Start, think: float
) -> None:
    rng = random.Random(n)
    analyst = Analyst(port)
    try:
        analyst.sign_in(f"analyst{n}")
    except Exception as exc:
        results.add("search", 0.0, f"sign-in: {exc}")
        start.signed_in.wait()
        return
    start.signed_in.wait()
    start.go.wait()
    deadline = start.deadline
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        headers = None
        if kind == "search":
            path = "/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
        elif kind == "facets":
            params = dict(rng.choice(FACETS))
            if rng.random() < 0.5:
                params["q"] = rng.choice(SEARCHES)
            path = "/?" + urllib.parse.urlencode(params)
            # Half of facet clicks refresh only the results part, as the page's script does.
            headers = {"X-Partial": "results"} if rng.random() < 0.5 else None
        elif kind == "detail":
            path = f"/letters/{rng.choice(ids)}/"
        else:
            path = "/export.csv?" + urllib.parse.urlencode(rng.choice(EXPORTS))
        started = time.perf_counter()
        try:
            status, _ = analyst.get(path, headers)
            error = None if status == 200 else f"{status} {path}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc} {path}"
        results.add(kind, (time.perf_counter() - started) * 1000, error)
        if think:
            # Reading the page before the next click: exponential, mean `think` seconds.
            time.sleep(
                min(rng.expovariate(1 / think), 4 * think, max(0.0, deadline - time.monotonic()))
            )


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def prepare(corpus: int, ingest: int, clients: int, folder: Path) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from determinations.models import Determination
    from synth.letters import generate_letters

    sys.path.insert(0, str(Path(__file__).parent))
    from search import load_corpus

    load_corpus(corpus, workers=2)
    User = get_user_model()
    hashed = make_password(PASSWORD)
    for n in range(clients):
        User.objects.update_or_create(username=f"analyst{n}", defaults={"password": hashed})
    # Fresh letters for the ingest that runs during the load (a new seed each run).
    seed = int(time.time())
    for letter in itertools.islice(generate_letters(ingest, seed=seed), ingest):
        (folder / letter.filename).write_text(letter.text)
    return list(Determination.objects.order_by("?").values_list("pk", flat=True)[:5000])


def start_gunicorn(port: int, workdir: Path, db_env: dict[str, str]) -> subprocess.Popen:
    env = {
        **os.environ,
        **db_env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "load-benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        # Each analyst signs in from 127.0.0.1: keep the per-address throttle out of the way.
        "LOGIN_FAILURE_LIMIT_PER_IP": "100000",
    }
    subprocess.run(
        ["python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = (workdir / "web.log").open("wb")
    server = subprocess.Popen(
        ["gunicorn", "imr_site.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if Analyst(port).get("/healthz")[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit((workdir / "web.log").read_text())
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--corpus", type=int, default=20_000, help="letters in the database")
    parser.add_argument("--ingest", type=int, default=3000, help="letters ingested meanwhile")
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds an analyst reads a page before the next request (0: none)",
    )
    parser.add_argument("--warmup", type=int, default=10, help="seconds before the ingest")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    setup(DB_NAME)
    db_env = {} if os.environ.get("DATABASE_URL") else {"EMBEDDED_DB_NAME": DB_NAME}
    workdir = Path(tempfile.mkdtemp(prefix="imr-load-"))
    letters_dir = workdir / "letters"
    letters_dir.mkdir()
    ids = prepare(args.corpus, args.ingest, args.clients, letters_dir)
    port = args.port or _free_port()
    server = start_gunicorn(port, workdir, db_env)
    ingest = None
    try:
        results = Results()
        start = Start(args.clients)
        threads = [
            threading.Thread(
                target=analyst_loop, args=(n, port, ids, results, start, args.think), daemon=True
            )
            for n in range(args.clients)
        ]
        for t in threads:
            t.start()
        start.signed_in.wait()
        began = time.monotonic()
        start.deadline = began + args.seconds
        start.go.set()
        print(
            f"{args.clients} analysts signed in; running {args.seconds}s against "
            f"{len(ids):,}+ letters (gunicorn pid {server.pid}, port {port})",
            flush=True,
        )
        time.sleep(min(args.warmup, args.seconds))
        ingest_started = time.monotonic()
        ingest = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(letters_dir)],
            cwd=ROOT,
            env={
                **os.environ,
                **db_env,
                "LOG_LEVEL": "WARNING",
                "MEDIA_ROOT": str(workdir / "media"),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        # When the ingest ends, not when the analysts stop (it usually ends first).
        ingest_ended: list[float] = []
        waiter = threading.Thread(
            target=lambda: (ingest.wait(), ingest_ended.append(time.monotonic())), daemon=True
        )
        waiter.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
        ingest_code = ingest.wait()
        waiter.join()
        ingest_seconds = ingest_ended[0] - ingest_started
        ingest_out = ingest.stdout.read().decode(errors="replace") if ingest.stdout else ""
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.terminate()
        server.terminate()
        server.wait(timeout=30)

    every = [t for times in results.times.values() for t in times]
    print(
        f"\n{args.clients} analysts, mean think time {args.think}s, load average "
        f"{os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} CPUs)"
    )
    print(f"{len(every):,} requests in {elapsed:.0f}s = {len(every) / elapsed:,.1f} requests/s")
    print(f"  {'kind':<8} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, times in [*results.times.items(), ("all", every)]:
        print(
            f"  {kind:<8} {len(times):>9,} {statistics.median(times or [0]):>8.0f} "
            f"{pct(times, 0.95):>8.0f} {max(times or [0]):>8.0f}"
        )
    print(f"errors: {len(results.errors)}")
    for error in results.errors[:20]:
        print(f"  {error}")
    summary = ingest_out.strip().splitlines()[-3:] if ingest_out else []
    print(
        f"ingest during the load: {args.ingest:,} letters in {ingest_seconds:.0f}s "
        f"({args.ingest / ingest_seconds:,.1f} letters/s), exit code {ingest_code}"
    )
    for line in summary:
        print(f"  {line}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "clients": args.clients,
                    "seconds": round(elapsed),
                    "requests": len(every),
                    "throughput": round(len(every) / elapsed, 1),
                    "p50_ms": round(statistics.median(every or [0])),
                    "p95_ms": round(pct(every, 0.95)),
                    "errors": len(results.errors),
                    "by_kind": {
                        k: {"n": len(v), "p95_ms": round(pct(v, 0.95))}
                        for k, v in results.times.items()
                    },
                    "ingest_letters_per_s": round(args.ingest / ingest_seconds, 1),
                },
                indent=2,
            )
        )
    if results.errors:
        raise SystemExit(1)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    main()
