"""The hypothesis settings of the property suites that feed hostile input to the readers and
the spec loader: the same examples on every run, and a deadline per example (issue 20)."""

from hypothesis import HealthCheck, settings

HOSTILE = settings(
    deadline=5_000,  # ms per example; each takes a few ms, a linear-time reader far less
    database=None,
    derandomize=True,  # the same inputs on every run: `make test` stays repeatable
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
