"""Licences checked by three `coop oracle run` processes (quorum 2) on anvil: two licences,
one a fork, are scored; a fork whose licence its parent's forbids and a licence the spec
does not allow are posted with their statuses and reasons; a valid submission under a
licence that is not open wins no prize when the spec asks for open licences; `coop audit`
re-derives all of it; `coop leaderboard`, `coop status` and `coop export` show each one."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oracle.artifact_manifest import MANIFEST
from oracle.audit.run import audit_challenge
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.cli.main import cli
from oracle.devnet.licence_demo import submit_two_licences
from oracle.devnet.seed import spec_path
from oracle.export.read import read_export
from oracle.participant.licensed import LicenceRefused, with_licence
from oracle.participant.submit import submit_path
from oracle.scoring.score_report import read_report, score_report_cid
from oracle.status import Status
from tests.oracle.daemon.world import PARTICIPANT_KEYS, World, wait_for

ALLOWED = ["MIT", "Apache-2.0", "GPL-3.0-only", "CC-BY-NC-4.0"]


def licensed_spec(dest: Path) -> Path:
    spec = json.loads(spec_path("diabetes-regression").read_text())
    spec["licences"] = {"allowed": ALLOWED, "open_required_for_prizes": True}
    dest.write_text(json.dumps(spec))
    return dest


def test_oracles_score_allowed_licences_and_flag_the_others_with_reasons(
    world: World, tmp_path: Path
) -> None:
    world.publish(oracle_count=3, quorum=2, spec_file=licensed_spec(tmp_path / "spec.json"))
    oracles = world.make_oracles(3)
    world.start_oracles()
    ada, ben, cy, dan, eve_key = (Sender.from_key(world.w3, k) for k in PARTICIPANT_KEYS[:5])
    data_dir = tmp_path / "participants"

    def predictions(name: str, seed: int, noise: float) -> Path:
        path = tmp_path / f"{name}.csv"
        path.write_bytes(world.artifact(seed, noise))
        return path

    # Ada under Apache-2.0, Ben forks her under GPL-3.0-only: both allowed, both compatible.
    pair = submit_two_licences(world.platform, (ada, ben), world.store, data_dir,
                               world.challenge_id, predictions("ada", 1, 30.0),
                               predictions("ben", 2, 20.0))  # fmt: skip
    # Cy forks Ben's GPL work under MIT: `coop submit` cannot know his parent's licence
    # before the reveal, so the oracles flag it.
    cy_id = submit_path(world.platform, cy, world.store, data_dir, world.challenge_id,
                        predictions("cy", 3, 6.0), (pair.fork,), (1_000_000,),
                        licence="MIT").submission_id  # fmt: skip
    # Dan's licence is not allowed: `coop submit` refuses it; written by hand, it is flagged.
    with pytest.raises(LicenceRefused, match="does not allow 'BSD-3-Clause'; choose one of MIT"):
        submit_path(world.platform, dan, world.store, data_dir, world.challenge_id,
                    predictions("dan", 4, 6.0), licence="BSD-3-Clause")  # fmt: skip
    folder = with_licence(predictions("dan", 4, 6.0), "MIT", tmp_path / "dan")
    (folder / MANIFEST).write_text('{"licence": "BSD-3-Clause"}')
    dan_cid = str(world.store.add_path(folder).cid)
    dan_id = reveal(world.platform, dan,
                    commit(world.platform, dan, data_dir, world.challenge_id, dan_cid))  # fmt: skip
    # Eve has the best predictions (no noise added; the others' noise is far larger than the
    # sampling error of the private rows), under a non-commercial licence: no prize.
    eve = submit_path(world.platform, eve_key, world.store, data_dir, world.challenge_id,
                      predictions("eve", 5, 0.0), licence="CC-BY-NC-4.0")  # fmt: skip
    eve_id = eve.submission_id
    # A bare file carries the default (MIT).
    bare_id = world.submit(world.artifact(6, 8.0), who=5)

    every = [pair.original, pair.fork, cy_id, dan_id, eve_id, bare_id]
    wait_for("every score", lambda: set(every) <= world.scored_ids(), 90, oracles)
    ledger = world.ledger()

    def posted(sid: int) -> tuple[Status, str]:
        score = ledger.submissions[sid].score
        assert score is not None
        report = read_report(world.store.cat(score_report_cid(score.report_digest)))
        return Status(score.status), report.reason

    for sid in (pair.original, pair.fork, eve_id, bare_id):
        assert posted(sid)[0] is Status.VALID, posted(sid)
    assert posted(cy_id) == (
        Status.LICENCE_INCOMPATIBLE,
        f"the licence 'MIT' is not compatible with parent {pair.fork}'s 'GPL-3.0-only'; a fork "
        "of it may carry AGPL-3.0-only, GPL-3.0-only",
    )
    assert posted(dan_id) == (
        Status.LICENCE_NOT_ALLOWED,
        "the licence 'BSD-3-Clause' is not allowed by this challenge; allowed: MIT, "
        "Apache-2.0, GPL-3.0-only, CC-BY-NC-4.0 (set it in coop-source.json, or coop submit "
        "--licence)",
    )

    # The phase ends; Eve's best score wins no prize (her licence is not open), the audit
    # re-derives every licence status and the root.
    ledger = world.settle(oracles)
    root = ledger.challenges[world.challenge_id].roots[0]
    rewards = json.loads(world.store.cat(root.report_cid))
    ranks = {int(s["submission_id"]): s["prize_rank"] for s in rewards["submissions"]}
    valid = [sid for sid in every if posted(sid)[0] is Status.VALID]
    private = {sid: ledger.submissions[sid].private for sid in valid}
    by_score = sorted(valid, key=lambda sid: private[sid].score)  # type: ignore[union-attr]
    assert by_score[0] == eve_id  # the best private score (lower is better) ...
    assert ranks[eve_id] is None and ranks[by_score[1]] == "1"  # ... wins no prize
    assert rewards["prize_ineligible"] == [str(eve_id)]  # the report says why
    report = audit_challenge(world.platform, world.store, world.challenge_id)
    assert report.ok, [str(f) for f in report.findings]
    assert report.checked["licences"] == len(every) and report.checked["rewards"] == 1

    # Shown where the submission is: the board, the submission's status, the export.
    env = {"COOP_RPC_URL": world.anvil.url, "COOP_DEPLOYMENT": str(world.deployment_file),
           "COOP_IPFS_DIR": str(world.store.root),
           "COOP_CONFIG": str(world.base / "none")}  # fmt: skip
    shown = CliRunner().invoke(cli, ["leaderboard", str(world.challenge_id), "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    entries = json.loads(shown.output)["boards"][0]["entries"]
    expected = {pair.original: "Apache-2.0", pair.fork: "GPL-3.0-only", eve_id: "CC-BY-NC-4.0",
                bare_id: "MIT"}  # fmt: skip
    assert {e["submission_id"]: e["licence"] for e in entries} == {
        e["submission_id"]: expected[e["submission_id"]] for e in entries}  # fmt: skip
    text = CliRunner().invoke(cli, ["leaderboard", str(world.challenge_id)], env=env).output
    assert "  licence" in text and "CC-BY-NC-4.0" in text
    told = CliRunner().invoke(cli, ["status", str(cy_id)], env=env).output
    assert "licence  MIT (named in its coop-source.json)" in told and "LICENCE_INCOMPATIBLE" in told
    told = CliRunner().invoke(cli, ["status", str(bare_id)], env=env).output
    assert "licence  MIT (the challenge's default)" in told
    exported = read_export(world.platform, world.store, [world.challenge_id])["submissions"]
    licences = dict(zip(exported.column("submission_id").to_pylist(),
                        exported.column("licence").to_pylist(), strict=True))  # fmt: skip
    assert licences == {**expected, cy_id: "MIT", dan_id: "BSD-3-Clause"}
