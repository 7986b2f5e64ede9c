"""Policies in YAML: which data types or sensitivity levels an asset or group may send, receive
or store, and rules for third parties (external receivers and senders).

```yaml
policies:
  groups:
    payments: ["shop/payments", "shop/checkout*"]
  rules:
    - name: cards-stay-in-payments
      action: send            # send | receive | store
      assets: ["*"]           # "namespace/name" patterns, bare names, or "group:NAME"
      exceptassets: ["group:payments"]
      datatypes: [credit_card_number]
    - name: no-health-to-third-parties
      action: send
      thirdparty: true        # only when the other side is external
      exceptcounterparts: ["api.trusted-lab.example"]
      categories: [health]
      minsensitivity: high
```
A finding breaks a rule when its type is in `datatypes`, its category in `categories`, or its
sensitivity is at least `minsensitivity`; types in `allowdatatypes` never break it.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Literal, Self

from pydantic import Field, model_validator

from sensor_core.settings import Section

RULE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
SENSITIVITY_ORDER = {"low": 1, "medium": 2, "high": 3}


class PolicyRule(Section):
    name: str
    description: str = ""
    action: Literal["send", "receive", "store"]
    assets: list[str] = Field(default_factory=lambda: ["*"])
    exceptassets: list[str] = Field(default_factory=list)
    thirdparty: bool = False
    counterparts: list[str] = Field(default_factory=lambda: ["*"])
    exceptcounterparts: list[str] = Field(default_factory=list)
    datatypes: list[str] = Field(default_factory=list)
    categories: list[Literal["personal", "payment", "health", "credentials"]] = Field(
        default_factory=list
    )
    minsensitivity: Literal["", "low", "medium", "high"] = ""
    allowdatatypes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if not RULE_NAME.match(self.name):
            raise ValueError("name: lowercase letters, digits, '-', '_' or '.', at most 64")
        if not (self.datatypes or self.categories or self.minsensitivity):
            raise ValueError("set at least one of datatypes, categories, minsensitivity")
        if self.action == "store" and self.thirdparty:
            raise ValueError("thirdparty applies to send and receive rules only")
        return self

    def forbids(self, type_id: str, category: str, sensitivity: str) -> bool:
        """True when a finding of this type, category and sensitivity breaks the rule."""
        if type_id in self.allowdatatypes:
            return False
        if type_id in self.datatypes or category in self.categories:
            return True
        floor = SENSITIVITY_ORDER.get(self.minsensitivity, 0)
        return floor > 0 and SENSITIVITY_ORDER.get(sensitivity, 0) >= floor


class PolicySettings(Section):
    groups: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[PolicyRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Self:
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("rules: two rules share one name")
        for rule in self.rules:
            patterns = (
                *rule.assets,
                *rule.exceptassets,
                *rule.counterparts,
                *rule.exceptcounterparts,
            )
            for pattern in patterns:
                group = pattern.removeprefix("group:")
                if pattern.startswith("group:") and group not in self.groups:
                    raise ValueError(f"rule {rule.name}: unknown group {group}")
        return self

    def matches(self, patterns: list[str], names: tuple[str, ...]) -> bool:
        """True when any of the asset's names ("ns/name", "name") matches any pattern."""
        for pattern in patterns:
            if pattern.startswith("group:"):
                if self.matches(self.groups.get(pattern[6:], []), names):
                    return True
            elif any(fnmatchcase(name, pattern) for name in names):
                return True
        return False
