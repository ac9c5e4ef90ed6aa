"""Processes a test started, seen through /proc (Linux): whether one still runs, and its parent."""

from __future__ import annotations

import os


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, ...), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def running(pid: int) -> bool:
    """The process exists and is not a zombie (without /proc: the kernel knows the pid)."""
    if not os.path.exists("/proc/self/stat"):
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None
