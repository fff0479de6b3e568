"""The command lines of one sandboxed run: the stage around it and the bubblewrap inside.

The stage is a small shell script run by this (trusted) process's user in a private mount
namespace of its own. It copies the run's files into a tmpfs (so the program sees neither
host paths nor host inodes), mounts a bounded tmpfs for /out, joins the run's control
group, drops to the sandbox's host uid and starts bubblewrap. When bubblewrap is done it
says so on its stdout and waits, so that the caller can read /out through /proc/PID/root
after the program is dead: the program never holds a descriptor the result travels on, and
it cannot see the stage (another PID namespace, another uid).
"""

import math
import os
import shutil
import sys
from pathlib import Path

from oracle.errors import ConfigError
from oracle.sandbox.limits import MIB, Limits

SANDBOX_UID = 65534  # `nobody`, on the host too when the oracle runs as root
SECCOMP_FD, STATUS_FD = 3, 5

# $1 stage folder, $2 bytes for the inputs' tmpfs, $3 bytes for /out, $4 uid owning /out,
# $5 number of runtime folders, then those folders (bound at $stage/rt/1.., so that the
# sandbox uid needs no right on their parents), then the number of cgroup.procs files and
# those files, then the command that becomes the run.
STAGE_SCRIPT = r"""
set -u
exec 4>&2 2>/dev/null  # 4: the program's log; the stage's own messages go to its stdout
stage=$1; in_bytes=$2; out_bytes=$3; owner=$4; shift 4
fail() { echo "fail $*"; exit 125; }
i=0; n=$1; shift
while [ "$i" -lt "$n" ]; do
  i=$((i + 1)); mount --bind "$1" "$stage/rt/$i" || fail "cannot bind the runtime $1"; shift
done
mount -t tmpfs -o "size=$in_bytes,mode=0755,nosuid,nodev" coop-in "$stage/in" \
  || fail "cannot mount the inputs' tmpfs"
cp -RL "$stage/view/." "$stage/in/" || fail "cannot copy the inputs"
chmod -R a+rX,go-w "$stage/in" || fail "cannot open the inputs for reading"
mount -t tmpfs -o "size=$out_bytes,mode=0700,uid=$owner,gid=$owner,nosuid,nodev" coop-out \
  "$stage/out" || fail "cannot mount the tmpfs of /out"
/bin/sh -c 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift;
  n=$((n - 1)); done; exec "$@"' join "$@" \
  0</dev/null 1>&4 2>&4 4>&- 3<"$stage/seccomp.bpf" 5>"$stage/status.json"
code=$?
exec 4>&-
echo "done $code"
read -r _
"""


def tool(name: str) -> str:
    found = shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin")
    if found is None:
        package = "bubblewrap" if name == "bwrap" else "util-linux"
        raise ConfigError(f"the sandbox needs `{name}`: apt-get install {package}")
    return found


def stage_command(
    stage: Path,
    in_bytes: int,
    limits: Limits,
    runtime: list[Path],
    procs_files: list[Path],
    inner: list[str],
) -> list[str]:
    """The whole run: unshare the mount namespace, then STAGE_SCRIPT with the bwrap argv."""
    if os.geteuid() == 0:
        unshare = [tool("unshare"), "--mount", "--propagation", "private"]
        owner = SANDBOX_UID
    else:  # a user namespace of our own gives the stage its mounts (nested bwrap is fine)
        unshare = [tool("unshare"), "--user", "--map-root-user", "--mount",
                   "--propagation", "private"]  # fmt: skip
        owner = 0
    return [
        *unshare,
        "/bin/sh",
        "-c",
        STAGE_SCRIPT,
        "coop-stage",
        str(stage),
        str(in_bytes),
        str(limits.out_mb * MIB),
        str(owner),
        str(len(runtime)),
        *map(str, runtime),
        str(len(procs_files)),
        *map(str, procs_files),
        *inner,
    ]


def inner_command(
    argv: list[str],
    tops: list[str],
    stage: Path,
    workdir: str,
    env: dict[str, str],
    runtime: list[Path],
    limits: Limits,
) -> list[str]:
    """Per-process rlimits, the drop to the sandbox uid, then bubblewrap and the program."""
    cpu = max(1, math.ceil(limits.cpu_seconds)) + 1  # a backstop: the cgroup watch comes first
    file_bytes = limits.file_mb * MIB
    rlimits = [tool("prlimit"), f"--cpu={cpu}:{cpu}", f"--fsize={file_bytes}:{file_bytes}",
               "--core=0:0", "--"]  # fmt: skip
    drop = []
    if os.geteuid() == 0:
        drop = [tool("setpriv"), f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}",
                "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"]  # fmt: skip
    tmp = str(limits.tmp_mb * MIB)
    binds = [a for top in tops for a in ("--ro-bind", str(stage / "in" / top), f"/{top}")]
    setenv = [a for name, value in env.items() for a in ("--setenv", name, value)]
    return [
        *rlimits,
        *drop,
        tool("bwrap"),
        "--unshare-all",
        "--unshare-user",
        "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
        "--die-with-parent",
        "--new-session",
        "--seccomp", str(SECCOMP_FD),
        "--json-status-fd", str(STATUS_FD),
        "--size", tmp, "--tmpfs", "/tmp",  # first: a runtime or checkout under /tmp binds on top
        *_system_binds(),
        *[a for i, path in enumerate(runtime, 1)
          for a in ("--ro-bind", str(stage / "rt" / str(i)), str(path))],
        *binds,
        "--bind", str(stage / "out"), "/out",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", tmp, "--tmpfs", "/dev/shm",
        "--remount-ro", "/dev",
        "--remount-ro", "/",
        "--clearenv",
        *setenv,
        "--chdir", workdir,
        *argv,
    ]  # fmt: skip


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return [*args, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]


def this_python_prefixes() -> list[Path]:
    """This interpreter, its standard library and its virtualenv (read-only, same paths)."""
    prefixes = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parents[1])}
    return [Path(p) for p in sorted(prefixes) if not (p + "/").startswith("/usr/")]
