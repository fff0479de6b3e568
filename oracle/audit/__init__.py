"""`coop audit`: replay a challenge from the ledger alone and check every claim it makes."""
