"""An open phase's holdout is loaded before its first submission is revealed (issue 19,
point 3): reading the labels and hashing the split of a big phase costs seconds of CPU,
which the first submission no longer waits for (bench/first_submission.py measures it)."""

from tests.oracle.daemon.world import World, wait_for

LOADED = "spec and holdout loaded"


def test_the_oracle_loads_an_open_phases_holdout_before_any_submission(world: World) -> None:
    world.publish(oracle_count=1, quorum=1)
    (oracle,) = world.make_oracles(1)
    world.start_oracles()
    wait_for("the open phase's holdout loaded, with no submission yet",
             lambda: LOADED in oracle.log_path.read_text(), 60, [oracle])  # fmt: skip
    assert world.events("Revealed") == []

    submission = world.submit(world.artifact(1))
    wait_for("the score", lambda: submission in world.scored_ids(), 60, [oracle])
    assert oracle.log_path.read_text().count(LOADED) == 1, "the submission used what was loaded"
