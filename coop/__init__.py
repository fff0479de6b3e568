"""Coopetition from Python and Jupyter: `client = coop.connect()`, then `client.board(1)`,
`client.submit(1, predictions)`, … (docs/notebooks.md). The implementation is oracle.sdk."""

from oracle.errors import CoopError
from oracle.sdk.client import Client, ScoreTimeout, connect
from oracle.sdk.display import Board, ForkGraph, ScoreHistory

__all__ = ["Board", "Client", "CoopError", "ForkGraph", "ScoreHistory", "ScoreTimeout", "connect"]
