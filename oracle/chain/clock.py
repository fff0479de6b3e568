"""Chain time for people: windows are judged by the chain's clock, not the wall clock (a dev
chain can be moved forward), and shown as UTC with "in 2 h 5 min" / "3 min ago"."""

from datetime import UTC, datetime

from web3.exceptions import Web3Exception

from oracle.chain.platform import Platform


def chain_now(platform: Platform) -> int:
    """The timestamp the next transaction will see: the pending block's (a quiet dev chain
    makes no blocks, so the latest one can be old), or the latest block's if the node has
    no pending block."""
    eth = platform.w3.eth
    latest = int(eth.get_block("latest")["timestamp"])
    try:
        return max(latest, int(eth.get_block("pending")["timestamp"]))
    except (Web3Exception, ValueError, KeyError):
        return latest


def duration_text(seconds: int) -> str:
    """A positive duration in at most two units: "45 s", "12 min", "3 h 20 min", "2 d 4 h"."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = [(days, "d"), (hours, "h"), (minutes, "min"), (secs, "s")]
    shown = [(n, u) for n, u in units if n][:2] or [(0, "s")]
    return " ".join(f"{n} {u}" for n, u in shown)


def time_text(timestamp: int, now: int) -> str:
    """`2025-01-31 14:00 UTC (in 3 h 20 min)`, or `(... ago)` for a past time."""
    stamp = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if timestamp >= now:
        return f"{stamp} (in {duration_text(timestamp - now)})"
    return f"{stamp} ({duration_text(now - timestamp)} ago)"


def iso_time(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()
