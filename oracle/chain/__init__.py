"""Chain access: compiled artifacts, deployments, transactions, EIP-712 and commitments."""
