// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IOracleQuorum} from "./interfaces/IOracleQuorum.sol";

/// @title OracleQuorum
/// @notice EIP-712 domain ("Coopetition", "1") and the M-of-N check shared by the contracts
/// that accept oracle-signed data: signatures by distinct oracles of the phase's judges,
/// signers strictly ascending (duplicates rejected cheaply), at least the quorum.
abstract contract OracleQuorum is IOracleQuorum, EIP712 {
    IChallengeRegistry public immutable registry;

    constructor(IChallengeRegistry registry_) EIP712("Coopetition", "1") {
        registry = registry_;
    }

    /// @dev Reverts unless ≥ quorum oracles of the phase's judges (`registry.phaseJudges`)
    /// signed `structHash` under that version's config digest.
    function _requireQuorum(
        uint256 challengeId,
        uint32 phase,
        bytes32 signedConfigDigest,
        bytes32 structHash,
        bytes[] calldata signatures
    ) internal view {
        (uint32 version, IChallengeRegistry.Judges memory judges) =
            registry.phaseJudges(challengeId, phase);
        if (signedConfigDigest != judges.configDigest) {
            revert StaleConfigDigest(signedConfigDigest, judges.configDigest);
        }
        if (signatures.length < judges.quorum) {
            revert QuorumNotReached(signatures.length, judges.quorum);
        }
        bytes32 digest = _hashTypedDataV4(structHash);
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            if (signer <= previous) revert SignersNotSorted(i, previous, signer);
            if (!registry.isOracleAt(challengeId, version, signer)) revert NotAnOracle(signer);
            previous = signer;
        }
    }
}
