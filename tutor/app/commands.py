"""Command palette providers: the active screen's key bindings, and the screens any screen can open."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ListedCommands(Provider):
    """A provider whose commands are a list of (name, callback, help): discovered as they are, searched by name
    (and, less, by help). Subclasses give `_commands()`."""

    def _commands(self):
        return ()

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)


class ScreenCommands(ListedCommands):
    """Every binding of the active screen that has a description, run through the screen's actions."""

    def _commands(self):
        screen = self.screen
        seen = set()
        for binding in getattr(screen, "BINDINGS", []):
            if not getattr(binding, "description", "") or binding.action in seen:
                continue
            seen.add(binding.action)
            keys = binding.key.replace("question_mark", "?").replace(",", "/")
            help_text = (getattr(binding, "tooltip", "") or "") + f"  (key: {keys})"
            yield binding.description, partial(screen.run_action, binding.action), help_text


class AppCommands(ListedCommands):
    """Screens the palette opens from anywhere (the home menu's entries that have no key elsewhere)."""

    def _commands(self):
        from tutor.app.screens.your_code import YourCodeScreen

        if not isinstance(self.screen, YourCodeScreen):
            yield ("Your code", self.app.open_your_code,
                   "Write the article's network yourself and check it quantity by quantity (tutor check)")
