"""The daemon's Prometheus metrics, in a registry of its own (served at /metrics)."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from oracle.daemon.jobs import JobState


class OracleMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.lag_blocks = Gauge(
            "coop_oracle_lag_blocks",
            "Blocks between the chain head and the last block read",
            registry=r,
        )
        self.last_block = Gauge(
            "coop_oracle_last_block", "Last confirmed block read from the chain", registry=r
        )
        self.jobs = Gauge("coop_oracle_jobs", "Jobs by state", ["state"], registry=r)
        for state in JobState:
            self.jobs.labels(state.value).set(0)
        self.scoring_seconds = Histogram(
            "coop_oracle_scoring_seconds",
            "Seconds to fetch and score one submission",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=r,
        )
        self.scored = Counter(
            "coop_oracle_scored", "Submissions scored, by status name", ["status"], registry=r
        )
        self.posts = Counter(
            "coop_oracle_posts",
            "Transactions this oracle posted, by kind (scores, private, holdout, rewards)",
            ["kind"],
            registry=r,
        )
        self.posted_items = Counter(
            "coop_oracle_posted_items", "Score items in batches this oracle posted", registry=r
        )
        self.signatures = Counter(
            "coop_oracle_signatures",
            "Batches and roots this oracle signed for a peer",
            ["kind"],
            registry=r,
        )
        self.errors = Counter("coop_oracle_errors", "Errors, by kind", ["kind"], registry=r)
        self.fetch_retries = Counter(
            "coop_oracle_fetch_retries",
            "Artifact fetches that failed and will be tried again",
            registry=r,
        )
        self.disagreements = Counter(
            "coop_oracle_disagreements",
            "Score items on which a peer's proposal and this oracle's own score differ, by "
            "who proposed (peer: refused to sign; self: a peer refused ours)",
            ["proposer"],
            registry=r,
        )
        self.waits = Counter(
            "coop_oracle_waits",
            "Times a job was put back to wait, by cause (material: the spec, holdout or scorer "
            "is missing; fault: scoring failed here for a reason that is not the submitter's)",
            ["cause"],
            registry=r,
        )
        self.waiting = Gauge(
            "coop_oracle_waiting",
            "Tries so far of each waiting job (the first 100), with its reason",
            ["challenge", "submission", "reason"],
            registry=r,
        )
        self.rewinds = Counter(
            "coop_oracle_rewinds", "Reorgs seen: the follower rewound", registry=r
        )

        for kind in ("scores", "private", "holdout", "rewards"):
            self.posts.labels(kind).inc(0)
        for cause in ("material", "fault"):
            self.waits.labels(cause).inc(0)
        for proposer in ("peer", "self"):
            self.disagreements.labels(proposer).inc(0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
