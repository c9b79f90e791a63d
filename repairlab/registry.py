"""One small registry: what a domain contributes to the pages and commands of others, by key and in order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_ORDER = 100


class Registry(Generic[T]):
    """An ordered set of entries, each under a key, registered by the domains in their init_app().

    Registering a key again replaces its entry (every application the process builds registers the same things);
    entries come out ordered by (order, key).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, tuple[int, T]] = {}
        self._ordered: list[tuple[str, T]] | None = None
        # Bumped on every change: lets a user of the registry cache what it derives from the entries.
        self.version = 0

    def register(self, key: str, entry: T, *, order: int = DEFAULT_ORDER) -> T:
        """Add (or replace) the entry under this key; return it."""
        self._entries[key] = (order, entry)
        self._changed()
        return entry

    def unregister(self, key: str) -> None:
        """Remove the entry under this key, if any."""
        if self._entries.pop(key, None) is not None:
            self._changed()

    def get(self, key: str) -> T | None:
        """The entry under this key, or None."""
        found = self._entries.get(key)
        return found[1] if found is not None else None

    def items(self) -> list[tuple[str, T]]:
        """(key, entry) pairs, in order."""
        if self._ordered is None:
            pairs = sorted(self._entries.items(), key=lambda pair: (pair[1][0], pair[0]))
            self._ordered = [(key, entry) for key, (_order, entry) in pairs]
        return self._ordered

    def __iter__(self) -> Iterator[T]:
        return (entry for _key, entry in self.items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(key for key, _entry in self.items())}>"

    def _changed(self) -> None:
        self._ordered = None
        self.version += 1
