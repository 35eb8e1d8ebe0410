"""The training forward of AdapLeR: soft token removal (docs/method.md, "Training recipe").

Nothing is gathered or cut: every layer runs on the whole padded batch, and a token's removal
is a running soft mask m that shrinks it in the CP normalisation, in the count n, and (through
the same values added to the attention logits) in attention. As lambda grows, S becomes a hard
step and the path keeps exactly the tokens the one-row hard loop keeps (tests/test_soft_removal.py).

Per layer l, following the authors' `TFBertEncoder.call` / `calc_soft_extractV2`:

    m        soft mask over the non-[CLS] tokens (1 real, 0 padding; [CLS] is 0 here and is
             counted by the +1 below, exactly as the authors keep it)
    p        CP_l's softmax over the real tokens, times [1, m_1, m_2, ...], renormalised,
             then the theta_pr step for l > 0
    n        sum(m) + 1;   delta = eta_l * eta_scale / n
    S(p)     max(-10000, min(0, (lam/delta)(p - delta) - beta/lam, (p - 1)(beta/lam)/(1 - delta)))
    m        m * exp(S * m) where m > 1e-6 (entries already gone stay as they are)
    bias     max(-10000, bias + S * m): the attention bias of layer l and later is the running
             sum of the S values (= log m while m > 1e-6), on top of the padding bias -10000
    softlen  sum(m) + 1 after the decision (a differentiable count of the kept tokens)

The KL targets of layer l use the soft mask as it was BEFORE layer l's decision, with [CLS]
at 1: `target_masks[l]` below (the authors recompute the same mask in `compute_head_lossV5`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .modeling import AdaplerClassifier, EncoderLayer

BETA = 0.1
BIAS_FLOOR = -10000.0
ALIVE = 1e-6


@dataclass
class SoftOutput:
    logits: torch.Tensor                 # [B, C]
    cp_probs: list[torch.Tensor]         # per layer: [B, T] CP distribution (after theta)
    soft_lengths: list[torch.Tensor]     # per layer: [B] sum of m after the decision + 1
    target_masks: list[torch.Tensor]     # per layer: [B, T] soft mask before the decision, [CLS] = 1
    final_mask: torch.Tensor             # [B, T] soft mask after the last decision, [CLS] = 1
    embeddings: torch.Tensor             # [B, T, H] embedding output (for saliency)


def soft_removal_value(p, delta, lam: float, beta: float = BETA):
    """S(p): 0-ish for p >= delta, steeply negative below, floored at -10000."""
    first = (lam / delta) * (p - delta) - beta / lam
    second = (p - 1.0) * (beta / lam) / (1.0 - delta + 1e-7)
    return torch.clamp(torch.minimum(torch.zeros_like(p), torch.minimum(first, second)), min=BIAS_FLOOR)


def layer_forward(layer: EncoderLayer, h, bias, dropout: float, training: bool):
    """EncoderLayer.forward with BERT's hidden dropout (after the attention output and the FFN
    output). With no dropout it is exactly EncoderLayer.forward."""
    if not (training and dropout > 0):
        return layer(h, bias)
    a = layer.attention_output(layer.attention(h, bias))
    a = layer.attention_norm(h + F.dropout(a, dropout, True))
    f = layer.output(F.gelu(layer.intermediate(a)))
    return layer.output_norm(a + F.dropout(f, dropout, True))


def run_layer(layer: EncoderLayer, h, bias, dropout: float, training: bool, encoder_dtype=None):
    """One encoder layer, under autocast to `encoder_dtype` when given (its matrix products in
    bf16, ~3x faster on CPUs with AMX); its output back in fp32 for the CPs and masks."""
    if encoder_dtype is None:
        return layer_forward(layer, h, bias, dropout, training)
    with torch.autocast(h.device.type, dtype=encoder_dtype):
        out = layer_forward(layer, h, bias, dropout, training)
    return out.float()


def soft_forward(model: AdaplerClassifier, input_ids, attention_mask, token_type_ids, lam: float,
                 eta_scale: float = 1.0, removal: bool = True, dropout: float = 0.0,
                 beta: float = BETA, embeddings_hook=None, encoder_dtype=None,
                 detach_cp_input: bool = False) -> SoftOutput:
    """The batched soft-removal forward. `removal=False` is the plain full-length BERT (the
    teacher): no CP runs and every real token is kept. `embeddings_hook(h)` may replace the
    embedding output (the saliency pass makes it a leaf that requires grad). `encoder_dtype`
    (torch.bfloat16) runs the encoder layers in that precision; embeddings, CPs, the soft masks
    and the head stay fp32, where lambda's steep steps would amplify rounding.
    `detach_cp_input` stops the gradient between the hidden states and the CPs: no loss reaches
    the encoder through a CP's scores (CE still does, through the masks' attention bias)."""
    training = model.training
    real = attention_mask > 0
    realf = real.to(torch.float32)
    B, T = input_ids.shape
    positions = torch.arange(T, device=input_ids.device)[None].expand(B, T)
    emb = model.embeddings(input_ids, token_type_ids, positions)
    if embeddings_hook is not None:
        emb = embeddings_hook(emb)
    h = F.dropout(emb, dropout, training) if dropout > 0 else emb
    bias = (1.0 - realf) * BIAS_FLOOR                               # [B, T], padding -10000
    not_cls = torch.ones_like(realf)
    not_cls[:, 0] = 0.0
    m = realf * not_cls                                             # [CLS] counted by the +1
    cls_one = 1.0 - not_cls
    probs, lengths, targets = [], [], []
    for l, (cp, layer) in enumerate(zip(model.cps, model.layers)):
        if removal:
            keep_weights = cls_one + m                              # [1, m_1, m_2, ...]
            targets.append(keep_weights)
            p = cp(h.detach() if detach_cp_input else h).masked_fill(~real, float("-inf")).softmax(-1) * keep_weights
            p = p / (p.sum(-1, keepdim=True) + 1e-15)
            p = model.apply_theta(p, l)
            n = m.sum(-1, keepdim=True) + 1.0
            delta = model.eta[l] * eta_scale / n
            edits = soft_removal_value(p, delta, lam, beta) * m
            alive = m > ALIVE
            m = torch.where(alive, m * torch.exp(edits), m)
            bias = torch.clamp(bias + edits, min=BIAS_FLOOR)
            probs.append(p)
            lengths.append(m.sum(-1) + 1.0)
        h = run_layer(layer, h, bias[:, None, None, :], dropout, training, encoder_dtype)
    cls = h[:, 0]
    if dropout > 0:
        cls = F.dropout(torch.tanh(model.pooler(cls)), dropout, training)
        logits = model.classifier(cls)
    else:
        logits = model.classify(cls)
    return SoftOutput(logits, probs, lengths, targets, cls_one + m, emb)


def kl_terms(out: SoftOutput, saliency, model: AdaplerClassifier):
    """Per layer: batch mean of KL(target_l || p_l), target_l = saliency x soft mask before
    layer l's decision, renormalised, [CLS] scaled by theta_{l-1} (l > 0) and renormalised
    again. Probabilities are clipped to [1e-7, 1] as Keras' kl_divergence does; a row whose
    non-[CLS] tokens are all gone weighs 0 (the authors weigh a row by max(mask[1:]))."""
    losses = []
    for l, (p, mask) in enumerate(zip(out.cp_probs, out.target_masks)):
        with torch.no_grad():
            t = saliency * mask
            t = t / (t.sum(-1, keepdim=True) + 1e-15)
            t = model.apply_theta(t, l)
            t = t / (t.sum(-1, keepdim=True) + 1e-15)
            weight = mask[:, 1:].max(-1).values if mask.shape[1] > 1 else torch.zeros_like(mask[:, 0])
        tc, pc = t.clamp(1e-7, 1.0), p.clamp(1e-7, 1.0)
        kl = (tc * torch.log(tc / pc)).sum(-1)
        losses.append((kl * weight).mean())
    return losses
