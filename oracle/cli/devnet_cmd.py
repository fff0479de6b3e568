"""`coop up` (what `make run` starts) and `coop demo`: the platform on this machine."""

import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

import click

from oracle.chain.anvil import port_is_free
from oracle.chain.sender import Sender
from oracle.devnet.chain import CLIENTS, Client
from oracle.settings import LOCAL_CHAIN_PORT, load_settings

# The local platform and the demo import scikit-learn (its models): they are imported in
# the commands, so every other `coop` command starts without paying for it.


def _say(message: str) -> None:
    click.echo(message, err=True)


CHAIN_OPTION = click.option(
    "--chain", type=click.Choice(CLIENTS), default="anvil", show_default=True,
    help="The Ethereum client of the local chain: anvil, or geth --dev (1-second blocks).",
)  # fmt: skip


def as_client(name: str) -> Client:
    """The --chain choice as the devnet's Client type (click has checked it is one)."""
    (client,) = [c for c in CLIENTS if c == name]
    return client


@click.command("up")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the chain's deployment, IPFS blocks, holdouts and logs go "
    "[default: COOP_DATA_DIR, else ~/.coop: where every other command looks].",
)
@click.option(
    "--rpc-url",
    default=None,
    help="Use this development node instead of starting anvil.",
)
@click.option("--chain-port", type=int, default=LOCAL_CHAIN_PORT, show_default=True,
              help="Port of the anvil started here (the default RPC URL of every command); "
              "0 or a busy port: a free one.")  # fmt: skip
@click.option("--api-port", type=int, default=8000, show_default=True,
              help="Port of the API and web app.")  # fmt: skip
@CHAIN_OPTION
def up(data_dir: Path | None, rpc_url: str | None, chain_port: int, api_port: int,
       chain: str) -> None:  # fmt: skip
    """Run the whole platform locally until Ctrl-C: chain, contracts, a demo challenge,
    the API with the web app, and three oracles.

    A fresh anvil chain (or geth --dev with --chain geth) is started on port 8555 unless
    --rpc-url names one (a development chain: anvil's 31337 or geth --dev's 1337). With
    the defaults (port 8555, ~/.coop) every `coop` command in another terminal finds
    this platform without any variable; the banner prints the lines to export otherwise,
    and the PATH line that puts `coop`, anvil and cast on it.
    The contracts are deployed once per chain; the demo challenge (scikit-learn's
    diabetes data, 10,000 COOP bounty) is published each time the chain is new.
    A service that stops on its own (an oracle, the API) is said here and started again
    with its data; only Ctrl-C stops everything, and nothing is left running.

    \b
    Example:
      coop up                 # then open http://127.0.0.1:8000
      coop up --chain geth    # the same on geth (built by `make setup`)
      make run                # the same, after `make setup`
    """
    from oracle.devnet.platform import LocalPlatform

    stop_requested = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True

    folder = (data_dir or load_settings().data_dir).resolve()
    port = chain_port if chain_port and port_is_free(chain_port) else None
    if chain_port and port is None and rpc_url is None:
        _say(f"port {chain_port} is busy: {chain} takes a free port (export the line below)")
    local = LocalPlatform.start(folder, rpc_url, api_port, _say, seed=True,
                                chain_port=port, client=as_client(chain))  # fmt: skip
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        click.echo(local.describe())
        supervisor = local.supervisor(_say)
        while not stop_requested:
            chain_gone = local.chain_stopped()
            if chain_gone is not None:
                raise click.ClickException(chain_gone)
            supervisor.check()
            time.sleep(0.5)
        _say("stopping…")
    finally:
        local.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    _say("stopped; nothing is left running.")


@click.command("demo")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Keep the demo's files here (default: a temporary folder, removed after).",
)
@click.option("--timeout", type=float, default=180.0, show_default=True,
              help="Seconds to wait for each oracle step before giving up.")  # fmt: skip
@CHAIN_OPTION
def demo(data_dir: Path | None, timeout: float, chain: str) -> None:
    """Play a challenge's whole life in a few minutes, on a private local chain.

    Five simulated participants train real scikit-learn models and submit; two of them
    form a team first; one blends two others' predictions (a fork that passes part of its
    reward to its parents); one submits another's predictions with a little noise (a
    near-copy, credited to its source as a fork); there are reviews and an invalid file
    whose reason is shown. Three oracles score everything; the phase ends, private scores
    are opened, the owner reveals the holdout, the oracles post the rewards root,
    everyone claims, the owner takes back the rest, and an audit replays it all. Beside
    it, a challenge on hidden test features takes code: a program under Apache-2.0 and a
    GPL-3.0-only fork of it are run by the three oracles (receipts printed), and after
    the holdout reveal the audit reruns both from their receipts; its owner then
    announces a next phase judged by MAE. Prints each submission's licence, the team,
    the public and private leaderboards, the reward table with each fork pass-through
    and near-copy, and what the new phase changed.
    On anvil the chain's clock is moved past each window, and past the new phase's
    notice period to play it (both programs scored under MAE, its board printed); on
    geth (--chain geth) the windows are short and waited for in real time (about 8
    minutes: the contracts' dispute window is at least 5), and the demo stops at the
    new phase's announcement (its notice period is at least a day).

    Exit status 0 when the audits pass.

    \b
    Example:
      coop demo
      coop demo --chain geth
      make demo
    """
    from oracle.devnet.demo import PARTICIPANTS, PLAY_WINDOWS, REAL_TIME_WINDOWS, run_story
    from oracle.devnet.platform import LocalPlatform
    from oracle.devnet.report import demo_tables
    from oracle.ledger.claims import NothingOwed, claim_rewards

    with tempfile.TemporaryDirectory(prefix="coop-demo-") as scratch:
        folder = (data_dir or Path(scratch)).resolve()
        client = as_client(chain)
        windows = PLAY_WINDOWS if client == "anvil" else REAL_TIME_WINDOWS
        local = LocalPlatform.start(folder, None, None, _say, seed=True, client=client,
                                    windows=windows)  # fmt: skip
        try:
            assert local.seeded is not None
            platform, store = local.chain.platform, local.store

            def claim(sender: Sender, challenge_id: int) -> int:
                try:
                    return claim_rewards(platform, store, sender, challenge_id, phase=0).total
                except NothingOwed:
                    return 0

            result = run_story(platform, store, folder, local.seeded, _say, claim=claim,
                               timeout=timeout, code=local.code_seeded)  # fmt: skip
            click.echo(demo_tables(local.chain.platform, local.store, result, PARTICIPANTS))
        finally:
            local.stop()
    if not result.passed:
        sys.exit(1)
