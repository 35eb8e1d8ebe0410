"""The splits: read from JSON lines, tokenized once (cached in the run directory), batched."""

from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import torch

from .settings import TrainConfig

log = logging.getLogger("adapler.train")


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                row = json.loads(line)
                if "text" not in row or "label" not in row:
                    raise ValueError(f"{path}:{i}: each row needs 'text' and 'label'")
                rows.append(row)
    return rows


def encode_split(rows, tok, labels: list[str], max_length: int) -> list[tuple]:
    index = {lab: i for i, lab in enumerate(labels)}
    out = []
    for r in rows:
        lab = str(r["label"])
        if lab not in index:
            raise ValueError(f"label {lab!r} is not one of {labels}")
        enc = tok.encode(r["text"], r.get("text_pair"), max_length=max_length)
        out.append((enc.input_ids, enc.token_type_ids, index[lab]))
    return out


def load_data(cfg: TrainConfig, tokenizer_path: Path, cache: Path) -> dict:
    """{split: [(ids, types, label)]}, tokenized once and cached in the run directory."""
    key = [cfg.data, cfg.labels, cfg.max_length, cfg.limit_train, cfg.seed]
    if cache.exists():
        data = torch.load(cache)
        if data.get("key") == key:
            return data["splits"]
    from ..tokenization import WordPieceTokenizer
    tok = WordPieceTokenizer.from_file(tokenizer_path)
    splits = {}
    for split in ("train", "validation", "test"):
        path = Path(cfg.data) / f"{split}.jsonl"
        if not path.exists():
            if split == "test":
                continue
            raise FileNotFoundError(f"{path} not found")
        rows = read_jsonl(path)
        if split == "train" and cfg.limit_train:
            # a sample, not the head: data files are often sorted (by label, by source)
            rows = random.Random(cfg.seed).sample(rows, min(cfg.limit_train, len(rows)))
        t0 = time.time()
        splits[split] = encode_split(rows, tok, cfg.labels, cfg.max_length)
        log.info("tokenized %s: %d rows in %.0f s", split, len(rows), time.time() - t0)
    torch.save({"key": key, "splits": splits}, cache)
    return splits


def collate(rows, device, saliency=None, index=None, pad_id: int = 0):
    """(ids, mask, types, labels, saliency or None) of a padded batch, on the device."""
    T = max(len(r[0]) for r in rows)
    ids = torch.full((len(rows), T), pad_id, dtype=torch.int64)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, (r_ids, r_types, _) in enumerate(rows):
        ids[i, :len(r_ids)] = torch.tensor(r_ids)
        types[i, :len(r_types)] = torch.tensor(r_types)
        mask[i, :len(r_ids)] = 1
    labels = torch.tensor([r[2] for r in rows])
    sal = None
    if saliency is not None:
        sal = saliency[index][:, :T] * mask
    return [x.to(device) if x is not None else None for x in (ids, mask, types, labels, sal)]


def epoch_order(n: int, seed: int, epoch: int, phase: str) -> list[int]:
    """The rows' order in one epoch of one phase: seeded, so a resumed run sees the same."""
    order = list(range(n))
    random.Random(f"{seed}/{phase}/{epoch}").shuffle(order)
    return order


def batches_of(order, size, limit=0):
    out = [order[i:i + size] for i in range(0, len(order), size)]
    return out[:limit] if limit else out


def length_order(lengths) -> list[int]:
    """Row indices sorted by token length (ties in index order): the order of every pass that
    needs no shuffling (validation, the saliency pass), so a batch pads to little."""
    return sorted(range(len(lengths)), key=lambda i: lengths[i])


def bucketed_batches(lengths, size: int, seed: int, epoch: int, phase: str, bucket_batches: int) -> list[list[int]]:
    """One epoch's batches of rows of similar length: rows sorted by token length (ties in a
    seeded random order), cut into buckets of `bucket_batches` x `size` consecutive rows,
    shuffled within each bucket and cut into batches there, and the batches' order shuffled.
    Seeded by (seed, phase, epoch), so a resumed run sees the same batches. Only the last
    bucket can end in a short batch, so an epoch has as many steps as an unbucketed one."""
    rng = random.Random(f"{seed}/{phase}/{epoch}/buckets")
    ties = list(range(len(lengths)))
    rng.shuffle(ties)
    rank = {row: k for k, row in enumerate(ties)}
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rank[i]))
    span = size * max(1, bucket_batches)
    batches = []
    for start in range(0, len(order), span):
        bucket = order[start:start + span]
        rng.shuffle(bucket)
        batches += batches_of(bucket, size)
    rng.shuffle(batches)
    return batches


def epoch_batches(lengths, cfg: TrainConfig, epoch: int, phase: str) -> list[list[int]]:
    """The training batches of one epoch of one phase: length-bucketed (`cfg.bucket_batches`
    > 0, the default) or the rows in one seeded random order cut every `cfg.batch_size` (0),
    then cut to `cfg.max_steps_per_epoch` when that is set."""
    if cfg.bucket_batches > 0:
        batches = bucketed_batches(lengths, cfg.batch_size, cfg.seed, epoch, phase, cfg.bucket_batches)
    else:
        batches = batches_of(epoch_order(len(lengths), cfg.seed, epoch, phase), cfg.batch_size)
    return batches[:cfg.max_steps_per_epoch] if cfg.max_steps_per_epoch else batches
