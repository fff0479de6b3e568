"""Code runs per minute: three `coop oracle run` processes (quorum 2) on one machine score
SUBMISSIONS code submissions on the diabetes example's code challenge (`code_spec`), each a
copy of examples/code/diabetes-ridge with a comment line of its own (so each has its own
CID). Every oracle runs every submission itself, so the machine does three runs per
submission. The rate is submissions scored and posted per minute, from the timestamp of
the first reveal's block to that of the last ScoreRecorded's (anvil, 1-second blocks),
with COOP_CODE_RUNS 1 (the default). Baseline: the same folders run by `run_code` one
after another in this process (one sandbox, no chain, no scoring). The example runtime is
built once into the checkout's .tools/runtimes beforehand. Rows go to bench/report.json.
"""

import os
import tempfile
import time
from pathlib import Path

from bench.cluster import deploy, publish_options, start_oracles, timestamps, wait_scored
from bench.report import Row, merge_rows
from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.coderun import code_seed, fetch_inputs, run_code, sandbox_files
from oracle.daemon.cluster import LocalOracle
from oracle.devnet.seed import EXAMPLE_RUNTIME, code_spec, seed_example
from oracle.ipfs.embedded import EmbeddedStore
from oracle.runtime import RuntimeLock, ensure_runtime
from oracle.spec import load_spec
from oracle.status import Status

SUBMISSIONS = 12
BLOCK_SECONDS = 1
ROOT = Path(__file__).resolve().parents[1]
RUNTIMES = ROOT / ".tools" / "runtimes"
EXAMPLE = ROOT / "examples" / "code" / "diabetes-ridge"
PARTICIPANT_KEYS = list(ANVIL_KEYS[1:7])


def copies(base: Path, n: int) -> list[Path]:
    found = []
    for i in range(n):
        folder = base / f"program-{i}"
        folder.mkdir(parents=True)
        (folder / "main.py").write_text(f"# copy {i}\n" + (EXAMPLE / "main.py").read_text())
        found.append(folder)
    return found


def main() -> None:
    ensure_runtime(RuntimeLock.parse(EXAMPLE_RUNTIME.read_text()), RUNTIMES)
    anvil = start_anvil(block_time=BLOCK_SECONDS)
    oracles: list[LocalOracle] = []
    try:
        with tempfile.TemporaryDirectory(prefix="coop-bench-coderuns-") as scratch:
            base = Path(scratch)
            bench = deploy(base, anvil)
            w3, platform, store = bench.w3, bench.platform, bench.store
            spec_file = code_spec("diabetes-regression", base / "spec.json")
            options = publish_options(w3, bench.owner, 1000 * 10**18)
            seeded = seed_example(platform, bench.owner, store, base / "owner",
                                  "diabetes-regression", options, spec_file)  # fmt: skip
            challenge_id = seeded.published.challenge_id
            oracles = start_oracles(base, anvil, runtime_dir=str(RUNTIMES))
            print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            folders = copies(base / "programs", SUBMISSIONS)
            revealed: dict[int, int] = {}
            for i, folder in enumerate(folders):
                sender = Sender.from_key(w3, PARTICIPANT_KEYS[i % len(PARTICIPANT_KEYS)])
                cid = str(store.add_path(folder).cid)
                pending = commit(platform, sender, base / "participants", challenge_id, cid)
                sid = reveal(platform, sender, pending)
                revealed[sid] = int(w3.eth.block_number)
            scored = wait_scored(platform, set(revealed), oracles, 1800)
            first, last = min(revealed.values()), max(scored.values())
            stamp = timestamps(w3, {first, last})
            seconds = max(1, stamp[last] - stamp[first])
            rate = SUBMISSIONS / seconds * 60
            alone = sequential_rate(store, seeded.published.spec_cid, folders)
            print(
                f"{SUBMISSIONS} code submissions scored and posted by three oracles in "
                f"{seconds} s ({rate:.1f}/min); one sandbox alone runs {alone:.1f}/min"
            )
            row = Row("oracle.code_runs_per_min.three_oracles_example_model", round(rate, 1),
                      "submissions/min", "run_code_alone_per_min", round(alone, 1),
                      "report only: every oracle runs each submission")  # fmt: skip
            merge_rows([row])
    finally:
        for oracle in oracles:
            oracle.kill()
        anvil.stop()


def sequential_rate(store: EmbeddedStore, spec_cid: str, folders: list[Path]) -> float:
    spec = load_spec(store.cat(spec_cid))
    code = spec.submission.code
    assert code is not None
    runtime = ensure_runtime(code.runtime, RUNTIMES)
    files = sandbox_files(fetch_inputs(spec, store.cat))
    started = time.perf_counter()
    for i, folder in enumerate(folders):
        run = run_code(folder, code.limits, files, runtime, code_seed(0, 0, 0, i),
                       spec.max_artifact_bytes)  # fmt: skip
        assert run.status is Status.VALID, run.reason
    return len(folders) / (time.perf_counter() - started) * 60


if __name__ == "__main__":
    main()
