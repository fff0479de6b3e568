"""Coopetition: off-chain oracle, scoring, IPFS, CLI and API."""
