"""The notebook SDK (`import coop`): the CLI's actions as plain Python, tables as DataFrames."""
