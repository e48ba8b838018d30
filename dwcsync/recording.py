"""Record every exchange with DWC to a folder, and answer from such a folder offline.

``sync_dwc --record DIR`` wraps the HTTP transport in :class:`Recorder`: each request and its
answer is saved as ``NNNN.json`` (method, URL, form body, status, headers; or the error when no
answer came) beside ``NNNN.<ext>``, the answer's body as DWC sent it (``.html``, ``.pdf``), so a
person can open the pages. ``recording.json`` says what was recorded (the search form's
address, the window or probe day, when). ``sync_dwc --replay DIR`` answers from the folder with
:class:`Replayer`: each request is matched by method, URL and form fields to the first recorded
exchange not yet used, so the whole sync (retries, redirects, paging, PDFs) runs offline. The
first run against the live site thus becomes test fixtures.

Standard library only; no Django.
"""

from __future__ import annotations

import datetime
import json
import threading
import urllib.error
import urllib.parse
from pathlib import Path
from typing import Any

from dwcsync.client import Response, SyncStop, Transport

MANIFEST = "recording.json"
# Body file extensions by Content-Type, for a person opening the folder.
EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf", "text/plain": ".txt"}


class ReplayMissing(SyncStop):
    """The recording holds no answer to a request: it was recorded from another run."""


def _form(body: bytes | None) -> dict[str, list[str]] | None:
    if body is None:
        return None
    return urllib.parse.parse_qs(body.decode("ascii", "replace"), keep_blank_values=True)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{folder} holds no {MANIFEST}: not a recording of sync_dwc")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


class Recorder:
    """Passes each request to ``inner`` and saves the exchange."""

    def __init__(self, inner: Transport, folder: Path, manifest: dict[str, Any]) -> None:
        self.inner = inner
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit()]
        self.next = max(numbers, default=0) + 1
        self._lock = threading.Lock()
        old = read_manifest(folder) if (folder / MANIFEST).is_file() else {}
        runs = [*old.get("runs", []), {**manifest, "first_exchange": self.next}]
        (folder / MANIFEST).write_text(
            json.dumps({"search_url": manifest["search_url"], "runs": runs}, indent=2) + "\n"
        )

    def send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Response:
        with self._lock:
            number, self.next = self.next, self.next + 1
        entry: dict[str, Any] = {
            "method": method,
            "url": url,
            "form": _form(body),
            "body": None if body is None else body.decode("ascii", "replace"),
            "request_headers": headers,
            "at": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
        }
        try:
            response = self.inner.send(method, url, body, headers, timeout)
        except Exception as exc:
            entry["error"] = {"type": type(exc).__name__, "message": str(exc)}
            self._write(number, entry)
            raise
        kind = (response.header("Content-Type") or "").split(";")[0].strip().lower()
        body_file = f"{number:04d}{EXTENSIONS.get(kind, '.bin')}"
        (self.folder / body_file).write_bytes(response.body)
        entry.update(
            status=response.status,
            reason=response.reason,
            headers=[list(h) for h in response.headers],
            body_file=body_file,
        )
        self._write(number, entry)
        return response

    def _write(self, number: int, entry: dict[str, Any]) -> None:
        (self.folder / f"{number:04d}.json").write_text(json.dumps(entry, indent=2) + "\n")


class Replayer:
    """Answers each request from the recording; never opens a connection."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = read_manifest(folder)
        self.entries = [
            json.loads(p.read_text())
            for p in sorted(folder.glob("*.json"), key=lambda p: p.stem)
            if p.stem.isdigit()
        ]
        self.used = [False] * len(self.entries)

    def send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> Response:
        form = _form(body)
        for n, entry in enumerate(self.entries):
            if self.used[n] or (entry["method"], entry["url"], entry["form"]) != (
                method,
                url,
                form,
            ):
                continue
            self.used[n] = True
            error = entry.get("error")
            if error:
                if error["type"] in ("TimeoutError", "timeout"):
                    raise TimeoutError(error["message"])
                if "Error" in error["type"] and "Connection" in error["type"]:
                    raise ConnectionError(error["message"])
                raise urllib.error.URLError(f"{error['type']}: {error['message']}")
            return Response(
                status=entry["status"],
                reason=entry.get("reason", ""),
                headers=tuple((k, v) for k, v in entry["headers"]),
                body=(self.folder / entry["body_file"]).read_bytes(),
            )
        fields = "" if form is None else f" with {form}"
        raise ReplayMissing(
            f"the recording in {self.folder} has no (more) answers to {method} {url}{fields}: "
            "it was recorded from another run (another window, search address or state), or "
            "the recorded run stopped before this request"
        )
