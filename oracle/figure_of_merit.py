"""What judges a phase (its figure of merit) and what changed from one phase to the next:
the history `coop challenge status`, the API and the web timeline tell."""

from dataclasses import dataclass

from oracle.spec import ChallengeSpec
from oracle.types import wad_text


@dataclass(frozen=True)
class Merit:
    """A phase's figure of merit: its on-chain rules (WAD), and from its spec, when it could
    be read, the metric, the dataset and the scorer."""

    spec_cid: str
    higher_is_better: bool
    baseline: int
    target: int
    eta: int
    metric: str | None = None
    dataset: str | None = None  # the train and test-feature CIDs
    scorer: str | None = None  # "builtin", or the scoring program's CID

    @classmethod
    def of(cls, spec_cid: str, higher_is_better: bool, baseline: int, target: int, eta: int,
           spec: ChallengeSpec | None = None) -> "Merit":  # fmt: skip
        if spec is None:
            return cls(spec_cid, higher_is_better, baseline, target, eta)
        scorer = str(spec.scorer.cid) if spec.scorer.cid else str(spec.scorer.kind)
        return cls(spec_cid, higher_is_better, baseline, target, eta, spec.metric.name,
                   f"{spec.data.train} + {spec.data.test_features}", scorer)  # fmt: skip

    @property
    def direction(self) -> str:
        return "higher" if self.higher_is_better else "lower"


def changes(previous: Merit | None, current: Merit) -> tuple[str, ...]:
    """What `current` changed from the phase before it, each as "what old -> new" (the
    first phase: "first phase"). A field not known for both (a spec that could not be read)
    is not compared; a new spec that changes none of the compared fields is "spec"."""
    if previous is None:
        return ("first phase",)
    found = []
    for name, old, new in (
        ("metric", previous.metric, current.metric),
        ("direction", previous.direction, current.direction),
        ("baseline", wad_text(previous.baseline), wad_text(current.baseline)),
        ("target", wad_text(previous.target), wad_text(current.target)),
        ("eta", wad_text(previous.eta), wad_text(current.eta)),
        ("dataset", previous.dataset, current.dataset),
        ("scorer", previous.scorer, current.scorer),
    ):
        if old is not None and new is not None and old != new:
            found.append(f"{name} {old} -> {new}")
    if not found and previous.spec_cid != current.spec_cid:
        found.append("spec (a fresh holdout split or other details)")
    return tuple(found)
