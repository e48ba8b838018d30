"""CPU time a benchmark used: its own processes and the PostgreSQL server's.

Wall-clock rates depend on what else shares the cores; CPU time per letter says what an
idle machine would do.
"""

from __future__ import annotations

from typing import Any


def python_cpu() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def backend_pid() -> int:
    """The process id of the PostgreSQL server process serving this connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return int(pid)


def postgres_server() -> Any:
    """The PostgreSQL server process (psutil), found from this connection's backend;
    None when it is not on this machine or not ours to read."""
    import psutil

    try:
        return psutil.Process(backend_pid()).parent()
    except psutil.Error:
        return None


def page_faults(pid: int) -> int:
    """Page faults taken so far by process ``pid`` (minor and major, from /proc), or 0
    when it is not readable here (another machine, another user)."""
    from pathlib import Path

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[7]) + int(fields[9])


def server_cpu(server: Any) -> float:
    """CPU seconds of the server and all its processes, living and exited."""
    import psutil

    if server is None:
        return 0.0
    total = 0.0
    try:
        times = server.cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
        for child in server.children(recursive=True):
            try:
                t = child.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                continue
    except psutil.Error:
        return 0.0
    return total
