"""CPU seconds and peak memory of another process, from /proc (Linux), for the benchmarks that
measure each process of a pipeline on its own."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_cpu(stat: Path) -> float:
    """User + system CPU seconds in a /proc `stat` file (the command name may hold spaces)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    return _stat_cpu(Path(f"/proc/{pid}/stat"))


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds per thread group of a process: the Python threads under their name, all of
    librdkafka's threads (`rdk:...`) as one."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            seconds = _stat_cpu(task / "stat")
        except OSError:
            continue  # the thread ended meanwhile
        group = "librdkafka" if name.startswith("rdk:") else name
        out[group] = out.get(group, 0.0) + seconds
    return out


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
