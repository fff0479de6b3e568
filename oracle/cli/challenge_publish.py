"""What publishing a challenge or a phase takes on the command line, shared by `coop challenge
create`, `add-phase` and `import`: durations, amounts and times, the windows and terms
options, and the report of what was published."""

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from oracle.chain.clock import iso_time, time_text
from oracle.chain.platform import Platform
from oracle.chain.publish import Published, PublishOptions, dev_arbiter, dev_oracles
from oracle.cli.context import ChainContext, tokens
from oracle.errors import ConfigError

UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class Duration(click.ParamType[int]):
    """`7d`, `12h`, `30m`, `45s`, `1w` or plain seconds."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"\s*(\d+)\s*(s|m|min|h|d|w)?\s*", str(value))
        if found is None or int(found[1]) <= 0:
            self.fail(f"{value!r} is not a duration: use e.g. 7d, 12h, 30m or 3600", param, ctx)
        return int(found[1]) * UNITS[found[2] or "s"]


class Amount(click.ParamType[Decimal]):
    """A token amount in whole tokens (decimals allowed): `1000`, `12.5`."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:  # fmt: skip
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{value!r} is not an amount: use e.g. 1000 or 12.5", param, ctx)
        if not amount.is_finite() or amount < 0:
            self.fail(f"{value!r} is not an amount of 0 or more", param, ctx)
        return amount


class StartTime(click.ParamType[int | None]):
    """`now`, unix seconds, or an ISO 8601 time such as 2025-03-01T12:00:00+00:00."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:  # fmt: skip
        text = str(value).strip()
        if text == "now":
            return None
        if text.isdigit():
            return int(text)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{value!r} is not a time: use now, unix seconds or ISO 8601", param, ctx)
        if moment.tzinfo is None:
            self.fail(f"{value!r} has no time zone: add one, e.g. +00:00 or Z", param, ctx)
        return int(moment.timestamp())


def base_units(platform: Platform, amount: Decimal, what: str) -> int:
    """Whole tokens → the token's base units (its `decimals()`), refusing finer amounts."""
    decimals = int(platform.token.functions.decimals().call())
    units = amount.scaleb(decimals)
    if units != units.to_integral_value():
        raise ConfigError(f"{what} {amount} has more than {decimals} decimals; round it")
    return int(units)


def window_options(fn: Any) -> Any:
    """When phase 0 opens and how long its windows last (`create`, `add-phase`, `import`)."""
    options = [
        click.option("--start", type=StartTime(), default="now", show_default=True,
                     help="When commits open: now, unix seconds or ISO 8601."),
        click.option("--commit-for", type=Duration(), default="7d", show_default=True,
                     help="How long commits stay open (7d, 12h, 30m, seconds)."),
        click.option("--reveal-for", type=Duration(), default="1d", show_default=True,
                     help="How long reveals stay open after commits close."),
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


def terms_options(fn: Any) -> Any:
    """The challenge terms a new challenge is published with (`create` and `import`)."""
    options = [
        click.option("--bounty", type=Amount(), default="1000", show_default=True,
                     help="Tokens escrowed for the rewards (pulled from your account)."),
        click.option("--oracle", "oracles", multiple=True, metavar="ADDRESS",
                     help="An oracle that may sign scores (repeat). Default on a dev chain (id "
                     "31337): anvil accounts 7, 8 and 9; required elsewhere."),
        click.option("--quorum", type=int, default=None,
                     help="Signatures a batch needs [default: a majority of the oracles]."),
        click.option("--arbiter", metavar="ADDRESS",
                     help="Who decides disputes; someone other than you. Default on a dev "
                     "chain: anvil account 6; required elsewhere."),
        click.option("--notice-period", type=Duration(), default="7d", show_default=True,
                     help="How long before a phase opens new oracles or a new arbiter must be "
                     "announced to judge it (1d to 90d)."),
        click.option("--dispute-window", type=Duration(), default="1h", show_default=True,
                     help="Time between a rewards root and its first claim."),
        click.option("--dispute-bond", type=Amount(), default="0.01", show_default=True,
                     help="ETH a disputer locks."),
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


def publish_options(ctx: ChainContext, start: int | None, commit_for: int, reveal_for: int,
                    bounty: Decimal, oracles: tuple[str, ...], quorum: int | None,
                    arbiter: str | None, notice_period: int, dispute_window: int,
                    dispute_bond: Decimal) -> PublishOptions:  # fmt: skip
    """The options of terms_options and the windows, checked, as PublishOptions."""
    platform = ctx.platform
    chosen = oracles or dev_oracles(platform.w3.eth.chain_id)
    if not chosen:
        raise ConfigError("name the oracles with --oracle ADDRESS (repeat for each)")
    judge = arbiter or dev_arbiter(platform.w3.eth.chain_id)
    if not judge:
        raise ConfigError(
            "name the arbiter who decides disputes with --arbiter ADDRESS (someone other than "
            "you: participants read it before they commit)"
        )
    return PublishOptions(
        bounty=base_units(platform, bounty, "--bounty"), oracles=tuple(chosen),
        quorum=quorum if quorum is not None else len(chosen) // 2 + 1,
        arbiter=judge, commit_seconds=commit_for, reveal_seconds=reveal_for,
        dispute_window=dispute_window, dispute_bond=int(dispute_bond.scaleb(18)),
        commit_start=start, notice_period=notice_period,
    )  # fmt: skip


def report_published(
    ctx: ChainContext, published: Published, headline: str, extra: dict[str, Any] | None = None
) -> None:
    cid, p = published.challenge_id, published
    url = f"http://127.0.0.1:{ctx.settings.api_port}/v1/challenges/{cid}"
    now = int(published.commit_start)
    ctx.emit(
        "\n".join([
            f"{headline} (phase {p.phase}).",
            f"  spec:     {p.spec_cid}",
            f"  bounty:   {tokens(p.bounty)} tokens for this phase",
            f"  commits:  {iso_time(p.commit_start)} to {iso_time(p.commit_end)}",
            f"  reveals:  until {iso_time(p.reveal_end)}",
            f"  holdout:  {p.secret_path} (secret: back it up, share it only with the oracles)",
            f"  API:      {url} (while `coop api serve` runs)",
            "Next:",
            f"  coop challenge status {cid}",
            f"  participants: coop submit {cid} predictions.csv",
            f"  after {time_text(p.reveal_end + 1, now)}: "
            f"coop challenge reveal-holdout {cid} --phase {p.phase}",
        ]),
        {"challenge_id": cid, "phase": p.phase, "spec_cid": p.spec_cid, "bounty": str(p.bounty),
         "commit_start": p.commit_start, "commit_end": p.commit_end, "reveal_end": p.reveal_end,
         "holdout_secret": str(p.secret_path), "url": url, **(extra or {})},
    )  # fmt: skip
