"""What a participant does, as library calls shared by `coop` and the notebook SDK."""
