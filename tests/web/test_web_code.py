"""Code submissions in the web app (issue 14), in real Chromium over the real API and index:
a folder's files, a fork's changes against its parent, the queue place while it waits, and
submitting a folder from the browser with the CID `coop submit FOLDER` gives."""

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.publish import PublishOptions, publish_challenge
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.coderun.hidden_features import features_commitment
from oracle.ipfs.importer import import_path
from oracle.ledger.replay import read_ledger
from oracle.runtime import RuntimeLock
from oracle.types import PPM
from tests.indexer.story import ALICE, BOB, CAROL, DAVE
from tests.ledger.lifecycle import Life, predictions
from tests.web.conftest import WAIT_MS, Site, screenshot
from tests.web.test_web_wallet import MINED, connect

expect.set_options(timeout=WAIT_MS)

RIDGE = REPO_ROOT / "examples" / "code" / "diabetes-ridge"
LOCK_FILE = REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock"
USER = 5


def model_folder(root: Path, name: str, alpha: str, extra: bool) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "main.py").write_text((RIDGE / "main.py").read_text() + f"\nALPHA = {alpha}\n")
    (folder / "README.md").write_text("A ridge regression on the diabetes data.\n")
    if extra:
        (folder / "features.py").write_text("COLUMNS = ['age', 'bmi', 'bp']\n")
    return folder


def submit_folder(life: Life, who: int, folder: Path, parents: tuple[int, ...] = ()) -> int:
    sender = Sender.from_key(life.w3, ANVIL_KEYS[who])
    cid = str(life.store.add_path(folder).cid)
    weights = (PPM,) if parents else ()
    pending = commit(life.platform, sender, life.data_dir / f"p{who}", life.challenge_id, cid,
                     parents, weights)  # fmt: skip
    return reveal(life.platform, sender, pending)


def test_a_forks_page_lists_its_files_its_changes_and_its_queue_place(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    first = life.submit(ALICE, predictions(life.files, "baseline"))
    life.submit(BOB, predictions(life.files, "linear"))
    life.score_and_post()  # the recent scores the queue's estimate comes from
    parent = submit_folder(life, CAROL, model_folder(tmp_path, "a", "1.0", extra=False))
    fork = submit_folder(life, DAVE, model_folder(tmp_path, "b", "0.5", extra=True), (parent,))
    site.wait_indexed()
    page = open_page()

    page.goto(f"{site.url}/#/submissions/{fork}")
    files = page.locator(".code-files .file-list tbody tr")
    expect(files).to_have_count(3)
    expect(page.locator(".code-files")).to_contain_text("3 files")
    expect(files.first).to_have_attribute("data-path", "README.md")
    diff = page.locator(f".code-diff[data-parent='{parent}']")
    expect(diff.locator(".diff-summary")).to_have_text(
        "1 added, 0 removed, 1 changed; 1 unchanged."
    )
    main = diff.locator(".file-change[data-path='main.py']")
    expect(main.locator(".op-del")).to_have_text("- ALPHA = 1.0\n")
    expect(main.locator(".op-add")).to_have_text("+ ALPHA = 0.5\n")
    expect(main.locator(".op-fold")).to_contain_text("unchanged lines")
    added = diff.locator(".file-change.added[data-path='features.py'] .diff-line")
    expect(added).to_have_text(["+ COLUMNS = ['age', 'bmi', 'bp']\n"])
    place = page.locator(".queue-place")
    expect(place).to_have_attribute("data-position", "2")
    expect(place).to_contain_text("Place 2 in the scoring queue")
    expect(place).to_contain_text(" left.")
    screenshot(page, "code-fork")

    page.goto(f"{site.url}/#/submissions/{parent}")
    expect(page.locator(".code-files .file-list tbody tr")).to_have_count(2)
    expect(page.locator(".queue-place")).to_have_attribute("data-position", "1")
    expect(page.locator(".code-diff")).to_have_count(0)  # an original: no parent
    page.goto(f"{site.url}/#/submissions/{first}")  # a predictions file, scored
    expect(page.locator("h1")).to_contain_text(f"Submission #{first}")
    expect(page.locator(".code-files")).to_have_count(0)
    expect(page.locator(".queue-place")).to_have_count(0)


def test_a_folder_submitted_from_the_browser_has_the_cid_coop_submit_gives(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    folder = model_folder(tmp_path, "mine", "2.0", extra=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # left out, as ipfs add -r does
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    connect(page, USER)
    page.set_input_files("#artifact-folder", str(folder))
    page.click("#commit-button")
    expect(page.locator(".commit-form .tx")).to_have_attribute("data-history", MINED)
    item = page.locator(".pending-commit").last
    submission_id = int(item.get_attribute("data-submission") or 0)
    item.locator(".reveal-button").click()
    expect(item.locator(".tx")).to_have_attribute("data-history", MINED)
    revealed = read_ledger(life.platform).submissions[submission_id].reveal
    assert revealed is not None and revealed.artifact_cid == str(import_path(folder).cid)

    site.wait_indexed()
    page.goto(f"{site.url}/#/submissions/{submission_id}")
    expect(page.locator(".code-files .file-list tbody tr")).to_have_count(3)


def test_a_challenge_with_hidden_features_says_who_sees_them(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    data = tmp_path / "hidden"
    data.mkdir()
    for name, content in life.files.items():
        (data / name).write_bytes(content)
    spec = json.loads((REPO_ROOT / "examples" / "specs" / "diabetes-regression.json").read_text())
    commitment = features_commitment(life.files["test_features.csv"])
    del spec["data"]["test_features"]
    spec["data"]["hidden_test_features"] = commitment
    lock = RuntimeLock.parse(
        (REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text()
    )
    spec["submission"] = {
        "kind": "code",
        "runtime": {"python": lock.python, "packages": lock.pins, "digest": lock.digest},
        "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024},
    }
    (data / "spec.json").write_text(json.dumps(spec))
    oracles = tuple(Sender.from_key(life.w3, k).address for k in ANVIL_KEYS[7:10])
    options = PublishOptions(bounty=0, oracles=oracles, quorum=2, arbiter=life.owner.address)
    published = publish_challenge(life.platform, life.owner, life.store, life.data_dir,
                                  data / "spec.json", data / "labels.csv", options,
                                  public_data=data)  # fmt: skip
    site.wait_indexed()
    page = open_page()
    page.goto(f"{site.url}/#/challenges/{published.challenge_id}")
    note = page.locator(".spec .hidden-features")
    expect(note).to_contain_text("The test features are hidden")
    expect(note).to_contain_text(commitment)
    expect(page.locator(".spec")).to_contain_text("Submit a folder whose main.py writes a CSV")
    downloads = page.locator(".spec .downloads li")
    expect(downloads).to_have_count(2)  # train and the sample submission: no test features
    expect(page.locator(".spec .downloads")).not_to_contain_text("test features")
