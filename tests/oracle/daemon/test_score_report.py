"""Score reports as `coop` reads them back: version 1 (before receipts) and version 2."""

import json

import pytest

from oracle.scoring.receipt import CodeReceipt
from oracle.scoring.score_report import ScoreReport, read_report
from oracle.status import Status

V1 = {"version": 1, "challenge_id": 3, "phase": 0, "submission_id": 9,
      "artifact_cid": "bafkreia", "status": 0, "status_name": "VALID", "reason": "",
      "public_score": "120000000000000000"}  # fmt: skip
RECEIPT = CodeReceipt("bafybeic", "sha256:ab", {"train.csv": "bafkreit"},
                      {"cpu_seconds": 20.0}, 7, 0, None, "bafkreip")  # fmt: skip


def test_a_version_1_report_reads_without_a_receipt() -> None:
    report = read_report(json.dumps(V1).encode())
    assert report == ScoreReport(3, 0, 9, "bafkreia", Status.VALID, "", 12 * 10**16)


def test_a_version_2_report_gives_back_its_receipt() -> None:
    written = ScoreReport(3, 0, 9, "bafybeic", Status.VALID, "", 5, RECEIPT)
    assert read_report(written.to_bytes()) == written
    assert json.loads(written.to_bytes())["version"] == 2


def test_a_not_reproducible_receipt_lists_outcomes_and_drops_what_differs() -> None:
    receipt = RECEIPT.not_reproducible(["bafkreiz", "bafkreip", "bafkreiz"])
    assert receipt.outcomes == ("bafkreip", "bafkreiz")
    assert (receipt.exit_code, receipt.predictions_cid) == (None, None)
    written = ScoreReport(3, 0, 9, "bafybeic", Status.NOT_REPRODUCIBLE, "x", None, receipt)
    assert read_report(written.to_bytes()).receipt == receipt


def test_something_else_is_not_read_as_a_report() -> None:
    with pytest.raises(ValueError, match="not a score report"):
        read_report(json.dumps({**V1, "version": 9}).encode())
