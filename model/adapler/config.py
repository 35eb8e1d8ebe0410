"""Geometry of an AdapLeR model: the numbers that fix every tensor shape."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Geometry:
    """Shape of a BERT-family classifier plus its Contribution Predictors."""

    layers: int
    hidden: int
    intermediate: int
    heads: int
    classes: int
    vocab_size: int
    cp_width: int = 32
    max_positions: int = 512
    type_vocab_size: int = 2
    activation: str = "gelu"
    layer_norm_eps: float = 1e-12

    def __post_init__(self):
        for name in ("layers", "hidden", "intermediate", "heads", "classes", "vocab_size",
                     "cp_width", "max_positions", "type_vocab_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"geometry.{name} must be >= 1, found {getattr(self, name)}")
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of heads ({self.heads})")
        if self.activation != "gelu":
            raise ValueError(f"only the exact erf GELU is supported, found {self.activation!r}")

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Geometry":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown geometry keys {sorted(unknown)}; expected some of {sorted(names)}")
        return cls(**d)
