"""The indexer: platform events folded into a SQLite read model for the API and the web app.

`schema` (tables), `facts` (one row per event), `boards` (leaderboards and improvements
derived from the facts), `rewind` (forgetting blocks a reorg replaced), `reports` (reward
reports fetched from IPFS, verified, turned into claimable proofs) and `runner` (the
`Indexer` that drives the chain follower). See docs/indexer.md.
"""
