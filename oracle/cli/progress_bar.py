"""A progress bar on stderr for a long count whose total is known only once it starts."""

import sys

import click
from click._termui_impl import ProgressBar as ClickBar


class ProgressBar:
    """Called with (done, total): click's bar, opened at the first call with a total; on a
    terminal it redraws in place (count, percentage, ETA), elsewhere it prints its label once.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: ClickBar[int] | None = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if total == 0:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr,
                                          show_pos=True, show_eta=True)  # fmt: skip
            self._bar.render_progress()
        self._bar.update(done - self._shown)
        self._shown = done
        if done >= total:
            self._bar.render_finish()
