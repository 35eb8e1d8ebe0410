"""Self-contained training checkpoints: everything the exporter needs to write a bundle.

A checkpoint is one `torch.save` file holding the geometry, the weights (eta and theta_pr
included), the labels, the tokenizer settings and the tokenizer.json text, plus provenance
and metrics. The trainer writes them; `adapler.export` turns one into a bundle.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import torch

from .config import Geometry
from .modeling import AdaplerClassifier

FORMAT = "adapler-checkpoint/1"


@dataclass(frozen=True)
class TokenizerSettings:
    """How rows are tokenized: mirrored into adapler.json's `tokenizer` section."""

    max_length: int = 128
    truncation: str = "longest_first"
    lower_case: bool = True
    pair_inputs: bool = False
    cls_token_id: int = 101
    sep_token_id: int = 102
    pad_token_id: int = 0

    def __post_init__(self):
        if self.max_length < 3:
            raise ValueError(f"max_length must be >= 3 ([CLS] x [SEP]), found {self.max_length}")
        if self.truncation != "longest_first":
            raise ValueError(f"only longest_first truncation is supported, found {self.truncation!r}")


@dataclass
class Checkpoint:
    model: AdaplerClassifier
    labels: list[str]
    tokenizer: TokenizerSettings
    tokenizer_json: str
    provenance: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    def __post_init__(self):
        classes = self.model.geometry.classes
        if len(self.labels) != classes:
            raise ValueError(f"{len(self.labels)} labels given for a model with {classes} classes")
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f"labels must be distinct, found {self.labels}")

    def save(self, path) -> None:
        torch.save({
            "format": FORMAT,
            "geometry": self.model.geometry.to_dict(),
            "state_dict": self.model.state_dict(),
            "labels": list(self.labels),
            "tokenizer": dataclasses.asdict(self.tokenizer),
            "tokenizer_json": self.tokenizer_json,
            "provenance": self.provenance,
            "metrics": self.metrics,
        }, Path(path))

    @classmethod
    def load(cls, path) -> "Checkpoint":
        try:
            data = torch.load(Path(path), map_location="cpu")
        except (RuntimeError, EOFError, pickle.UnpicklingError) as e:
            raise ValueError(f"{path}: not a torch checkpoint ({e})") from e
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else type(data).__name__
            raise ValueError(f"{path}: not an AdapLeR checkpoint (expected format {FORMAT}, found {found})")
        model = AdaplerClassifier(Geometry.from_dict(data["geometry"]))
        model.load_state_dict(data["state_dict"])
        return cls(model.eval(), data["labels"], TokenizerSettings(**data["tokenizer"]),
                   data["tokenizer_json"], data.get("provenance", {}), data.get("metrics", {}))
