"""The oracle daemon: follow the chain, score, attest with a quorum of peers, post."""
