"""`coop export` and GET /v1/challenges/{id}/export on a real chain: the Parquet tables read
back with DuckDB agree with the contracts' own storage, the grades CSV with the life played,
and the API serves the very bytes the command writes."""

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.cli.main import cli
from oracle.export.schema import TABLES
from oracle.types import PPM
from tests.export.export_story import ALICE, BOB, CAROL, Story, address


def tokens(base_units: int) -> Decimal:
    return Decimal(base_units).scaleb(-18)


@pytest.fixture(scope="module")
def exported(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out") / "challenge"
    result = story.coop("export", str(story.life.challenge_id), str(folder))
    assert "submissions.parquet" in result.stdout
    return folder


def query(folder: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    return con.sql(sql).fetchall()


def test_the_tables_read_back_with_duckdb_agree_with_the_contracts(
    story: Story, exported: Path
) -> None:
    p, cid, ids = story.platform, story.life.challenge_id, story.ids
    assert sorted(f.name for f in exported.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    (count,) = query(exported, "SELECT count(*) FROM submissions")[0]
    assert count == p.book.functions.submissionCount().call() == 3
    statuses = dict(query(exported, "SELECT submission_id, status FROM submissions"))  # type: ignore[arg-type]
    assert statuses == {ids["alice"]: "VALID", ids["bob"]: "VALID", ids["carol"]: "WRONG_TYPE"}
    for sid in ids.values():
        assert p.score_board.functions.isScored(sid).call()
    assert query(exported, "SELECT child_id, parent_id, weight_ppm FROM forks") == [
        (ids["bob"], ids["alice"], PPM)]  # fmt: skip
    assert query(exported, "SELECT submission_id, reviewer FROM reviews") == [
        (ids["bob"], address(CAROL))]  # fmt: skip
    assert p.book.functions.hasReviewed(ids["bob"], address(CAROL)).call()
    (last_seq,) = query(exported, "SELECT max(seq) FROM score_batches")[0]
    assert last_seq == p.score_board.functions.lastSeq(cid).call()
    merkle_root, root_total, root_seq, *_, root_claimed, _, _, _ = (
        p.vault.functions.getRoot(cid, 0).call())  # fmt: skip
    (seq, posted_root, posted_total, leaves_total) = query(
        exported, "SELECT r.seq, r.merkle_root, r.total, sum(w.amount) FROM reward_roots r "
        "JOIN rewards w USING (seq) GROUP BY ALL")[0]  # fmt: skip
    assert (seq, posted_root) == (root_seq, "0x" + merkle_root.hex())
    assert posted_total == leaves_total == tokens(root_total) == tokens(story.report.total)
    (claimed,) = query(exported, f"SELECT sum(amount) FROM claims WHERE account = "
                                 f"'{address(ALICE)}'")[0]  # fmt: skip
    assert claimed == tokens(root_claimed) > 0
    (unallocated,) = query(exported, "SELECT sum(amount) FROM escrow")[0]
    assert unallocated == tokens(p.vault.functions.unallocated(cid).call())
    private = dict(query(exported, "SELECT submission_id, private_score FROM submissions "
                                   "WHERE status = 'VALID'"))  # type: ignore[arg-type]  # fmt: skip
    opened = {a.submission_id: a.private_score for a in story.report.submissions if a.valid}
    assert private == {sid: tokens(score) for sid, score in opened.items() if score is not None}


def test_the_grades_csv_counts_each_participants_work(story: Story) -> None:
    text = story.coop("export", str(story.life.challenge_id), "--grades").stdout
    rows = {r["participant"]: r for r in csv.DictReader(io.StringIO(text))}
    alice, bob, carol = address(ALICE), address(BOB), address(CAROL)
    assert set(rows) == {alice, bob, carol}
    owed = {a.account: tokens(a.total) for a in story.report.accounts}
    for who, made, valid, reviews in ((alice, 1, 1, 0), (bob, 1, 1, 0), (carol, 1, 0, 1)):
        row = rows[who]
        assert (int(row["submissions"]), int(row["valid"]), int(row["reviews_given"])) == (
            made, valid, reviews), who  # fmt: skip
        assert Decimal(row["rewards"]) == owed.get(who, Decimal(0)), who
    assert Decimal(rows[alice]["claimed"]) == owed[alice] > 0
    assert Decimal(rows[bob]["claimed"]) == 0  # bob has not claimed yet
    for who, row in rows.items():  # what `coop profile` says of each
        seen = json.loads(story.coop("profile", who, "--json").stdout)
        assert int(row["improvements"]) == len(seen["improvements"]), who
    assert int(rows[alice]["improvements"]) + int(rows[bob]["improvements"]) >= 1


def test_all_exports_every_challenge(story: Story, exported: Path, tmp_path: Path) -> None:
    story.coop("export", "--all", str(tmp_path))
    ids = [r[0] for r in query(tmp_path, "SELECT challenge_id FROM challenges ORDER BY 1")]
    assert ids == [story.life.challenge_id, story.empty_challenge]
    assert query(tmp_path, "SELECT count(*) FROM phases") == [(2,)]
    one = query(exported, "SELECT * FROM submissions ORDER BY submission_id")
    assert query(tmp_path, "SELECT * FROM submissions ORDER BY submission_id") == one


def test_the_api_serves_the_same_bytes(story: Story, exported: Path, tmp_path: Path) -> None:
    life, cid = story.life, story.life.challenge_id
    config = ApiConfig(tmp_path / "index.sqlite3", life.store.root, web_dir=None,
                       rpc_url=story.env["COOP_RPC_URL"], deployment=story.deployment)  # fmt: skip
    with TestClient(create_app(config)) as client:
        answer = client.get(f"/v1/challenges/{cid}/export")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(answer.content))
        assert sorted(archive.namelist()) == sorted(f"{t}.parquet" for t in TABLES)
        for name in archive.namelist():
            assert archive.read(name) == (exported / name).read_bytes(), name
        one = client.get(f"/v1/challenges/{cid}/export", params={"table": "claims"})
        assert one.status_code == 200
        assert one.content == (exported / "claims.parquet").read_bytes()
        wrong = client.get(f"/v1/challenges/{cid}/export", params={"table": "passwords"})
        assert (wrong.status_code, wrong.json()["reason"]) == (422, "unknown_table")
        assert "claims" in wrong.json()["detail"]
        missing = client.get("/v1/challenges/99/export")
        assert (missing.status_code, missing.json()["reason"]) == (404, "unknown_challenge")
    offline = ApiConfig(tmp_path / "index.sqlite3", life.store.root, web_dir=None)
    with TestClient(create_app(offline)) as client:
        refused = client.get(f"/v1/challenges/{cid}/export")
        assert (refused.status_code, refused.json()["reason"]) == (503, "export_needs_chain")


def test_wrong_targets_are_refused_with_the_usage(story: Story, tmp_path: Path) -> None:
    for args in (["export", "1"], ["export", "--all"], ["export", "./out"],
                 ["export", "--all", "1", str(tmp_path)]):  # fmt: skip
        result = CliRunner().invoke(cli, args, env=story.env)
        assert result.exit_code == 2, args
        assert "coop export CHALLENGE DIR" in result.output, args
    unknown = CliRunner().invoke(cli, ["export", "99", str(tmp_path)], env=story.env)
    assert unknown.exit_code == 2
    assert "challenge 99 does not exist on this deployment (known: 1, 2)" in unknown.output
