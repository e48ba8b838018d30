"""Schemathesis against the live API: every request the schema allows is answered as the
schema says, and every request it forbids is refused with a documented status.

The schema is read from /api/v1/schema/ of a live test server holding 40 synthetic
letters and called with a real token, by schemathesis's own runner (what ``st run``
runs): its phases (the schema's examples, the coverage cases of every parameter's
boundaries and wrong types, Hypothesis' fuzzing, positive and negative) with every
built-in check (server errors, status codes, content types, response schemas and
headers, positive data accepted, negative data rejected, authentication enforced,
unsupported methods refused...), at least ``MIN_REQUESTS`` generated requests in all.

(The runner, not ``schemathesis.pytest.from_fixture``: that one renames pytest's private
``Node._nodeid``, which pytest 9.2 removed.)
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from schemathesis.engine import Status, events
from schemathesis.engine import from_schema as engine_for

from api.models import ApiToken
from ingest.loader import ingest_bytes
from synth.letters import generate_letters

# The run sent 3,016; enough to meet every parameter, quick enough for CI.
MIN_REQUESTS = 1000
# Fuzzed cases per operation (positive and negative), on top of the coverage phase's.
FUZZED_PER_OPERATION = 75
SHARED_FILTERS = ("/api/v1/letters/", "/api/v1/facets/", "/api/v1/analytics/")


@pytest.fixture
def live_api(live_server, settings, tmp_path, django_user_model):
    """The live server's base URL and a token, with letters to find and no rate limit in
    the way (the 429 is documented; this run is one client sending thousands)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute"},
    }
    for letter in generate_letters(40, seed=14):
        ingest_bytes(letter.filename, letter.text.encode())
    user = django_user_model.objects.create_user("script", password="a-long-passphrase-42")
    _token, secret = ApiToken.create_for(user, "schemathesis")
    return live_server.url, secret


def test_every_answer_is_the_documented_one(live_api, capsys):
    base_url, secret = live_api
    config = schemathesis.Config.from_dict(
        {
            "base-url": f"{base_url}/",
            "seed": 23,
            "checks": {"enabled": True},
            "auth": {"openapi": {"tokenAuth": {"bearer": secret}}},
            "generation": {
                "mode": "all",
                "max-examples": FUZZED_PER_OPERATION,
                "database": "none",
            },
            # The coverage phase (each parameter's boundaries, wrong types, missing and
            # duplicated values: ~500 requests an endpoint) on items, whose parameters
            # letters, facets and analytics share (one filterset, one description), and
            # on similar; fuzzing everywhere.
            "operations": [
                {"include-path": path, "phases": {"coverage": {"enabled": False}}}
                for path in SHARED_FILTERS
            ],
        }
    )
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/schema/?format=json", config=config)
    tally: Counter[str] = Counter()
    failures: list[str] = []
    for event in engine_for(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            tally["requests"] += len(recorder.cases)
            tally[f"phase {event.phase.value}"] += len(recorder.cases)
            tally["sent"] += len(recorder.interactions)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    tally[f"status {interaction.response.status_code}"] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    tally["checks"] += 1
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{recorder.label} [{check.name}] {failure.title}: "
                            f"{failure.message}\n    {check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"error: {getattr(event, 'info', None) or event}")
    line = (
        f"schemathesis: {tally['requests']} generated requests ({tally['sent']} sent with "
        f"the checks' probes), {tally['checks']} checks run, {len(failures)} failures; "
        + ", ".join(f"{k[6:]}: {v}" for k, v in sorted(tally.items()) if k.startswith("phase "))
        + "; statuses "
        + ", ".join(f"{k[7:]}: {v}" for k, v in sorted(tally.items()) if k.startswith("status "))
    )
    with capsys.disabled():
        print("\n" + line)
    unique = list(dict.fromkeys(failures))
    assert not unique, f"{line}\n" + "\n".join(unique[:40])
    assert tally["requests"] >= MIN_REQUESTS, line
