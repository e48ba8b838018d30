"""A task for the scheduler tests: it records each call so a test can count the runs."""

from django.tasks import task

CALLS: list[str] = []


@task
def record_call(label: str = "run") -> str:
    CALLS.append(label)
    return label
