"""The host, checked after every sandboxed run: nothing left behind, nothing changed."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_helpers import SECRETS, HostState


@pytest.fixture(autouse=True)
def host_unharmed(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostState]:
    """The oracle's secrets in its environment; after the test the host must be as before."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    before = HostState.now()
    try:
        yield before
    finally:
        after = HostState.now()
        for name, value in before.sysctls.items():  # put a changed sysctl back first
            if after.sysctls[name] != value:
                Path("/proc/sys", name).write_text(value)
        for pid in after.sandbox_pids - before.sandbox_pids:
            os.kill(pid, 9)
    assert after.sysctls == before.sysctls, "a sandboxed program changed a host sysctl"
    assert after.sandbox_pids <= before.sandbox_pids, "a sandboxed process outlived its run"
    assert after.key_users == before.key_users, "a sandboxed program changed the host keyring"
    assert after.stage_dirs <= before.stage_dirs, "a run left its stage folder behind"
    assert after.sandbox_mounts == before.sandbox_mounts, "a run left a mount on the host"
    assert after.run_cgroups <= before.run_cgroups, "a run left its control group behind"
