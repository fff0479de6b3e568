"""The deployed platform as web3 contract handles, and deploying it from scratch."""

from dataclasses import dataclass

from web3 import Web3
from web3.contract import Contract

from oracle.chain.artifacts import load_artifact
from oracle.chain.deployment import Deployment
from oracle.chain.sender import Sender
from oracle.types import Address

TOKEN_NAME = "Coopetition Reward"
TOKEN_SYMBOL = "COOP"


@dataclass(frozen=True)
class Platform:
    w3: Web3
    deployment: Deployment
    token: Contract
    registry: Contract
    book: Contract
    score_board: Contract
    vault: Contract
    grants: Contract | None  # None on a deployment made before the GrantPool existed

    @classmethod
    def connect(cls, w3: Web3, deployment: Deployment) -> "Platform":
        def at(name: str, address: str) -> Contract:
            checksummed = Web3.to_checksum_address(address)
            return w3.eth.contract(address=checksummed, abi=load_artifact(name).abi)

        return cls(
            w3=w3,
            deployment=deployment,
            token=at("CoopToken", deployment.token),
            registry=at("ChallengeRegistry", deployment.registry),
            book=at("SubmissionBook", deployment.book),
            score_board=at("ScoreBoard", deployment.score_board),
            vault=at("RewardVault", deployment.vault),
            grants=at("GrantPool", deployment.grants) if deployment.grants else None,
        )


def deploy_platform(sender: Sender) -> Deployment:
    """Deploys token, registry, submission book, score board, vault (bound to the registry)
    and the grant pool."""
    w3 = sender.w3
    start_block = w3.eth.block_number + 1

    def deploy(name: str, *args: object) -> Address:
        artifact = load_artifact(name)
        receipt = sender.deploy(artifact.abi, artifact.bytecode, *args)
        return Address(Web3.to_checksum_address(str(receipt["contractAddress"])))

    token = deploy("CoopToken", TOKEN_NAME, TOKEN_SYMBOL, sender.address)
    registry = deploy("ChallengeRegistry")
    book = deploy("SubmissionBook", registry)
    score_board = deploy("ScoreBoard", registry, book)
    vault = deploy("RewardVault", registry, score_board)
    grants = deploy("GrantPool", registry, score_board)
    registry_abi = load_artifact("ChallengeRegistry").abi
    registry_contract = w3.eth.contract(
        address=Web3.to_checksum_address(registry), abi=registry_abi
    )
    sender.transact(registry_contract.functions.bindVault(vault))
    return Deployment(
        chain_id=w3.eth.chain_id,
        token=token,
        registry=registry,
        book=book,
        score_board=score_board,
        vault=vault,
        block=start_block,
        grants=grants,
    )
