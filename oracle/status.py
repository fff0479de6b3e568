"""Submission status codes, shared by the scorer, the oracle and the ScoreBoard contract.

The contract stores the code as a uint8; 0 is the only valid status and every other code
names why a submission could not be scored (the full reason goes in the report on IPFS).
"""

from enum import IntEnum


class Status(IntEnum):
    VALID = 0
    UNREADABLE = 1  # not parseable as CSV / Parquet, bad compression, empty
    WRONG_FORMAT = 2  # columns missing or extra, wrong header
    WRONG_IDS = 3  # missing, extra or duplicate ids
    WRONG_ROW_COUNT = 4
    NOT_FINITE = 5  # NaN or +-inf in a prediction
    WRONG_TYPE = 6  # a prediction that is not a number, a probability out of [0, 1]
    TOO_LARGE = 7  # larger than the spec's size limit, or a decompression bomb
    DIGEST_MISMATCH = 8  # bytes did not match their CID
    SCORER_FAILED = 9  # custom scorer crashed, was killed, broke the sandbox rules
    TIMEOUT = 10  # custom scorer or submitted code ran out of wall-clock or CPU time
    UNREACHABLE = 11  # the artifact could not be fetched within the limits
    NOT_REPRODUCIBLE = 12  # submitted code gave different predictions on different oracles
    RUN_FAILED = 13  # submitted code crashed (exit status and exception type in the reason)
    OUT_OF_MEMORY = 14  # submitted code held more than the spec's memory limit
    NO_OUTPUT = 15  # submitted code ended without writing /out/predictions.csv or .parquet
    LICENCE_NOT_ALLOWED = 16  # the artifact's licence is not in the spec's allowed list
    LICENCE_INCOMPATIBLE = 17  # a fork's licence is not one its parents' licences permit

    @property
    def is_valid(self) -> bool:
        return self is Status.VALID


MAX_STATUS = max(Status)
