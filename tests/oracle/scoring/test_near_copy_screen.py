"""The fast near-copy search (a BLAS screen, then the exact distance on the pairs it keeps)
finds exactly what comparing every pair finds: the same copies, sources, ppm integers and
evidence, on a few hundred synthetic submissions with copies planted one ppm either side
of the threshold, named parents, copies by the same address, identical code files,
constant predictions (no spread: never a source), missing predictions, multiclass tables,
values too large for the screen's squares, and blocks smaller than the phase."""

import numpy as np
import pytest
from eth_utils.address import to_checksum_address
from numpy.typing import NDArray

from oracle.ledger.model import Reveal, Submission
from oracle.ledger.near_copies import Compared, Files, near_copies_among
from oracle.rewards.model import NearCopy, NearCopyEvidence
from oracle.scoring.near_copy import distance_ppm
from oracle.spec import DEFAULT_NEAR_COPY_PPM
from oracle.types import Address, SubmissionId

LIMIT = DEFAULT_NEAR_COPY_PPM
ROWS = 60  # rows of the predictions; the public ones are a random subset
OWNERS = [Address(to_checksum_address(bytes([0x10 + k]) * 20)) for k in range(9)]


def plain_rule(compared: list[Compared], rows: NDArray[np.intp], limit: int) -> list[NearCopy]:
    """The rule as written, every earlier submission compared with each candidate in turn:
    the reference the fast path must equal."""
    found = []
    for position, candidate in enumerate(compared):
        mine = candidate.submission
        assert mine.reveal is not None
        first: NearCopy | None = None
        for other in compared[:position]:
            theirs = other.submission
            if theirs.submitter == mine.submitter:
                continue
            if candidate.files is not None and candidate.files == other.files:
                distance: tuple[int, NearCopyEvidence] | None = (0, NearCopyEvidence.FILES)
            elif candidate.predictions is None or other.predictions is None:
                distance = None
            else:
                ppm = distance_ppm(other.predictions, candidate.predictions, rows)
                distance = None if ppm is None else (ppm, NearCopyEvidence.PREDICTIONS)
            if distance is None or distance[0] > limit:
                continue
            if theirs.submission_id in mine.reveal.parents:
                first = None
                break
            if first is None:
                first = NearCopy(
                    SubmissionId(mine.submission_id),
                    SubmissionId(theirs.submission_id),
                    Address(theirs.submitter),
                    *distance,
                )
        if first is not None:
            found.append(first)
    return found


def at_edge(
    source: NDArray[np.float64], direction: NDArray[np.float64], rows: NDArray[np.intp], ppm: int
) -> NDArray[np.float64]:
    """source + t * direction with t found by bisection so the distance is exactly `ppm`."""
    low, high = 0.0, 1.0
    while (distance_ppm(source, source + high * direction, rows) or 0) <= ppm:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        found = distance_ppm(source, source + middle * direction, rows)
        assert found is not None
        if found == ppm:
            return source + middle * direction
        low, high = (middle, high) if found < ppm else (low, middle)
    raise AssertionError(f"no scale gives {ppm} ppm")


class Phase:
    """Synthetic submissions in commit order."""

    def __init__(self, seed: int, columns: int, rows: NDArray[np.intp]) -> None:
        self.rng = np.random.default_rng(seed)
        self.shape = (ROWS,) if columns == 1 else (ROWS, columns)
        self.rows = rows
        self.compared: list[Compared] = []

    def add(
        self,
        predictions: NDArray[np.float64] | None,
        owner: int | None = None,
        parents: tuple[int, ...] = (),
        files: Files | None = None,
    ) -> int:
        """Appends a submission; its id (ids are not in commit order: 1000 - position)."""
        sid = 1000 - len(self.compared)
        who = OWNERS[int(self.rng.integers(len(OWNERS))) if owner is None else owner]
        reveal = Reveal(f"bafy{sid}", parents, tuple(10**6 for _ in parents), 1)
        submission = Submission(sid, 1, who, 0, b"", 0, len(self.compared), reveal=reveal)
        self.compared.append(Compared(submission, predictions, files))
        return sid

    def model(self) -> NDArray[np.float64]:
        return self.rng.normal(size=self.shape) * self.rng.uniform(0.5, 3) + self.rng.normal()

    def pick(self) -> tuple[int, Compared]:
        """A random earlier submission with predictions that spread on the public rows."""
        while True:
            position = int(self.rng.integers(len(self.compared)))
            chosen = self.compared[position]
            values = chosen.predictions
            if values is not None and np.ptp(values[self.rows]) > 0:
                return position, chosen


def build(seed: int, columns: int, count: int) -> Phase:
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(ROWS, size=40, replace=False)).astype(np.intp)
    phase = Phase(seed, columns, rows)
    for _ in range(12):
        phase.add(phase.model())
    while len(phase.compared) < count:
        kind = int(phase.rng.integers(9))
        if kind == 0:  # an independent model
            phase.add(phase.model())
        elif kind in (1, 2):  # a copy one ppm inside or outside the limit, maybe named
            _, source = phase.pick()
            assert source.predictions is not None
            direction = phase.rng.normal(size=phase.shape)
            ppm = LIMIT + int(phase.rng.integers(-1, 2))
            copy = at_edge(source.predictions, direction, rows, ppm)
            named = (source.submission.submission_id,) if phase.rng.random() < 0.3 else ()
            same = phase.rng.random() < 0.2  # by the source's own address
            owner = OWNERS.index(source.submission.submitter) if same else None
            phase.add(copy, owner=owner, parents=named)
        elif kind == 3:  # an exact copy naming some other (unrelated) parent
            _, source = phase.pick()
            unrelated = phase.compared[int(phase.rng.integers(len(phase.compared)))]
            phase.add(source.predictions, parents=(unrelated.submission.submission_id,))
        elif kind == 4:  # constant predictions, and their copies
            phase.add(np.full(phase.shape, float(phase.rng.integers(3))))
        elif kind == 5:  # code: the same files as an earlier one, predictions or none
            files: Files = frozenset({("model.py", f"bafy{int(phase.rng.integers(6))}")})
            phase.add(phase.model() if phase.rng.random() < 0.5 else None, files=files)
        elif kind == 6:  # a copy far inside the limit
            _, source = phase.pick()
            assert source.predictions is not None
            phase.add(source.predictions + phase.rng.normal(size=phase.shape) * 1e-4)
        else:  # a model close to many: a blend of two earlier ones
            (_, one), (_, two) = phase.pick(), phase.pick()
            assert one.predictions is not None and two.predictions is not None
            phase.add(0.995 * one.predictions + 0.005 * two.predictions)
    return phase


@pytest.mark.parametrize(("seed", "columns", "block"), [(1, 1, 64), (2, 3, 37), (3, 1, 2048)])
def test_the_fast_path_finds_what_every_pair_finds(seed: int, columns: int, block: int) -> None:
    phase = build(seed, columns, 260)
    expected = plain_rule(phase.compared, phase.rows, LIMIT)
    found = near_copies_among(phase.compared, phase.rows, LIMIT, block)
    assert list(found) == expected
    evidence = {near.evidence for near in expected}
    assert evidence == {NearCopyEvidence.FILES, NearCopyEvidence.PREDICTIONS}
    assert any(near.distance_ppm == LIMIT for near in expected)  # the edge is exercised
    assert len(expected) > 40


def test_values_too_large_for_the_screen_find_the_same_copies() -> None:
    phase = build(4, 1, 120)
    huge = [
        Compared(c.submission, None if c.predictions is None else c.predictions * 2.0**505, c.files)
        for c in phase.compared
    ]
    expected = plain_rule(huge, phase.rows, LIMIT)
    assert near_copies_among(huge, phase.rows, LIMIT, 50) == tuple(expected)
    assert expected == plain_rule(phase.compared, phase.rows, LIMIT)  # scale-free distance


def test_predictions_of_different_shapes_are_refused() -> None:
    phase = Phase(5, 1, np.arange(10, dtype=np.intp))
    phase.add(phase.model())
    phase.add(np.zeros((ROWS, 2)))
    with pytest.raises(ValueError, match=r"predictions of shapes .* differ"):
        near_copies_among(phase.compared, phase.rows, LIMIT)
