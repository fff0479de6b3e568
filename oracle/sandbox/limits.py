"""What one sandboxed run may use: CPU, memory, wall clock, processes, files and log."""

from dataclasses import dataclass

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """Bounds that hold for the whole run (every process of it together), not per process.

    cpu_seconds: CPU time of all the run's processes added up; wall_seconds: real time from
    start to the end of the last process; memory_mb: resident memory of all processes plus
    what they keep in /tmp, /dev/shm, /out and memfds (no swap); processes: tasks (processes
    and threads) alive at once; tmp_mb and out_mb: the sizes of the writable /tmp and /out;
    file_mb: the largest file it may write; log_bytes: how much of its stdout and stderr is
    kept (the first and last parts; the rest is counted, not stored).
    """

    cpu_seconds: float
    memory_mb: int
    wall_seconds: float
    processes: int = 64
    tmp_mb: int = 64
    out_mb: int = 64
    file_mb: int = 64
    log_bytes: int = 64 * 1024

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "memory_mb", "wall_seconds", "processes", "tmp_mb",
                     "out_mb", "file_mb", "log_bytes"):  # fmt: skip
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"sandbox limit {name} must be positive, not {value!r}")

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * MIB
