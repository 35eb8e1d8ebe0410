"""The AdapLeR classifier in PyTorch: a BERT encoder, one Contribution Predictor per layer,
the eta thresholds, and the batched forward with hard token removal that gets exported.

The batched forward must give every row exactly what the one-row loop in `reference.py`
gives. It is written for `torch.onnx.export` tracing: every shape that depends on the data
stays a tensor (never `int()` or `.item()`), so the exported graph keeps dynamic shapes.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .config import Geometry

# Sort key offset for dropped tokens: larger than any sequence length, so that a top-k of the
# smallest keys returns the kept tokens first, in their original order (ONNX TopK is not stable).
_DROPPED_KEY = 1 << 32


class Embeddings(nn.Module):
    def __init__(self, g: Geometry):
        super().__init__()
        self.word_embeddings = nn.Embedding(g.vocab_size, g.hidden)
        self.position_embeddings = nn.Embedding(g.max_positions, g.hidden)
        self.token_type_embeddings = nn.Embedding(g.type_vocab_size, g.hidden)
        self.LayerNorm = nn.LayerNorm(g.hidden, eps=g.layer_norm_eps)

    def forward(self, input_ids, token_type_ids, position_ids):
        h = (self.word_embeddings(input_ids) + self.position_embeddings(position_ids)
             + self.token_type_embeddings(token_type_ids))
        return self.LayerNorm(h)


class SelfAttention(nn.Module):
    def __init__(self, g: Geometry):
        super().__init__()
        self.heads, self.head_dim = g.heads, g.head_dim
        self.query = nn.Linear(g.hidden, g.hidden)
        self.key = nn.Linear(g.hidden, g.hidden)
        self.value = nn.Linear(g.hidden, g.hidden)

    def _split(self, x):
        # [B, t, H] -> [B, heads, t, head_dim]; -1 keeps the sequence axis dynamic.
        return x.reshape(x.shape[0], -1, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, h, attention_bias=None):
        q, k, v = self._split(self.query(h)), self._split(self.key(h)), self._split(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        if attention_bias is not None:
            scores = scores + attention_bias
        context = torch.matmul(scores.softmax(-1), v)
        return context.transpose(1, 2).reshape(h.shape[0], -1, self.heads * self.head_dim)


class EncoderLayer(nn.Module):
    """One post-LayerNorm BERT layer."""

    def __init__(self, g: Geometry):
        super().__init__()
        self.attention = SelfAttention(g)
        self.attention_output = nn.Linear(g.hidden, g.hidden)
        self.attention_norm = nn.LayerNorm(g.hidden, eps=g.layer_norm_eps)
        self.intermediate = nn.Linear(g.hidden, g.intermediate)
        self.output = nn.Linear(g.intermediate, g.hidden)
        self.output_norm = nn.LayerNorm(g.hidden, eps=g.layer_norm_eps)

    def forward(self, h, attention_bias=None, soft_mask_bias=None):
        bias = attention_bias
        if soft_mask_bias is not None:
            bias = soft_mask_bias if bias is None else bias + soft_mask_bias
        a = self.attention_norm(h + self.attention_output(self.attention(h, bias)))
        return self.output_norm(a + self.output(F.gelu(self.intermediate(a))))

    def forward_packed(self, h, bias, mask):
        """The same layer for the hard-removal forward: attention on the padded [B, t, H] batch,
        everything after it (output projection, both LayerNorms, the FFN: three quarters of
        the layer's FLOPs) on the real tokens only, packed as [1, T, H] (3-D, so the linears
        export as MatMul + Add, the pattern the fusion passes rewrite). Rows keep different
        numbers of tokens, so the padded batch is 12-28% padding per layer at the shipped
        model's trained point; the packed part skips it. Padding rows come back as zeros."""
        width = self.attention_output.out_features  # a Python int: constant reshapes
        flat = mask.reshape(-1)
        real = torch.nonzero(flat).squeeze(1)  # [T] rows of the flattened batch that are tokens
        context = self.attention(h, bias).reshape(1, -1, width).index_select(1, real)
        a = self.attention_norm(h.reshape(1, -1, width).index_select(1, real)
                                + self.attention_output(context))
        out = self.output_norm(a + self.output(F.gelu(self.intermediate(a))))
        return unpack(out, flat, width).reshape(h.shape[0], -1, width)


class ContributionPredictor(nn.Module):
    """z_j = w2 . gelu(W1 h_j + b1) + b2: one unnormalised score per token."""

    def __init__(self, g: Geometry):
        super().__init__()
        self.dense = nn.Linear(g.hidden, g.cp_width)
        self.score = nn.Linear(g.cp_width, 1)

    def forward(self, h):
        return self.score(F.gelu(self.dense(h))).squeeze(-1)


def masked_softmax(z, mask):
    """Softmax over the positions where mask is True; masked positions get exactly 0."""
    return z.masked_fill(~mask, float("-inf")).softmax(-1)


class AdaplerClassifier(nn.Module):
    """BERT classifier with one CP and one eta per layer (docs/method.md)."""

    ETA_MIN, ETA_MAX = 0.01, 1.0
    # When True, forward also returns token_layers (the exporter turns it on for the graph).
    emit_token_layers = False

    def __init__(self, g: Geometry, eta_init: float = 0.25):
        super().__init__()
        self.geometry = g
        self.embeddings = Embeddings(g)
        self.layers = nn.ModuleList(EncoderLayer(g) for _ in range(g.layers))
        self.cps = nn.ModuleList(ContributionPredictor(g) for _ in range(g.layers))
        self.eta = nn.Parameter(torch.full((g.layers,), float(eta_init)))
        # Authors' knob: scales p_[CLS] before the decision of layers 1..L-1; 1.0 changes nothing.
        self.theta_pr = nn.Parameter(torch.ones(max(g.layers - 1, 0)))
        self.pooler = nn.Linear(g.hidden, g.hidden)
        self.classifier = nn.Linear(g.hidden, g.classes)

    # -- pieces shared by the batched forward, the reference loop and the trainer --

    def clamp_eta_(self):
        with torch.no_grad():
            self.eta.clamp_(self.ETA_MIN, self.ETA_MAX)

    def cls_scale(self, layer: int):
        """The factor applied to p_[CLS] before layer `layer`'s decision (1 for layer 0)."""
        if layer == 0:
            return None
        return self.theta_pr[layer - 1].clamp(min=0.001)

    def apply_theta(self, p, layer: int, first=None):
        """Multiply p_[CLS] (column 0) by the layer's theta and renormalise. `first`, a [B, t]
        bool mask of column 0, saves the exported graph from building it again."""
        c = self.cls_scale(layer)
        if c is None:
            return p
        if first is None:
            first = iota(p) == 0
        # [c, 1, 1, ...] along the token axis, without in-place writes (export-friendly).
        p = p * torch.where(first, c, torch.ones((), dtype=p.dtype))
        return p / p.sum(-1, keepdim=True)

    def classify(self, cls_state):
        return self.classifier(torch.tanh(self.pooler(cls_state)))

    # -- batched inference with hard removal: the exported graph --

    def forward(self, input_ids, attention_mask, token_type_ids, eta_scale):
        """Returns (logits [B, C], layer_lengths [B, L] int64, kept_positions [B, K] int64),
        and with `emit_token_layers` a 4th output, token_layers [B, S] int64: for every input
        position the number of layers it ran through (L reached the last layer, 0 dropped at
        the first decision, -1 padding)."""
        mask = attention_mask > 0
        local = iota(input_ids)  # every row's column index, 0..t-1, along the current axis
        position_ids = local
        h = self.embeddings(input_ids, token_type_ids, position_ids)
        positions, count = position_ids, mask.sum(-1)
        lengths = []
        survived = torch.zeros_like(input_ids)
        for l, (cp, layer) in enumerate(zip(self.cps, self.layers)):
            first = local == 0
            p = self.apply_theta(masked_softmax(cp(h), mask), l, first)
            delta = self.eta[l] * eta_scale / count.unsqueeze(-1).to(p.dtype)
            keep = (p >= delta) & mask
            keep = keep | first  # [CLS] is always the first kept token
            h, positions, mask, local, count = compact(h, positions, keep, local, self.geometry.hidden)
            lengths.append(count)
            if self.emit_token_layers:
                survived = survived + ran_through(positions, mask, position_ids)
            bias = (~mask).to(h.dtype)[:, None, None, :] * torch.finfo(h.dtype).min
            h = layer.forward_packed(h, bias, mask)
        logits = self.classify(h[:, 0])
        kept_positions = positions.masked_fill(~mask, -1)
        if self.emit_token_layers:
            token_layers = survived.masked_fill(attention_mask <= 0, -1)
            return logits, torch.stack(lengths, dim=1), kept_positions, token_layers
        return logits, torch.stack(lengths, dim=1), kept_positions


def ran_through(positions, mask, position_ids):
    """[B, S] int64: 1 where an original position is among a layer's kept tokens. A one-hot
    compare of the kept positions [B, k] against every original position [B, S] (no scatter,
    no data-dependent size), summed over the kept axis."""
    hit = (positions.unsqueeze(-1) == position_ids.unsqueeze(1)) & mask.unsqueeze(-1)
    return hit.to(torch.int64).sum(1)


def unpack(packed, flat, width: int):
    """[1, T, width], the tokens where `flat` [N] is True -> [1, N, width], zeros elsewhere: a
    Gather from the packed tokens plus one zero token, which every padding slot reads."""
    slots = flat.to(torch.int64)
    index = torch.where(flat, slots.cumsum(0) - 1, slots.sum())
    padded = torch.cat([packed, packed.new_zeros(1, 1, width)], dim=1)
    return padded.index_select(1, index)


def iota(x):
    """[B, t] int64: 0, 1, ..., t-1 in every row (shape-dynamic for tracing)."""
    return torch.ones_like(x, dtype=torch.int64).cumsum(1) - 1


def compact(h, positions, keep, local, width: int):
    """Gather the kept tokens of every row to the front, in their original order, and cut the
    sequence axis to the longest kept row. `local` is the current axis's iota, `width` the
    hidden size (a Python int, so the reshapes are constant). Returns
    (h, positions, mask, local, count) of length k: the next layer's iota and kept counts come
    out of the compaction instead of being rebuilt from the mask."""
    count = keep.sum(-1)
    k = count.max()
    key = torch.where(keep, local, local + _DROPPED_KEY)
    idx = torch.topk(key, k, dim=1, largest=False, sorted=True).indices
    # One Gather of whole hidden vectors from the flattened batch: a gather along the token
    # axis would need its index tiled over the hidden size ([B, k, H] int64, 3.6% of the
    # shipped model's time at its trained point).
    row_start = (torch.ones_like(count).cumsum(0) - 1) * key.shape[1]
    flat = (idx + row_start.unsqueeze(-1)).reshape(-1)
    h = h.reshape(-1, width).index_select(0, flat).reshape(idx.shape[0], -1, width)
    positions = torch.gather(positions, 1, idx)
    local = iota(idx)
    return h, positions, local < count.unsqueeze(-1), local, count
