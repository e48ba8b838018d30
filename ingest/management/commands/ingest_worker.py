"""The background worker: resume upload batches a dead worker left, then run the task queue.

It also enqueues the scheduled jobs of settings.PERIODIC_JOBS when they fall due (periodic.jobs),
from a thread of its own, so a deployment needs no cron.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from ingest.tasks import resume_stalled
from periodic import jobs


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker) after re-enqueueing upload "
        "batches with pending files that no live worker holds, so a worker killed mid-batch "
        "finishes it when started again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None)
        parser.add_argument(
            "--reload", action="store_true", help="restart on code changes (development)"
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="do not enqueue the scheduled jobs (PERIODIC_JOBS) from this worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = resume_stalled()
        if resumed:
            self.stdout.write(
                f"Resumed {len(resumed)} unfinished upload batch(es): "
                + ", ".join(f"#{pk}" for pk in resumed)
            )
        stop = threading.Event()
        if not options["no_schedule"]:
            if options["batch"]:
                # One pass: enqueue what is due, then the queue below runs it.
                jobs.enqueue_due()
            else:
                threading.Thread(
                    target=jobs.run_forever, args=(stop,), name="scheduler", daemon=True
                ).start()
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": options["reload"],
            "startup_delay": False,
            "worker_id": options["worker_id"] or get_random_string(32),
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"]:
            worker_options["max_tasks"] = options["max_tasks"]
        try:
            call_command("db_worker", **worker_options)
        finally:
            stop.set()
            if not options["batch"]:
                # The worker has stopped. A second Ctrl-C or TERM (a terminal's to the whole
                # group, then ./dev run's or a process manager's) arriving while Python shuts
                # down would run django-tasks-db's handler, whose sys.exit() then prints
                # "Exception ignored on threading shutdown". Nothing is left to interrupt.
                for number in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(number, signal.SIG_IGN)
