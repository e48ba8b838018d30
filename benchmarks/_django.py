"""Boot Django for a benchmark script, on its own database so demo data is untouched."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def setup(db_name: str) -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imr_site.settings")
    # With the embedded server, each benchmark gets its own database; with DATABASE_URL
    # set, the URL's database is used as it is (point it at a scratch database).
    os.environ.setdefault("EMBEDDED_DB_NAME", db_name)
    # The Django test client calls itself "testserver".
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG is off, as in production: pages need the hashed static files manifest.
    call_command("collectstatic", "--no-input", verbosity=0)


def peak_rss_mb() -> float:
    import resource

    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
