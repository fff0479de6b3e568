"""The seccomp filter of every sandboxed program: system calls a Python model never needs.

Built with libseccomp (through pyseccomp) and handed to bubblewrap as compiled BPF. The
filter allows by default and refuses, with EPERM, what would let a program leave or
weaken its sandbox: new namespaces (user namespaces above all), ptrace and reading other
processes' memory, the kernel keyring, mounts, BPF, perf, kernel modules, io_uring, clock
and system settings, and faking terminal input. Calls of another architecture's ABI kill
the process (libseccomp's default for a foreign architecture).
"""

import contextlib
import errno
import functools
import tempfile

import pyseccomp

from oracle.errors import ConfigError

DENIED = (
    # namespaces and their files
    "unshare", "setns", "clone3",
    # other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
    # the kernel keyring
    "keyctl", "add_key", "request_key",
    # mounts and roots
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr",
    # kernel interfaces a model has no use for
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "fanotify_init", "open_by_handle_at", "name_to_handle_at",
    "lookup_dcookie", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
    "syslog", "vhangup", "iopl", "ioperm",
    # the machine's clock
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
)  # fmt: skip

# clone() flags that would create a namespace; clone3 is refused outright with ENOSYS
# below (so that libc falls back to clone, whose flags a filter can read).
CLONE_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)
TIOCSTI, TIOCLINUX = 0x5412, 0x541C  # push input into a terminal


@functools.cache
def filter_bpf() -> bytes:
    """The compiled filter (the same bytes for every run of this process)."""
    try:
        rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    except (OSError, RuntimeError) as exc:
        raise ConfigError(
            f"the sandbox needs libseccomp ({exc}): apt-get install libseccomp2"
        ) from exc
    for name in DENIED:
        action = pyseccomp.ERRNO(errno.ENOSYS if name == "clone3" else errno.EPERM)
        _add(rules, action, name)
    for flag in CLONE_NAMESPACE_FLAGS:
        _add(rules, pyseccomp.ERRNO(errno.EPERM), "clone",
             pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))  # fmt: skip
    for request in (TIOCSTI, TIOCLINUX):
        _add(rules, pyseccomp.ERRNO(errno.EPERM), "ioctl",
             pyseccomp.Arg(1, pyseccomp.EQ, request))  # fmt: skip
    with tempfile.TemporaryFile() as handle:  # libseccomp writes to a file descriptor
        rules.export_bpf(handle)
        handle.seek(0)
        return handle.read()


def _add(rules: pyseccomp.SyscallFilter, action: object, name: str, *args: object) -> None:
    # a call this architecture or this libseccomp does not know: nothing to deny
    with contextlib.suppress(ValueError, OSError, RuntimeError):
        rules.add_rule(action, name, *args)
