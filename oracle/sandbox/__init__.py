"""The sandbox every foreign program runs in: custom scorers, code submissions, `coop run`.

    run_job(Job(argv, files, workdir, env, collect), Limits(...)) -> Run

bubblewrap with all namespaces unshared (no network), a seccomp filter, an unprivileged
host uid, a minimal environment, read-only inputs, bounded tmpfs for /tmp, /dev/shm and
/out, and one control group per run for whole-run memory, CPU, process limits and a kill
that leaves nothing behind. docs/security.md lists what it guarantees and assumes.
"""

from oracle.sandbox.limits import Limits
from oracle.sandbox.run import Job, Outcome, Run, Usage, run_job
from oracle.sandbox.text import safe_text

__all__ = ["Job", "Limits", "Outcome", "Run", "Usage", "run_job", "safe_text"]
