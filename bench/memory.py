"""Memory a bench measures in its own process."""

import math
from pathlib import Path


def peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM), in MiB. Not ru_maxrss: Linux carries that over
    from the parent that forked the worker, so every contender would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan
