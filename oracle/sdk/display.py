"""How SDK answers show in Jupyter: a board as an HTML table, a best-score history and a
fork graph as SVG.

Each holds pandas DataFrames for computing; the rich forms need nothing beyond
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


NODE_W, NODE_H, COL_GAP, ROW_GAP, MARGIN = 150, 46, 90, 18, 16


@dataclass
class ForkGraph:
    """A challenge's fork graph: submissions as boxes, parents to the left, an arrow from each
    fork to the parent it credits labelled with its weight. The layout rule is the web app's
    (oracle/web/js/ui/forkgraph.js): a submission's column is one right of its deepest
    parent, rows in id order."""

    challenge_id: int
    nodes: pd.DataFrame  # submission_id, submitter, status, score, external
    edges: pd.DataFrame  # child, parent, weight_ppm

    def __repr__(self) -> str:
        return f"ForkGraph(challenge {self.challenge_id}, {len(self.nodes)} submissions, " \
               f"{len(self.edges)} fork links)"  # fmt: skip

    def columns(self) -> dict[int, int]:
        """Column of each submission: 0 without parents in the graph, else one right of its
        deepest parent."""
        parents: dict[int, list[int]] = {int(n): [] for n in self.nodes["submission_id"]}
        for child, parent in zip(self.edges["child"], self.edges["parent"], strict=True):
            parents.setdefault(int(child), []).append(int(parent))
        depth: dict[int, int] = {}

        def visit(node: int, trail: frozenset[int]) -> int:
            if node in depth:
                return depth[node]
            if node in trail:
                return 0  # a cycle cannot happen on chain; never loop on bad data
            above = [visit(p, trail | {node}) for p in parents.get(node, []) if p in parents]
            depth[node] = 1 + max(above) if above else 0
            return depth[node]

        for node in sorted(parents):
            visit(node, frozenset())
        return depth

    def _repr_svg_(self) -> str:
        depth = self.columns()
        rows: dict[int, int] = {}
        at: dict[int, tuple[int, int]] = {}
        for node in sorted(depth):
            column = depth[node]
            place = rows.get(column, 0)
            rows[column] = place + 1
            at[node] = (MARGIN + column * (NODE_W + COL_GAP), MARGIN + place * (NODE_H + ROW_GAP))
        n_cols, n_rows = max(rows, default=0) + 1, max(rows.values(), default=1)
        width = 2 * MARGIN + n_cols * NODE_W + (n_cols - 1) * COL_GAP
        height = 2 * MARGIN + n_rows * NODE_H + (n_rows - 1) * ROW_GAP
        label = (f"Challenge {self.challenge_id}: fork graph, {len(self.nodes)} submissions, "
                 f"{len(self.edges)} fork links")  # fmt: skip
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="{html.escape(label)}" font-family="sans-serif">',
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/>'
            "</marker></defs>",
        ]
        for child, parent, ppm in zip(self.edges["child"], self.edges["parent"],
                                      self.edges["weight_ppm"], strict=True):  # fmt: skip
            if int(child) not in at or int(parent) not in at:
                continue
            (cx, cy), (px, py) = at[int(child)], at[int(parent)]
            x1, y1, x2, y2 = cx, cy + NODE_H / 2, px + NODE_W, py + NODE_H / 2
            mid = (x1 + x2) / 2
            parts.append(
                f'<g class="edge" data-child="{child}" data-parent="{parent}">'
                f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" '
                f'stroke="#555" marker-end="url(#arrow)"/>'
                f'<text x="{mid}" y="{(y1 + y2) / 2 - 6}" font-size="11" text-anchor="middle">'
                f"{int(ppm) / 10_000:g}%</text></g>"
            )
        for box in self.nodes.to_dict("records"):
            node, submitter, external = (
                int(box["submission_id"]),
                str(box["submitter"]),
                box["external"],
            )
            x, y = at[node]
            valid = box["status"] == "scored: VALID"
            fill = "#eee" if external else "#e3f4e8" if valid else "#fbeaea"
            detail = ("another challenge" if external
                      else f"score {box['score']:g}" if valid else str(box["status"]))  # fmt: skip
            who = f"{submitter[:6]}…{submitter[-4:]}"
            parts.append(
                f'<g class="node" data-submission="{node}">'
                f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8" '
                f'fill="{fill}" stroke="#888"/>'
                f'<text x="{x + 8}" y="{y + 18}" font-size="12" font-weight="bold">'
                f"#{node}</text>"
                f'<text x="{x + 48}" y="{y + 18}" font-size="11">{html.escape(who)}</text>'
                f'<text x="{x + 8}" y="{y + 36}" font-size="11">{html.escape(detail)}</text></g>'
            )
        parts.append("</svg>")
        return "".join(parts)
