"""A whole local platform: chain, contracts, the demo challenge, the API and three oracles.

`LocalPlatform.start` brings everything up in order and `stop` takes it down in reverse,
each process by its own pid; `coop up` (make run) and `coop demo` both use it. While
`coop up` runs, `supervisor` restarts a service that stopped (supervisor.py).
"""

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from oracle.chain.anvil import ANVIL_KEYS, CHECKOUT_TOOLS
from oracle.chain.sender import Sender
from oracle.daemon.cluster import LocalOracle
from oracle.devnet.chain import Client, LocalChain, open_local_chain
from oracle.devnet.demo import (
    EXAMPLE_CODE,
    ORACLE_KEYS,
    OWNER_KEY,
    PLAY_WINDOWS,
    Windows,
    seed_code_challenge,
    seed_demo_challenge,
)
from oracle.devnet.demo_grants import fund_demo_grant
from oracle.devnet.processes import Child, ProcessGroup
from oracle.devnet.seed import SeededChallenge
from oracle.devnet.services import Service, plan_oracles, start_api, start_oracles
from oracle.devnet.supervisor import Supervised, Supervisor
from oracle.ipfs.embedded import EmbeddedStore

Say = Callable[[str], None]


def tools_path() -> str:
    """This installation's bin folders, quoted for a shell: the virtualenv's (coop, brownie)
    and the checkout's node_modules/.bin (anvil, cast), so a PATH line works as printed."""
    folders = [Path(sys.executable).parent]
    if CHECKOUT_TOOLS.is_dir():
        folders.append(CHECKOUT_TOOLS)
    return ":".join(shlex.quote(str(f)) for f in folders)


@dataclass
class LocalPlatform:
    data_dir: Path
    chain: LocalChain
    store: EmbeddedStore
    group: ProcessGroup
    seeded: SeededChallenge | None = None
    code_seeded: SeededChallenge | None = None  # the same data, code on hidden features
    api: Service | None = None
    oracles: list[LocalOracle] = field(default_factory=list)

    @classmethod
    def start(cls, data_dir: Path, rpc_url: str | None, api_port: int | None, say: Say,
              seed: bool = True, chain_port: int | None = None, client: Client = "anvil",
              windows: Windows = PLAY_WINDOWS) -> "LocalPlatform":  # fmt: skip
        data_dir.mkdir(parents=True, exist_ok=True)
        say(f"starting the chain ({client}, 1-second blocks) and deploying the contracts…")
        chain = open_local_chain(data_dir, rpc_url, port=chain_port, client=client)
        local = cls(data_dir, chain, EmbeddedStore(data_dir / "ipfs"),
                    ProcessGroup(data_dir / "logs"))  # fmt: skip
        try:
            if seed:
                say("publishing the demo challenge (scikit-learn's diabetes data)…")
                local.seeded = seed_demo_challenge(chain.platform, local.store, data_dir, windows)
                say("funding a mini-grant on it (25 tokens each to the first 3 past the baseline)…")
                owner = Sender.from_key(chain.platform.w3, OWNER_KEY)
                fund_demo_grant(chain.platform, owner, local.seeded.published.challenge_id)
                say(
                    "publishing a second one on the same data that takes code (main.py) on "
                    "hidden test features…"
                )
                local.code_seeded = seed_code_challenge(
                    chain.platform, local.store, data_dir, windows
                )
            oracles = plan_oracles(data_dir, chain.url, chain.deployment_file, ORACLE_KEYS,
                                   holdouts=data_dir / "holdouts")  # fmt: skip
            say("starting the API, the web app and the IPFS gateway…")
            local.api = start_api(local.group, data_dir, chain.url, chain.deployment_file,
                                  api_port, tuple(o.url for o in oracles))  # fmt: skip
            say("starting three oracles (2 of 3 must sign every batch)…")
            local.oracles = start_oracles(oracles)
        except BaseException:
            local.stop()
            raise
        return local

    def supervisor(self, say: Say) -> Supervisor:
        """Watches the API and the oracles, restarting any that stops (see supervisor.py)."""
        services = [_oracle_service(o) for o in self.oracles]
        services += [_child_service(self.group, c, self.data_dir) for c in self.group.children]
        return Supervisor(services, say)

    def chain_stopped(self) -> str | None:
        """Why the chain this platform started is gone (then nothing can go on), else None."""
        node = self.chain.node
        if node is None or node.process.poll() is None:
            return None
        return (
            f"the chain ({node.client}) stopped with exit status {node.process.returncode}; its "
            "state is gone with it: run `coop up` again for a fresh chain"
        )

    def stop(self) -> None:
        for oracle in self.oracles:
            oracle.stop()
        self.group.stop_all()
        self.store.close()
        self.chain.stop()

    def describe(self) -> str:
        api = self.api.url if self.api else "(not started)"
        challenge = self.seeded.published.challenge_id if self.seeded else 1
        participant = ANVIL_KEYS[1]
        folder = self.seeded.data_dir if self.seeded else self.data_dir
        lines = [
            "",
            "Coopetition is running locally.",
            f"  web app and API   {api}   (API docs: {api}/docs)",
            f"  {f'chain ({self.chain.client})':17} {self.chain.url}   "
            f"chain id {self.chain.platform.w3.eth.chain_id}",
            *(f"  {o.name:17} {o.url}/metrics   log {o.log_path}" for o in self.oracles),
            f"  API log           {self.group.log_dir}/api.log",
            "",
            "Try, in another terminal (anvil's development key 1 plays a participant):",
            *(f"  {line}" for line in self.exports()),
            f"  export COOP_PRIVATE_KEY={participant}",
            f"  coop leaderboard {challenge}",
            f"  coop submit {challenge} {shlex.quote(str(folder / 'sample_submission.csv'))}",
            f"  coop profile {self.describe_address(participant)}",
            *self.describe_code(),
            "",
            "Ctrl-C stops everything started here.",
        ]
        return "\n".join(lines)

    def describe_code(self) -> list[str]:
        """How to try the code challenge: run the example program locally, then submit it."""
        if self.code_seeded is None:
            return []
        code_id = self.code_seeded.published.challenge_id
        example = shlex.quote(str(EXAMPLE_CODE))
        return [
            f"Challenge {code_id} takes code (a folder with main.py) on hidden test features "
            "(docs/code-submissions.md):",
            f"  coop run {code_id} {example}",
            f"  coop submit {code_id} {example}",
        ]

    def exports(self) -> list[str]:
        """The shell lines that point `coop` (and anvil, cast, brownie) at this platform."""
        return [
            f'export PATH={tools_path()}:"$PATH"',
            f"export COOP_RPC_URL={self.chain.url} "
            f"COOP_DEPLOYMENT={shlex.quote(str(self.chain.deployment_file))} "
            f"COOP_DATA_DIR={shlex.quote(str(self.data_dir))}",
        ]

    @staticmethod
    def describe_address(key: str) -> str:
        from eth_account import Account

        return str(Account.from_key(key).address)


def _oracle_service(oracle: LocalOracle) -> Supervised:
    return Supervised(
        oracle.name,
        lambda: oracle.running,
        lambda: None if oracle.process is None else oracle.process.returncode,
        oracle.start,
        lambda: oracle.tail(10),
        str(oracle.data_dir),
    )


def _child_service(group: ProcessGroup, child: Child, data_dir: Path) -> Supervised:
    return Supervised(
        child.name,
        lambda: child.process.poll() is None,
        lambda: child.process.returncode,
        lambda: group.restart(child),
        lambda: child.tail(10),
        str(data_dir),
    )
