"""The `coop` command line: a thin layer over the library."""
