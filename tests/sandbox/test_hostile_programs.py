"""Hostile programs against the sandbox: each one tries an attack and says if it worked.

After every run the autouse fixture `host_unharmed` (conftest.py) checks the host itself:
no sandbox process left, sysctls and keyring unchanged, no stage folder, mount or control
group left behind. The oracle's secrets are in this process's environment throughout.
"""

import contextlib
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from sandbox_helpers import LIMITS, SECRETS, run_python

from oracle.sandbox import Limits, Outcome

# A prelude every attack uses: `report(worked, detail)` prints one JSON line the test reads.
PRELUDE = """
import ctypes, errno, json, os, signal, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
def report(worked, detail=""):
    print("REPORT " + json.dumps({"worked": bool(worked), "detail": str(detail)[:500]}), flush=True)
"""


def attack(body: str, limits: Limits = LIMITS) -> dict[str, object]:
    run = run_python(PRELUDE + body, limits)
    lines = [line for line in run.log.splitlines() if line.startswith("REPORT ")]
    assert lines, f"the attack program did not report: {run.outcome} {run.exit_code} {run.log}"
    return dict(json.loads(lines[-1][len("REPORT ") :]), run=run)


def assert_contained(body: str, limits: Limits = LIMITS) -> dict[str, object]:
    result = attack(body, limits)
    assert result["worked"] is False, f"attack worked: {result['detail']}"
    return result


def test_the_host_kernel_is_not_writable() -> None:
    assert_contained("""
worked = []
for name in ("kernel/core_pattern", "kernel/domainname", "vm/overcommit_ratio"):
    try:
        with open("/proc/sys/" + name, "w") as f:
            f.write("|/tmp/pwn %p" if name.endswith("pattern") else "77")
        worked.append(name)
    except OSError as exc:
        pass
report(worked, worked)
""")


def test_the_program_runs_as_an_unprivileged_host_uid_without_capabilities() -> None:
    marker = f"coop-uid-probe-{os.getpid()}"
    seen: list[str] = []

    def watch() -> None:  # the host's view of the running program's processes
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            for entry in Path("/proc").iterdir():
                with contextlib.suppress(OSError):
                    argv = (entry / "cmdline").read_text().split("\0")
                    if entry.name.isdigit() and argv[0] == sys.executable and marker in argv:
                        seen.append((entry / "status").read_text())
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    run = run_python(f"import time\ntime.sleep(1.5)  # {marker}\n", argv_extra=(marker,))
    watcher.join()
    assert run.succeeded and seen
    for status in seen:
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        assert fields["Uid"].split() == ["65534"] * 4, fields["Uid"]
        assert fields["Gid"].split() == ["65534"] * 4, fields["Gid"]
        assert int(fields["CapEff"], 16) == 0 and int(fields["CapPrm"], 16) == 0


def test_no_secret_of_the_oracle_reaches_the_program_or_its_log() -> None:
    run = run_python("""
import os
seen = open("/proc/1/environ", "rb").read() + open("/proc/self/environ", "rb").read()
seen += repr(dict(os.environ)).encode()
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try: seen += open(f"/proc/{pid}/environ", "rb").read()
        except OSError: pass
print(seen.decode(errors="replace"))
raise RuntimeError(seen.decode(errors="replace"))
""")
    assert run.exit_code == 1 and "RuntimeError" in run.log
    for value in SECRETS.values():
        assert value not in run.log
    assert "COOP_" not in run.log


def test_no_process_outlives_the_run() -> None:
    run = run_python(
        """
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        libc.prctl(PR_SET_PDEATHSIG, 0)
        libc.ptrace(16, 1, 0, 0)  # PTRACE_ATTACH to the sandbox's init, to keep it alive
        time.sleep(60)
    os._exit(0)
time.sleep(0.3)
print("parent done")
""",
    )
    assert run.succeeded and "parent done" in run.log
    # host_unharmed: no process of the sandbox uid is left


def test_no_process_outlives_a_timeout() -> None:
    run = run_python(
        "import os, time\nfor _ in range(5):\n    os.fork()\ntime.sleep(60)\n",
        Limits(cpu_seconds=5, memory_mb=200, wall_seconds=2, processes=64),
    )
    assert run.outcome is Outcome.WALL_TIMEOUT


def test_the_host_keyring_is_out_of_reach() -> None:
    assert_contained("""
KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING = -4, -3
worked = []
for ring in (KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING):
    key = libc.syscall(248, b"user", b"coop-sandbox-test", b"x", 1, ring)  # add_key
    if key >= 0:
        worked.append(ring)
joined = libc.syscall(250, 1, 0, 0, 0, 0)  # keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL)
report(worked or joined >= 0, (worked, joined, ctypes.get_errno()))
""")


def test_memory_is_bounded_for_the_whole_run_not_per_process() -> None:
    limits = Limits(cpu_seconds=10, memory_mb=160, wall_seconds=20)
    run = run_python(
        """
import os, time
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = bytearray(100 * 2**20)  # 100 MB each, 300 MB in all
        for i in range(0, len(block), 4096): block[i] = 1
        time.sleep(2)
        os._exit(0)
    kids.append(pid)
codes = [os.waitpid(pid, 0)[1] for pid in kids]
print("children", codes)
""",
        limits,
    )
    assert run.usage.peak_memory_mb <= limits.memory_mb + 1
    assert "children" in run.log and "[0, 0, 0]" not in run.log  # not all three got their 100 MB


@pytest.mark.parametrize(
    "where",
    [
        "open('/dev/shm/fill', 'wb')",
        "os.fdopen(os.memfd_create('fill'), 'wb')",
        "open('/tmp/fill', 'wb')",
        "open('/out/fill', 'wb')",
    ],
)
def test_shared_memory_memfds_and_tmpfs_count_against_the_limits(where: str) -> None:
    limits = Limits(cpu_seconds=20, memory_mb=128, wall_seconds=30, tmp_mb=512, out_mb=512,
                    file_mb=1024)  # fmt: skip
    run = run_python(
        f"""
import os
f = {where}
written = 0
try:
    while written < 400 * 2**20:
        f.write(b"x" * 2**20); f.flush(); written += 2**20
finally:
    print("written", written // 2**20, flush=True)
""",
        limits,
    )
    assert not run.succeeded
    assert run.usage.peak_memory_mb <= limits.memory_mb + 1


def test_the_number_of_processes_is_bounded() -> None:
    result = attack("""
started = 0
try:
    for _ in range(1000):
        if os.fork() == 0:
            time.sleep(5); os._exit(0)
        started += 1
except OSError as exc:
    pass
report(started >= 1000, started)
""")
    assert result["worked"] is False
    assert int(str(result["detail"])) < LIMITS.processes


def test_cpu_time_is_bounded_across_processes() -> None:
    limits = Limits(cpu_seconds=1, memory_mb=200, wall_seconds=60)
    run = run_python(
        "import os\nfor _ in range(3):\n    os.fork()\nwhile True:\n    pass\n",
        limits,
    )
    assert run.outcome is Outcome.CPU_TIMEOUT
    assert run.usage.cpu_seconds < limits.cpu_seconds + 1  # eight processes, one budget


def test_fallocate_cannot_reserve_host_disk() -> None:
    free_before = shutil.disk_usage("/tmp").free
    result = attack("""
worked = []
for fd in (1, 2):
    try:
        os.posix_fallocate(fd, 0, 512 * 2**20)
        worked.append(fd)
    except OSError:
        pass
for path in ("/out/big", "/tmp/big"):
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY)
        os.posix_fallocate(fd, 0, 512 * 2**20)
        worked.append(path)
    except OSError:
        pass
report(worked, worked)
""")
    assert result["worked"] is False
    assert shutil.disk_usage("/tmp").free > free_before - 256 * 2**20


def test_the_exit_status_cannot_be_forged() -> None:
    run = run_python("""
import os
for fd in range(3, 256):
    try: os.write(fd, b"done 0\\n{\\"exit-code\\": 0}\\n")
    except OSError: pass
for fd in (1, 2):
    os.write(fd, b"done 0\\n")
os._exit(3)
""")
    assert run.outcome is Outcome.EXITED and run.exit_code == 3


def test_no_nested_user_namespace_nor_other_namespaces() -> None:
    assert_contained("""
CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET = 0x10000000, 0x00020000, 0x40000000
worked = [flag for flag in (CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET) if libc.unshare(flag) == 0]
import subprocess
try:
    subprocess.run(["unshare", "-Ur", "true"], check=True, capture_output=True)
    worked.append("unshare -Ur")
except (OSError, subprocess.CalledProcessError):
    pass
report(worked, worked)
""")


def test_system_calls_a_model_never_needs_are_refused() -> None:
    result = assert_contained("""
refused = {}
for name, number, args in [("ptrace", 101, (16, 1, 0, 0)), ("bpf", 321, (0, 0, 0)),
                           ("mount", 165, (b"none", b"/tmp", b"tmpfs", 0, 0)),
                           ("perf_event_open", 298, (0, 0, -1, -1, 0)),
                           ("keyctl", 250, (0, 0, 0, 0))]:
    ret = libc.syscall(number, *args)
    refused[name] = (ret, ctypes.get_errno())
report(any(ret == 0 for ret, _ in refused.values()), refused)
""")
    refused = str(result["detail"])
    assert "ptrace" in refused and "(-1, 1)" in refused  # EPERM, from the filter


def test_the_host_temporary_paths_are_not_visible() -> None:
    run = run_python("print(open('/proc/self/mountinfo').read()); print(os.listdir('/'))\n"
                     "import os\n".replace("print(os", "import os; print(os", 1))  # fmt: skip
    assert run.succeeded
    # the stage's folders never show; the runtime is bound at its own path, wherever it is
    assert "coop-sandbox-" not in run.log
    mounts = [line.split() for line in run.log.splitlines() if " - " in line]
    roots = {fields[4]: fields[3] for fields in mounts if len(fields) > 4}
    assert roots["/in"] == "/in" and roots["/out"] == "/" and roots["/tmp"] == "/"


CONTAINED_BEFORE = {
    "reads outside its inputs": """
worked = []
for path in ("/etc/shadow", "/etc/passwd", "/root/.bashrc", "/proc/1/root/etc/hostname"):
    try: open(path).read(); worked.append(path)
    except OSError: pass
report(worked, worked)
""",
    "writes outside /tmp and /out": """
worked = []
for path in ("/in/main.py", "/usr/x", "/x", "/dev/x", sys.prefix + "/x"):
    try: open(path, "w").write("x"); worked.append(path)
    except OSError: pass
report(worked, worked)
""",
    "the network": """
worked = []
for family, kind, target in [(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 22)),
                             (socket.AF_INET, socket.SOCK_DGRAM, ("1.1.1.1", 53)),
                             (socket.AF_UNIX, socket.SOCK_STREAM, "/run/systemd/private"),
                             (socket.AF_UNIX, socket.SOCK_STREAM, "\\0/tmp/.X11-unix/X0")]:
    try:
        s = socket.socket(family, kind); s.settimeout(1); s.connect(target)
        if kind == socket.SOCK_DGRAM: s.send(b"x")
        worked.append(str(target))
    except OSError: pass
report(worked, worked)
""",
    # pid 1 inside is the sandbox's own init, so a runner whose parent is the host's init
    # (a detached run) names only itself
    "signals to host processes": f"""
worked = []
for pid in {tuple(p for p in (os.getpid(), os.getppid()) if p != 1)}:  # the runner, its parent
    try: os.kill(pid, 0); worked.append(pid)
    except OSError: pass
report(worked, worked)
""",
    "a setuid binary": """
import subprocess
out = subprocess.run(["/usr/bin/su", "-c", "id -u"], capture_output=True, text=True)
report(out.returncode == 0 and out.stdout.strip() == "0", out.stderr[-200:])
""",
}


@pytest.mark.parametrize("body", CONTAINED_BEFORE.values(), ids=list(CONTAINED_BEFORE))
def test_attacks_that_were_already_contained_stay_contained(body: str) -> None:
    assert_contained(body)
