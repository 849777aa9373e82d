"""A one-line progress bar for the command line, drawn on stderr only when it is a terminal."""

import sys


class ProgressBar:
    def __init__(self, enabled: bool = True, width: int = 30, stream=None):
        self.enabled, self.width, self.stream = enabled, width, stream or sys.stderr

    def show(self, label: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        filled = self.width * done // total
        self.stream.write(f"\r{label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()
