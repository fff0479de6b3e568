"""The spec a phase is scored under after a correction of its scorer.

A correction names the CID of a corrected scorer program (ChallengeRegistry's
`publishCorrection`). The phase's spec then scores with that program: a program scorer
keeps its limits, a built-in metric's phase gets CORRECTED_SCORER_LIMITS (the spec named
none). Everything else in the spec stands; corrected labels change the holdout, not the spec.
"""

from dataclasses import replace

from oracle.spec import ChallengeSpec, ScorerKind, ScorerSpec
from oracle.types import Cid

# cpu seconds, memory MB, wall seconds for a corrected scorer of a built-in metric's phase
CORRECTED_SCORER_LIMITS = (60.0, 1024, 120.0)


def corrected_spec(spec: ChallengeSpec, scorer_cid: str) -> ChallengeSpec:
    """`spec` scored by the program `scorer_cid` ("" keeps the spec's own scorer)."""
    if not scorer_cid:
        return spec
    old = spec.scorer
    if old.kind is ScorerKind.PROGRAM:
        scorer = replace(old, cid=Cid(scorer_cid))
    else:
        cpu, memory, wall = CORRECTED_SCORER_LIMITS
        scorer = ScorerSpec(ScorerKind.PROGRAM, Cid(scorer_cid), cpu, memory, wall)
    return replace(spec, scorer=scorer)
