"""Publishing a challenge or a new phase from a spec file: check, upload, commit, escrow, send.

The one implementation behind `coop challenge create` / `coop challenge add-phase`,
`brownie run scripts/create_challenge.py` and the devnet seed. Nothing is sent before the
spec, the labels and the data pass their checks (oracle/chain/phase_data.py) and the owner
is seen to hold the tokens; the holdout secret is on disk before the transaction that
commits to it leaves (oracle/chain/holdout_secrets.py).
"""

from dataclasses import dataclass
from pathlib import Path

from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import (
    ChallengeTerms,
    PhaseRules,
    PhaseTerms,
    add_phase,
    create_challenge,
    read_challenge,
)
from oracle.chain.clock import chain_now, iso_time
from oracle.chain.dev_chains import is_dev_chain
from oracle.chain.holdout_secrets import file_secret, new_secret, save_pending
from oracle.chain.phase_data import PhaseFiles, Progress, prepare_phase, quiet
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.errors import CoopError, InvalidSpec, IpfsError
from oracle.ipfs.fallback import FallbackStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.store import ContentStore, replicate
from oracle.spec import ChallengeSpec
from oracle.types import address_problem, wad_text

DAY = 86400


class InvalidTerms(CoopError, ValueError):
    """Challenge or phase terms the contracts would refuse, caught before sending."""


class InsufficientTokens(CoopError, ValueError):
    """The owner holds fewer reward tokens than the bounty or top-up it wants to escrow."""


@dataclass(frozen=True)
class Published:
    challenge_id: int
    spec_cid: str
    secret_path: Path
    phase: int = 0
    bounty: int = 0
    commit_start: int = 0
    commit_end: int = 0
    reveal_end: int = 0


@dataclass(frozen=True)
class PublishOptions:
    """Terms of a new challenge that the spec does not fix; amounts in token base units."""

    bounty: int
    oracles: tuple[str, ...]
    quorum: int
    arbiter: str
    commit_seconds: int = 7 * DAY
    reveal_seconds: int = DAY
    dispute_window: int = 3600
    dispute_bond: int = 10**16
    commit_start: int | None = None  # unix time; None: the latest block's time
    notice_period: int = 7 * DAY  # new judges apply to phases opening this long after


@dataclass(frozen=True)
class PhaseOptions:
    """Terms of an added phase: its share of the escrow and its windows."""

    bounty: int | None = None  # None: everything not yet allocated (after the top-up)
    top_up: int = 0  # extra bounty escrowed now
    commit_seconds: int = 7 * DAY
    reveal_seconds: int = DAY
    commit_start: int | None = None  # None: now, or the previous phase's reveal end if later


def dev_arbiter(chain_id: int) -> str | None:
    """anvil's account 6 on a dev chain (never the owner's default account 0), else None."""
    if not is_dev_chain(chain_id):
        return None
    return str(Account.from_key(ANVIL_KEYS[6]).address)


def dev_oracles(chain_id: int) -> tuple[str, ...] | None:
    """anvil's accounts 7, 8 and 9 on a dev chain (what `make run` starts), else None."""
    if not is_dev_chain(chain_id):
        return None
    return tuple(Account.from_key(k).address for k in ANVIL_KEYS[7:10])


NOTICE_MARGIN_SECONDS = 600  # a default phase start's slack beyond the notice period


def publish_challenge(
    platform: Platform, owner: Sender, store: ContentStore, data_dir: Path, spec_path: Path,
    labels_path: Path, options: PublishOptions, public_data: Path | None = None,
    progress: Progress = quiet,
) -> Published:  # fmt: skip
    """Checks everything, uploads the public files and the spec, escrows, creates phase 0.

    `public_data` is a folder holding the files the spec pins by CID (files already in
    `store` need not be there). The holdout secret ends up in data_dir/holdouts/.
    """
    check_oracles(options.oracles, options.quorum)
    check_bounds(platform, options)
    files = prepare_phase(spec_path, labels_path, public_data, store, progress)
    _check_balance(platform, owner, options.bounty, "the bounty")
    spec_cid = _upload(store, files, progress)
    spec = files.spec
    terms = ChallengeTerms(
        token=platform.token.address, bounty=options.bounty, oracles=options.oracles,
        quorum=options.quorum, arbiter=options.arbiter,
        dispute_window=options.dispute_window, dispute_bond=options.dispute_bond,
        daily_cap=spec.daily_cap, commit_bond=spec.commit_bond_wei,
        notice_period=options.notice_period, scoring_deadline=spec.scoring_deadline_s,
        max_outage_extension=spec.max_outage_extension_s,
    )  # fmt: skip
    start = options.commit_start if options.commit_start is not None else chain_now(platform)
    phase = _phase_terms(spec_cid, files, start, options.commit_seconds, options.reveal_seconds,
                         options.bounty)  # fmt: skip
    pending = new_secret(platform.w3.eth.chain_id, files.labels, files.split_salt, spec_cid,
                         files.labels_suffix, files.test_features)  # fmt: skip
    save_pending(data_dir, pending, files.labels, files.test_features)
    progress("approving the bounty and creating the challenge")
    challenge_id = create_challenge(platform, owner, terms, spec_cid, phase)
    path = file_secret(data_dir, pending, challenge_id, 0)
    return Published(challenge_id, spec_cid, path, 0, options.bounty, phase.commit_start,
                     phase.commit_end, phase.reveal_end)  # fmt: skip


def publish_phase(
    platform: Platform, owner: Sender, store: ContentStore, data_dir: Path, challenge_id: int,
    spec_path: Path, labels_path: Path, options: PhaseOptions, public_data: Path | None = None,
    progress: Progress = quiet,
) -> Published:  # fmt: skip
    """Appends a phase (a new metric or dataset version) to an existing challenge."""
    current = read_challenge(platform, challenge_id)
    if current.owner.lower() != owner.address.lower():
        raise InvalidTerms(
            f"challenge {challenge_id} belongs to {current.owner}; only its owner may add a "
            f"phase (you are {owner.address}): pass --account with the owner's keystore"
        )
    if platform.vault.functions.isClosed(challenge_id).call():
        raise InvalidTerms(
            f"challenge {challenge_id} is closed (its remainder was refunded): no phase can be "
            "added; create a new challenge instead (`coop challenge create`)"
        )
    start = options.commit_start
    if start is not None and start < current.last_reveal_end:
        raise InvalidTerms(
            f"--start {iso_time(start)} is before the previous phase's reveals close, "
            f"{iso_time(current.last_reveal_end)}: start then or later (or leave --start out)"
        )
    noticed = chain_now(platform) + current.notice_period
    if start is not None and start < noticed:
        raise InvalidTerms(
            f"--start {iso_time(start)} gives participants less than the challenge's notice "
            f"period ({current.notice_period} s) to read the new phase's rules: start at "
            f"{iso_time(noticed)} or later (or leave --start out)"
        )
    files = prepare_phase(spec_path, labels_path, public_data, store, progress)
    _check_same_rules(files.spec, current.rules_of_spec(), spec_path)
    available = current.unallocated + options.top_up
    bounty = available if options.bounty is None else options.bounty
    if bounty > available:
        raise InvalidTerms(
            f"the phase bounty of {wad_text(bounty)} tokens is more than the "
            f"{wad_text(available)} not yet given to a phase "
            "(escrow minus earlier phases' bounties, plus --top-up): lower it or top up"
        )
    _check_balance(platform, owner, options.top_up, "the top-up")
    spec_cid = _upload(store, files, progress)
    if start is None:
        # a margin, so the upload and the transaction's wait do not eat into the notice
        start = max(noticed + NOTICE_MARGIN_SECONDS, current.last_reveal_end)
    phase = _phase_terms(spec_cid, files, start, options.commit_seconds, options.reveal_seconds,
                         bounty)  # fmt: skip
    pending = new_secret(platform.w3.eth.chain_id, files.labels, files.split_salt, spec_cid,
                         files.labels_suffix, files.test_features)  # fmt: skip
    save_pending(data_dir, pending, files.labels, files.test_features)
    progress("sending the new phase")
    index = add_phase(platform, owner, challenge_id, phase, options.top_up)
    path = file_secret(data_dir, pending, challenge_id, index)
    return Published(challenge_id, spec_cid, path, index, bounty, phase.commit_start,
                     phase.commit_end, phase.reveal_end)  # fmt: skip


def _phase_terms(spec_cid: str, files: PhaseFiles, start: int, commit_seconds: int,
                 reveal_seconds: int, bounty: int) -> PhaseTerms:  # fmt: skip
    if commit_seconds <= 0 or reveal_seconds <= 0:
        raise InvalidTerms("the commit and reveal windows must each last at least a second")
    commit_end = start + commit_seconds
    return PhaseTerms(spec_cid, rules_of(files.spec), start, commit_end,
                      commit_end + reveal_seconds, files.holdout_commitment, bounty)  # fmt: skip


def rules_of(spec: ChallengeSpec) -> PhaseRules:
    """The rules a phase fixes on chain, from its spec (scores as WAD)."""
    return PhaseRules(spec.higher_is_better, spec.wad(spec.baseline), spec.wad(spec.target),
                      spec.eta_wad)  # fmt: skip


def check_oracles(oracles: tuple[str, ...], quorum: int) -> None:
    if not oracles:
        raise InvalidTerms("name at least one oracle (--oracle ADDRESS)")
    for oracle in oracles:
        problem = address_problem(oracle)
        if problem is not None:
            raise InvalidTerms(f"oracle {oracle!r} {problem}")
    if len({o.lower() for o in oracles}) != len(oracles):
        raise InvalidTerms("an oracle is named twice; each oracle address counts once")
    if not 1 <= quorum <= len(oracles):
        raise InvalidTerms(
            f"quorum {quorum} is impossible with {len(oracles)} oracle(s): use 1 to {len(oracles)}"
        )


def check_arbiter(arbiter: str) -> None:
    """The arbiter decides disputes: it must be a typed-right address, and not zero."""
    problem = address_problem(arbiter)
    if problem is not None or int(arbiter, 16) == 0:
        wrong = problem or "is the zero address"
        raise InvalidTerms(f"the arbiter {arbiter!r} {wrong} (--arbiter)")


def check_bounds(platform: Platform, options: PublishOptions) -> None:
    """The registry's bounds on the owner's parameters (docs/security.md), said in words."""
    registry = platform.registry.functions
    check_arbiter(options.arbiter)
    low, high = registry.MIN_DISPUTE_WINDOW().call(), registry.MAX_DISPUTE_WINDOW().call()
    if not low <= options.dispute_window <= high:
        raise InvalidTerms(
            f"a dispute window of {options.dispute_window} s is out of range: use "
            f"{low} s to {high} s (--dispute-window 5m to 30d)"
        )
    most = int(registry.MAX_DISPUTE_BOND().call())
    if options.dispute_bond > most:
        raise InvalidTerms(
            f"a dispute bond of {options.dispute_bond} wei is more than the {most} wei a "
            "participant can be asked to lock (--dispute-bond)"
        )
    low, high = registry.MIN_NOTICE_PERIOD().call(), registry.MAX_NOTICE_PERIOD().call()
    if not low <= options.notice_period <= high:
        raise InvalidTerms(
            f"a notice period of {options.notice_period} s is out of range: use {low} s to "
            f"{high} s (--notice-period 1d to 90d)"
        )


def _check_balance(platform: Platform, owner: Sender, amount: int, what: str) -> None:
    if amount <= 0:
        return
    balance = int(platform.token.functions.balanceOf(owner.address).call())
    if balance < amount:
        symbol = platform.token.functions.symbol().call()
        raise InsufficientTokens(
            f"{owner.address} holds {wad_text(balance)} {symbol}, {what} needs "
            f"{wad_text(amount)}: get more tokens (on the dev chain: `coop account fund "
            "ADDRESS`) or lower the amount"
        )


def _check_same_rules(spec: ChallengeSpec, rules: dict[str, object], spec_path: Path) -> None:
    """A phase may change how it is judged (metric, direction, baseline, target, eta, data,
    scorer), not the commit limits the registry keeps for the whole challenge."""
    ours = {
        "limits.daily_cap": spec.daily_cap,
        "limits.commit_bond_wei": spec.commit_bond_wei,
        "limits.scoring_deadline_s": spec.scoring_deadline_s,
        "limits.max_outage_extension_s": spec.max_outage_extension_s,
    }
    differ = [f"{k}: spec {ours[k]}, challenge {rules[k]}" for k in ours if ours[k] != rules[k]]
    if differ:
        raise InvalidSpec(
            f"{spec_path} differs from what the challenge fixed at creation ("
            + "; ".join(differ)
            + "); every phase keeps the challenge's commit limits (daily cap, commit bond, "
            "scoring deadline, outage extension): "
            "copy them from the first spec"
        )


def writable_backends(store: ContentStore) -> list[ContentStore]:
    """The backends content is published to: the embedded store and kubo, not gateways."""
    backends = store.stores if isinstance(store, FallbackStore) else (store,)
    return [b for b in backends if not isinstance(b, GatewayStore)]


def _upload(store: ContentStore, files: PhaseFiles, progress: Progress) -> str:
    """Adds and pins every public file and the spec on each writable backend."""
    for file in files.public:
        progress(f"uploading {file.role} ({file.cid})")
        for backend in writable_backends(store):
            if file.path is not None:
                got = str(backend.add_path(file.path).cid)
                if got != file.cid:
                    raise IpfsError(f"{backend.name} gave {file.path} CID {got}, not {file.cid}")
            elif not backend.has(file.cid):
                replicate(store, backend, file.cid)
            backend.pin(file.cid)
    progress("uploading the spec")
    cids = set()
    for backend in writable_backends(store):
        cid = str(backend.add_bytes(files.spec_bytes).cid)
        backend.pin(cid)
        cids.add(cid)
    if len(cids) != 1:
        raise IpfsError(f"the IPFS backends gave the spec different CIDs: {sorted(cids)}")
    return cids.pop()
