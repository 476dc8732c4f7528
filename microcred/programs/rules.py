"""When a stack is complete: the one rule the stack's page, progress and completion follow."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StackRule:
    rule: str  # Stack.Rule
    choose: int | None
    required: frozenset[int]  # credential ids that must be earned
    electives: frozenset[int]  # the others

    @property
    def needed(self) -> int:
        """How many credentials complete the stack."""
        if self.rule == "all":
            return len(self.required) + len(self.electives)
        if self.rule == "any_n":
            return self.choose or 0
        return len(self.required) + (self.choose or 0)

    def counted(self, earned: Collection[int]) -> int:
        """How many of the earned credentials count toward the stack (electives past the
        number asked for do not)."""
        have = set(earned)
        if self.rule == "all":
            return len(have & (self.required | self.electives))
        if self.rule == "any_n":
            return min(len(have & (self.required | self.electives)), self.choose or 0)
        return len(have & self.required) + min(len(have & self.electives), self.choose or 0)

    def complete(self, earned: Collection[int]) -> bool:
        return self.needed > 0 and self.counted(earned) >= self.needed
