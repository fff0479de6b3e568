"""Acting from the web app with an injected EIP-1193 wallet (an anvil dev account): commit
and reveal, fork, review and claim, each transaction's state shown, reverts explained."""

from collections.abc import Callable

import httpx
from eth_abi.abi import encode
from eth_utils.crypto import keccak
from playwright.sync_api import Page, expect

from oracle.ledger.replay import read_ledger
from oracle.rewards.merkle import build_tree
from tests.indexer.story import ALICE, BOB, address, rewarded, scored
from tests.ledger.lifecycle import COMMIT_SECONDS, predictions
from tests.web.conftest import WAIT_MS, Site, screenshot
from tests.web.test_web_pages import decimal, tokens

expect.set_options(timeout=WAIT_MS)

USER = 5  # anvil dev accounts the story's people do not use
RELAYER = 6
GWEI = 10**9
PENDING = "JSON.parse(localStorage.getItem('coop.pending-commits.v1') || '[]')"
MINED = "checking waiting-for-wallet sent mined"


def connect(page: Page, who: int) -> None:
    page.click("#connect")
    expect(page.locator("#wallet .connected")).to_have_attribute("data-account", address(who))


def choose_file(page: Page, name: str, data: bytes) -> None:
    page.set_input_files(
        "#artifact", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def commit_file(page: Page, name: str, data: bytes) -> int:
    """Commits `data` with the form; returns the new submission id once the commit is mined."""
    choose_file(page, name, data)
    page.click("#commit-button")
    expect(page.locator(".commit-form .tx")).to_have_attribute("data-history", MINED)
    item = page.locator(".pending-commit").last
    expect(item.locator(".reveal-button")).to_be_visible()
    return int(item.get_attribute("data-submission") or 0)


def test_commit_reveal_from_the_page_then_the_score_arrives_live(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    book = life.platform.book
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    connect(page, USER)

    artifact = predictions(life.files, "linear")
    submission_id = commit_file(page, "linear.csv", artifact)
    _, challenge_id, _, _, revealed, fingerprint = book.functions.getSubmission(
        submission_id
    ).call()
    assert (challenge_id, revealed) == (life.challenge_id, False)
    (pending,) = page.evaluate(PENDING)
    # The book keeps a fingerprint of the commitment and its committer (docs/contracts.md).
    committed = keccak(encode(["bytes32", "address"], [bytes.fromhex(pending["commitment"][2:]),
                                                       address(USER)]))  # fmt: skip
    assert int.from_bytes(fingerprint, "big") == int.from_bytes(committed, "big") >> 49 << 49
    assert pending["artifactCid"] == str(life.store.add_bytes(artifact).cid)
    assert len(pending["salt"]) == 66 and pending["submissionId"] == submission_id
    screenshot(page, "wallet-committed")

    page.reload()  # the salt is in localStorage: the reveal survives a reload
    reveal = page.locator(f".pending-commit[data-submission='{submission_id}']")
    reveal.locator(".reveal-button").click()
    expect(reveal.locator(".tx")).to_have_attribute("data-history", MINED)
    expect(page.locator(".revealed")).to_contain_text(f"Revealed #{submission_id}")
    assert page.evaluate(PENDING) == []
    assert book.functions.getSubmission(submission_id).call()[4] is True

    page.evaluate("window.__sameDocument = true")
    life.score_and_post()  # the oracles score the revealed file and post the signed batch
    ((_, items),) = life.batches
    (scored_item,) = [i for i in items if i.submission_id == submission_id]
    row = page.locator(f"#public-board tbody tr[data-participant='{address(USER)}']")
    expect(row.locator(".score")).to_have_text(decimal(scored_item.public_score))
    expect(row).to_have_attribute("data-submission", str(submission_id))
    expect(page.locator("[data-field=best]")).to_contain_text(decimal(scored_item.public_score))
    expect(page.locator("svg.plot a.improvement")).to_have_attribute(
        "data-submission", str(submission_id)
    )
    expect(page.locator(f"#submissions tr[data-submission='{submission_id}']")).to_contain_text(
        "VALID"
    )
    assert page.evaluate("window.__sameDocument") is True, "the page updated without a reload"
    screenshot(page, "wallet-scored-live")

    # the commit window closes while the page is open: the commit is refused before the
    # wallet is asked, with the contract's error named and explained
    life.w3.provider.make_request("evm_increaseTime", [COMMIT_SECONDS])  # type: ignore[arg-type]
    life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    sent = page.evaluate("window.__walletRequests.filter((m) => m === 'eth_sendTransaction')")
    choose_file(page, "late.csv", artifact)
    page.click("#commit-button")
    box = page.locator(".commit-form .tx")
    expect(box).to_have_attribute("data-state", "failed")
    expect(box.locator(".error-name")).to_have_text("NoOpenPhase")
    expect(box.locator(".error-text")).to_contain_text(
        f"No phase of challenge {life.challenge_id} is open for commits at the chain's time"
    )
    again = page.evaluate("window.__walletRequests.filter((m) => m === 'eth_sendTransaction')")
    assert again == sent and page.evaluate(PENDING) == []
    screenshot(page, "wallet-commit-refused")


def test_fork_and_review_from_the_page(site: Site, open_page: Callable[..., Page]) -> None:
    life = site.life
    story = scored(life)
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/submissions/{story.linear}")
    connect(page, USER)

    page.click("#fork-link")
    expect(page.locator("#parents .parent-id")).to_have_value(str(story.linear))
    page.click("text=+ add a parent")
    page.locator("#parents .parent-id").nth(1).fill("99")
    page.locator("#parents .parent-percent").nth(0).fill("60")
    page.locator("#parents .parent-percent").nth(1).fill("40")
    choose_file(page, "mine.csv", predictions(life.files, "linear"))
    page.click("#commit-button")
    expect(page.locator(".commit-form .tx")).to_contain_text("there is no submission #99 to fork")
    assert page.evaluate(PENDING) == []

    page.locator("#parents .parent-id").nth(1).fill(str(story.mean))
    page.click("#commit-button")
    expect(page.locator(".commit-form .tx")).to_have_attribute("data-history", MINED)
    item = page.locator(".pending-commit")
    expect(item).to_contain_text(f"forking #{story.mean} (40%), #{story.linear} (60%)")
    submission_id = int(item.get_attribute("data-submission") or 0)
    item.locator(".reveal-button").click()
    expect(item.locator(".tx")).to_have_attribute("data-history", MINED)

    reveal = read_ledger(life.platform).submissions[submission_id].reveal
    assert reveal is not None
    assert (reveal.parents, reveal.weights_ppm) == ((story.mean, story.linear), (400000, 600000))
    site.wait_indexed()
    page.goto(f"{site.url}/#/submissions/{submission_id}")
    parents = page.locator("table.parents tbody tr")
    expect(parents).to_have_count(2)
    expect(parents.nth(0).locator("td").nth(3)).to_have_text("40%")
    expect(parents.nth(1).locator("td").nth(3)).to_have_text("60%")
    expect(page.locator("#review")).to_contain_text("This is your own submission.")
    screenshot(page, "wallet-fork")

    page.goto(f"{site.url}/#/submissions/{story.linear}")
    page.evaluate("window.__sameDocument = true")
    page.check("input[name=verdict][value='2']")
    page.fill("#review-text", "Good features; the weights of the fork look arbitrary.")
    page.click("#review-button")
    tracker = page.locator(".tx[data-action=Review]")
    expect(tracker).to_have_attribute("data-history", MINED)
    reviewed = life.platform.book.functions.hasReviewed(story.linear, address(USER)).call()
    assert reviewed is True
    # no reload: once the index has the review's block, the page shows it
    expect(tracker).to_have_attribute("data-refreshed", "true")
    assert page.evaluate("window.__sameDocument") is True
    mine = page.locator("table.review-list tbody tr").filter(has_text="arbitrary")
    expect(mine.locator("a.address")).to_have_attribute("title", address(USER))
    expect(mine).to_contain_text("concern")
    expect(page.locator("#review")).to_contain_text("You reviewed this submission (concern).")
    screenshot(page, "wallet-reviewed")


def test_a_participant_claims_a_reward_with_the_proof_from_the_api(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    story = rewarded(life)
    assert story.report is not None
    (leaf,) = [x for x in story.report.leaves if x.account == address(BOB)]
    site.wait_indexed()
    page = open_page(wallet=BOB)
    page.goto(f"{site.url}/#/profiles/{address(BOB)}")
    connect(page, BOB)
    expect(page.locator("h1")).to_have_text("Your profile")
    before = life.platform.token.functions.balanceOf(address(BOB)).call()

    page.evaluate("window.__sameDocument = true")
    page.click(".claim-button")
    tracker = page.locator(".tx[data-action=Claim]")
    expect(tracker).to_have_attribute("data-history", MINED)
    vault = life.platform.vault
    tree = build_tree(story.report.leaves)
    proof = [bytes.fromhex(node[2:]) for node in tree.proof(address(BOB))]
    claimed = vault.functions.isClaimed(life.challenge_id, 0, address(BOB), leaf.amount, proof)
    assert claimed.call() is True
    after = life.platform.token.functions.balanceOf(address(BOB)).call()
    assert after - before == leaf.amount
    # no reload: once the index has the claim's block, the page shows it
    expect(tracker).to_have_attribute("data-refreshed", "true")
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator("table.reward-list .reward-state")).to_have_text("claimed")
    expect(page.locator("table.claim-list tbody tr td").nth(2)).to_have_text(
        f"{tokens(leaf.amount)} tokens"
    )
    expect(page.locator(".claim-button")).to_have_count(0)
    screenshot(page, "wallet-claimed")

    # Someone else sends the claim for another participant and it is mined first, in the
    # same block as the participant's own claim: that one reverts, and the page says why.
    (other,) = [x for x in story.report.leaves if x.account == address(ALICE)]
    page = open_page(wallet=ALICE)
    page.goto(f"{site.url}/#/profiles/{address(ALICE)}")
    connect(page, ALICE)
    before = life.platform.token.functions.balanceOf(address(ALICE)).call()
    rpc = life.w3.provider
    rpc.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    try:
        page.click(".claim-button")
        box = page.locator(".claim .tx")
        expect(box).to_have_attribute("data-state", "sent")
        proof = httpx.get(f"{site.url}/v1/challenges/{life.challenge_id}/rewards/0/proofs/"
                          f"{address(ALICE)}", timeout=10).json()  # fmt: skip
        call = vault.encode_abi("claim", args=[life.challenge_id, 0, address(ALICE),
                                               other.amount, proof["proof"]])  # fmt: skip
        life.w3.eth.send_transaction(
            {
                "from": address(RELAYER),
                "to": vault.address,
                "data": call,
                "gas": 300_000,
                "maxPriorityFeePerGas": 100 * GWEI,
                "maxFeePerGas": 300 * GWEI,
            }
        )  # fmt: skip  (a higher tip than the wallet's: mined first)
        rpc.make_request("evm_mine", [])  # type: ignore[arg-type]
    finally:
        rpc.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    expect(box).to_have_attribute("data-history", "checking waiting-for-wallet sent failed")
    expect(box.locator(".error-name")).to_have_text("AlreadyClaimed")
    expect(box.locator(".error-text")).to_contain_text(
        f"The reward of {address(ALICE)} for phase 0 has been claimed already"
    )
    after = life.platform.token.functions.balanceOf(address(ALICE)).call()
    assert after - before == other.amount, "paid once, to the account itself"
    screenshot(page, "wallet-claim-reverted")
