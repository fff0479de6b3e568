"""For `make demo`: two submissions under two licences, the second a fork of the first.

`submit_two_licences` submits `original` as the first sender under `licences[0]`, then
`fork` as the second sender building on it under `licences[1]` (the default pair is one
the table allows: a fork of Apache-2.0 work may be GPL-3.0-only). Both go through
`coop submit --licence`'s code (oracle/participant/submit.py), so the demo shows what a
participant does; the oracles then score both, and the web app shows each licence.
"""

from dataclasses import dataclass
from pathlib import Path

from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.ipfs.store import ContentStore
from oracle.participant.submit import Say, submit_path

PPM = 1_000_000


@dataclass(frozen=True)
class LicensedPair:
    original: int  # submission ids
    fork: int
    licences: tuple[str, str]


def submit_two_licences(
    platform: Platform,
    senders: tuple[Sender, Sender],
    store: ContentStore,
    data_dir: Path,
    challenge: int,
    original: Path,
    fork: Path,
    licences: tuple[str, str] = ("Apache-2.0", "GPL-3.0-only"),
    say: Say = lambda line: None,
) -> LicensedPair:
    first = submit_path(platform, senders[0], store, data_dir, challenge, original,
                        licence=licences[0], say=say)  # fmt: skip
    say(f"submission {first.submission_id} under {licences[0]}")
    second = submit_path(platform, senders[1], store, data_dir, challenge, fork,
                         (first.submission_id,), (PPM,), licence=licences[1], say=say)  # fmt: skip
    say(f"submission {second.submission_id} forks it under {licences[1]}")
    return LicensedPair(first.submission_id, second.submission_id, licences)
