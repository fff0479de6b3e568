"""How SDK answers show in Jupyter: a board as an HTML table, a best-score history as SVG.

Both hold a pandas DataFrame (`.frame`) for computing; the rich forms need nothing beyond
the notebook itself (no plotting library).
"""

import html
from dataclasses import dataclass

import pandas as pd

WIDTH, HEIGHT, PAD = 480, 220, 36


@dataclass
class Board:
    """A phase's leaderboard, best first: rank, participant, submission, score."""

    challenge_id: int
    phase: int
    private: bool
    frame: pd.DataFrame

    def __len__(self) -> int:
        return len(self.frame)

    def _repr_html_(self) -> str:
        kind = "private" if self.private else "public"
        title = f"Challenge {self.challenge_id}, phase {self.phase}: {kind} board"
        if self.frame.empty:
            return f"<p><b>{html.escape(title)}</b>: no scores yet.</p>"
        table: str = self.frame.to_html(index=False, escape=True)
        return f"<p><b>{html.escape(title)}</b></p>{table}"

    def __repr__(self) -> str:
        kind = "private" if self.private else "public"
        return f"Board(challenge {self.challenge_id}, phase {self.phase}, {kind}, " \
               f"{len(self.frame)} rows)\n{self.frame.to_string(index=False)}"  # fmt: skip


@dataclass
class ScoreHistory:
    """The improvements of a phase's public best, in order: a step line from the baseline."""

    challenge_id: int
    phase: int
    baseline: float
    higher_is_better: bool
    frame: pd.DataFrame  # submission_id, participant, block, score

    def __repr__(self) -> str:
        return f"ScoreHistory(challenge {self.challenge_id}, phase {self.phase}, " \
               f"{len(self.frame)} improvements)"  # fmt: skip

    def _repr_svg_(self) -> str:
        scores: list[float] = [self.baseline, *(float(v) for v in self.frame["score"])]
        low, high = min(scores), max(scores)
        span = (high - low) or 1.0
        steps = len(scores)

        def x(i: int) -> float:
            return PAD + (WIDTH - 2 * PAD) * i / max(steps - 1, 1)

        def y(v: float) -> float:
            return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v - low) / span

        points = []
        for i, v in enumerate(scores):
            if i:
                points.append(f"{x(i):.1f},{y(scores[i - 1]):.1f}")
            points.append(f"{x(i):.1f},{y(v):.1f}")
        dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3"/>'
                       for i, v in enumerate(scores))  # fmt: skip
        better = "higher" if self.higher_is_better else "lower"
        title = (f"Challenge {self.challenge_id}, phase {self.phase}: best public score "
                 f"({better} is better)")  # fmt: skip
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'role="img" aria-label="{html.escape(title)}">'
            f'<text x="{PAD}" y="18" font-size="13">{html.escape(title)}</text>'
            f'<text x="4" y="{y(high) + 4:.1f}" font-size="10">{high:.4g}</text>'
            f'<text x="4" y="{y(low) + 4:.1f}" font-size="10">{low:.4g}</text>'
            f'<polyline fill="none" stroke="#2a6" stroke-width="2" points="{" ".join(points)}"/>'
            f"{dots}</svg>"
        )
