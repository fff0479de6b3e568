"""A local platform for trying Coopetition: `coop up` (what `make run` starts) and `coop demo`."""
