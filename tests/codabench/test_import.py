"""`coop challenge import` of a Codabench bundle made here in Codabench's documented format
(competition.yaml v2, a zipped scoring program with metadata.yaml, a reference data folder):
imported and published on a real chain, a participant submits with `coop submit`, and the
oracles' scoring engine, running the bundle's program in the sandbox, gives exactly what
the bundle's program computes when run as Codabench runs it."""

import io
import json
import random
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.replay import read_ledger
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import load_holdout
from oracle.spec import load_spec
from oracle.status import Status

OWNER, ALICE = ANVIL_KEYS[0], ANVIL_KEYS[1]
ROWS = 40

COMPETITION_YAML = """\
version: 2
title: Guess the answers
description: Predict one number per row; the mean absolute error ranks you.
image: logo.png
terms: terms.md
pages:
  - title: Overview
    file: overview.md
tasks:
  - index: 0
    name: Development task
    scoring_program: scoring_program.zip
    reference_data: reference_data
phases:
  - index: 0
    name: Development
    start: 2024-01-01
    max_submissions_per_day: 3
    execution_time_limit: 60
    tasks: [0]
  - index: 1
    name: Final
    start: 2024-06-01
    tasks: [0]
leaderboards:
  - title: Results
    key: main
    columns:
      - title: Mean absolute error
        key: mae
        index: 0
        sorting: asc
      - title: Duration
        key: duration
        index: 1
"""

SCORE_PY = """\
import csv, os, sys
input_dir, output_dir = sys.argv[1], sys.argv[2]
def read(folder):
    with open(os.path.join(input_dir, folder, "answers.csv")) as handle:
        return {row["id"]: float(row["answer"]) for row in csv.DictReader(handle)}
truth, guess = read("ref"), read("res")
error = sum(abs(truth[i] - guess[i]) for i in truth) / len(truth)
with open(os.path.join(output_dir, "scores.txt"), "w") as handle:
    handle.write(f"mae: {error!r}\\nduration: 0\\n")
"""


def make_bundle(folder: Path) -> tuple[Path, dict[str, int]]:
    rng = random.Random(17)
    answers = {str(1000 + i): rng.randint(0, 20) for i in range(ROWS)}
    program = io.BytesIO()
    with zipfile.ZipFile(program, "w") as z:
        z.writestr("metadata.yaml", "command: python3 $program/score.py $input $output\n")
        z.writestr("score.py", SCORE_PY)
    path = folder / "guess.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("competition.yaml", COMPETITION_YAML)
        z.writestr("scoring_program.zip", program.getvalue())
        z.writestr("reference_data/answers.csv",
                   "id,answer\n" + "".join(f"{i},{v}\n" for i, v in answers.items()))  # fmt: skip
        z.writestr("logo.png", b"\x89PNG")
        z.writestr("terms.md", "Be nice.")
        z.writestr("overview.md", "# Guess")
    return path, answers


def run_bundle_program(tmp: Path, truth: dict[str, int], guess: dict[str, float]) -> float:
    """The bundle's score.py as Codabench runs it: its command, input/ref, input/res, output."""
    for part in ("input/ref", "input/res", "output", "program"):
        (tmp / part).mkdir(parents=True)
    (tmp / "program" / "score.py").write_text(SCORE_PY)
    (tmp / "input/ref/answers.csv").write_text(
        "id,answer\n" + "".join(f"{i},{v}\n" for i, v in truth.items()))  # fmt: skip
    (tmp / "input/res/answers.csv").write_text(
        "id,answer\n" + "".join(f"{i},{guess[i]!r}\n" for i in truth))  # fmt: skip
    subprocess.run([sys.executable, str(tmp / "program/score.py"), str(tmp / "input"),
                    str(tmp / "output")], check=True, cwd=tmp / "program")  # fmt: skip
    line = (tmp / "output/scores.txt").read_text().splitlines()[0]
    return float(line.split(":")[1])


@pytest.fixture(scope="module")
def chain_env(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Platform, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("codabench")
    chain = start_anvil()
    try:
        w3 = Web3(Web3.HTTPProvider(chain.url))
        owner = Sender.from_key(w3, OWNER)
        platform = Platform.connect(w3, deploy_platform(owner))
        owner.transact(platform.token.functions.mint(owner.address, 10**21))  # the bounty
        deployment = tmp / "deployment.json"
        platform.deployment.save(deployment)
        yield platform, {"COOP_RPC_URL": chain.url, "COOP_DEPLOYMENT": str(deployment),
                         "COOP_DATA_DIR": str(tmp / "data"),
                         "COOP_CONFIG": str(tmp / "absent.toml")}  # fmt: skip
    finally:
        chain.stop()


def coop(env: dict[str, str], key: str, *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env={**env, "COOP_PRIVATE_KEY": key})
    assert result.exit_code == 0, result.output
    return result


def test_an_imported_bundle_scores_as_its_own_program_does(
    chain_env: tuple[Platform, dict[str, str]], tmp_path: Path
) -> None:
    platform, env = chain_env
    bundle, answers = make_bundle(tmp_path)
    out = coop(env, OWNER, "challenge", "import", str(bundle), "--baseline", "10",
               "--target", "0", "--eta", "0.001", "--json")  # fmt: skip
    published = json.loads(out.stdout)
    not_mapped = "\n".join(published["not_mapped"])
    for listed in ("`image`", "`terms`", "`pages`", "phase Final", "column `duration`",
                   "public/private split"):  # fmt: skip
        assert listed in not_mapped, listed
    assert "not mapped: competition.yaml `image`" in out.stderr

    cid = published["challenge_id"]
    ledger = read_ledger(platform)
    challenge = ledger.challenge(cid)
    assert not challenge.phases[0].higher_is_better  # `sorting: asc`: lower is better
    store = EmbeddedStore(Path(env["COOP_DATA_DIR"]) / "ipfs")
    spec = load_spec(store.cat(challenge.phases[0].spec_cid))
    assert (spec.title, spec.daily_cap) == ("Guess the answers", 3)
    assert spec.scorer.cid is not None and spec.scorer.wall_seconds == 60
    program = store.cat(spec.scorer.cid)

    rng = random.Random(5)
    guess = {i: v + rng.choice((-1.5, 0.0, 2.0)) for i, v in answers.items()}
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,prediction\n" + "".join(f"{i},{v!r}\n" for i, v in guess.items()))
    coop(env, ALICE, "submit", str(cid), str(predictions))

    secret = json.loads(Path(published["holdout_secret"]).read_text())
    labels = Path(env["COOP_DATA_DIR"]) / "imported-labels.csv"
    labels.write_text((bundle.with_suffix("") / "labels.csv").read_text())
    holdout = load_holdout(spec, labels.read_bytes(), bytes.fromhex(secret["split_salt"][2:]),
                           challenge.phases[0].holdout_commitment)  # fmt: skip
    (submission,) = read_ledger(platform).submissions_of(cid)
    assert submission.reveal is not None
    result = score_submission(spec, holdout, store.cat(submission.reveal.artifact_cid),
                              scorer_program=program)  # fmt: skip
    assert result.status is Status.VALID, result.reason
    ids = holdout.labels.ids.to_pylist()
    for part, score in (("public", result.public_score), ("private", result.private_score)):
        rows = [ids[i] for i in holdout.part_rows[part]]
        expected = run_bundle_program(tmp_path / part, {i: answers[i] for i in rows}, guess)
        assert score == expected, part
    assert result.public_score != result.private_score


def test_a_bundle_without_a_scoring_program_is_refused_with_the_reason(
    chain_env: tuple[Platform, dict[str, str]], tmp_path: Path
) -> None:
    _, env = chain_env
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("competition.yaml", COMPETITION_YAML.replace(
            "    scoring_program: scoring_program.zip\n", ""))  # fmt: skip
        z.writestr("reference_data/answers.csv", "id,answer\n1,2\n")
    owner_env = {**env, "COOP_PRIVATE_KEY": OWNER}
    terms = ["--baseline", "1", "--target", "0"]
    result = CliRunner().invoke(cli, ["challenge", "import", str(path), *terms], env=owner_env)
    assert result.exit_code == 2
    assert "task 0 has no scoring_program" in result.output
    not_a_zip = tmp_path / "notes.zip"
    not_a_zip.write_text("hello")
    result = CliRunner().invoke(cli, ["challenge", "import", str(not_a_zip), *terms],
                                env=owner_env)  # fmt: skip
    assert result.exit_code == 2
    assert "is not a readable zip file" in result.output
