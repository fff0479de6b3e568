"""HTTP routes, one router per resource; each handler calls one reader in oracle/api/read."""
