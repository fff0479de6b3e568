"""Importing a Codabench/CodaLab competition bundle as a Coopetition challenge."""
