"""A bounded cache by text, for what the shell model derives from a line or a statement.

Job scripts repeat lines and statements within a file and across a class's copies of one
template, so the lexer and the parser keep what they derived from them. Memory stays
bounded whatever students submit: at most `entries` values, no key over `longest`
characters, and the whole cache is cleared when full (simple; the common texts come back
at once). Values are never mutated.
"""

from __future__ import annotations


class TextMemo(dict):
    def __init__(self, entries: int, longest: int):
        super().__init__()
        self.entries = entries
        self.longest = longest

    def remember(self, key, value, text: str) -> None:
        """Keep `value` under `key`, derived from `text` (the key itself, or its text part)."""
        if len(text) > self.longest:
            return
        if len(self) >= self.entries:
            self.clear()
        self[key] = value
