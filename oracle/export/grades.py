"""The teacher's view of a challenge: one CSV row per participant, made from the export tables.

Columns: participant, submissions, valid, improvements, reviews_given, rewards (tokens the
live roots entitle them to), claimed (tokens paid out). Participants are everyone who
committed, reviewed or is owed a reward, sorted by address.
"""

import csv
import io
from collections import Counter
from decimal import Decimal

import pyarrow as pa

from oracle.ledger.model import RootStanding

GRADE_COLUMNS = ("participant", "submissions", "valid", "improvements", "reviews_given",
                 "rewards", "claimed")  # fmt: skip


def grades_csv(tables: dict[str, pa.Table]) -> str:
    submissions = tables["submissions"].to_pylist()
    reviews = tables["reviews"].to_pylist()
    live = [r for r in tables["rewards"].to_pylist() if r["root_state"] != RootStanding.VOIDED]
    claims = tables["claims"].to_pylist()
    made = Counter(s["submitter"] for s in submissions)
    valid = Counter(s["submitter"] for s in submissions if s["status"] == "VALID")
    improved = Counter(s["submitter"] for s in submissions if s["improvement"])
    reviewed = Counter(r["reviewer"] for r in reviews)
    owed: dict[str, Decimal] = {}
    for r in live:
        owed[r["account"]] = owed.get(r["account"], Decimal(0)) + r["amount"]
    paid: dict[str, Decimal] = {}
    for c in claims:
        paid[c["account"]] = paid.get(c["account"], Decimal(0)) + c["amount"]
    people = sorted(set(made) | set(reviewed) | set(owed) | set(paid), key=str.lower)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GRADE_COLUMNS)
    for who in people:
        rewards, claimed = owed.get(who, Decimal(0)), paid.get(who, Decimal(0))
        writer.writerow([who, made[who], valid[who], improved[who], reviewed[who],
                         _plain(rewards), _plain(claimed)])  # fmt: skip
    return out.getvalue()


def _plain(amount: Decimal) -> str:
    """A token amount as a plain decimal, trailing zeros dropped ("12.5", "0")."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
