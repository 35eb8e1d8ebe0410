"""Imports a pre-trained BERT-family encoder from an ONNX graph (as `torch.onnx.export` writes
for Hugging Face BertModel, e.g. all-MiniLM-L6-v2) into an AdaplerClassifier with fresh
Contribution Predictors (eta 0.25, theta_pr 1), and the graph's pooler if it has one (else a
random pooler), plus a random classifier.

    python3 -m adapler.importer --onnx model.onnx --tokenizer tokenizer.json \
        --labels ham,spam --max-length 128 --out build/minilm-imported.pt [--verify]

How weights are found: biases, LayerNorm parameters and embeddings carry their PyTorch names
(`encoder.layer.3.attention.self.query.bias`, ...). The exporter renames the MatMul weights
(`onnx::MatMul_787`, stored [in, out]); the MatMul node that reads each one is named after its
module (`/encoder/layer.3/attention/self/query/MatMul`), which tells its layer and role. A
weight stored under its PyTorch name (`...query.weight`, [out, in]) is taken as it is.
Geometry comes from the tensors' shapes; the head count from the attention Reshape's shape
constants (or `--heads`). Every expected tensor must be found, else the import fails naming
what is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .checkpoint import Checkpoint, TokenizerSettings
from .config import Geometry
from .modeling import AdaplerClassifier

# module path inside the layer -> (our module path inside EncoderLayer)
_LAYER_LINEARS = {
    "attention.self.query": "attention.query",
    "attention.self.key": "attention.key",
    "attention.self.value": "attention.value",
    "attention.output.dense": "attention_output",
    "intermediate.dense": "intermediate",
    "output.dense": "output",
}
_LAYER_NORMS = {"attention.output.LayerNorm": "attention_norm", "output.LayerNorm": "output_norm"}
_NODE_RE = re.compile(r"^/(?:bert/)?(encoder/layer\.(\d+)/[\w./]+?|pooler/dense)/MatMul$")


class BackboneImportError(ValueError):
    """The graph is not a BERT encoder this importer understands (message says why)."""


def _strip_prefix(name: str) -> str:
    return name[len("bert."):] if name.startswith("bert.") else name


class _Graph:
    """Initializers and constants of an ONNX graph, indexed for the importer."""

    def __init__(self, model: onnx.ModelProto):
        self.model = model
        self.tensors = {_strip_prefix(t.name): t for t in model.graph.initializer}
        self.raw_names = {t.name: t for t in model.graph.initializer}
        self.constants = {}
        for n in model.graph.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.name == "value":
                        self.constants[n.output[0]] = numpy_helper.to_array(a.t)
        self.producers = {o: n for n in model.graph.node for o in n.output}
        # module path ("encoder.layer.3.attention.self.query") -> MatMul weight initializer
        self.matmul_weights: dict[str, np.ndarray] = {}
        for n in model.graph.node:
            m = _NODE_RE.match(n.name) if n.op_type == "MatMul" else None
            if not m:
                continue
            weight = next((i for i in n.input if i in self.raw_names), None)
            if weight is not None:
                module = m.group(1).replace("/", ".")
                self.matmul_weights[module] = numpy_helper.to_array(self.raw_names[weight])

    def array(self, name: str):
        t = self.tensors.get(name)
        return None if t is None else numpy_helper.to_array(t)

    def value(self, name: str):
        """A constant value by tensor name (initializer or Constant node), else None."""
        if name in self.raw_names:
            return numpy_helper.to_array(self.raw_names[name])
        return self.constants.get(name)

    def linear(self, module: str):
        """(weight [out, in], bias [out]) of a dense module, or (None, None) parts missing."""
        w = self.array(module + ".weight")
        if w is None and module in self.matmul_weights:
            w = self.matmul_weights[module].T  # MatMul stores [in, out]
        return w, self.array(module + ".bias")


def infer_heads(g: _Graph, hidden: int) -> int | None:
    """The head count from layer 0's attention Reshape: its target shape ends [heads, head_dim]."""
    for n in g.model.graph.node:
        if n.op_type != "Reshape" or not re.search(r"/encoder/layer\.0/attention/self/Reshape", n.name):
            continue
        shape = g.value(n.input[1])
        if shape is None and n.input[1] in g.producers and g.producers[n.input[1]].op_type == "Concat":
            parts = [g.value(i) for i in g.producers[n.input[1]].input]
            shape = [None if p is None else int(np.asarray(p).reshape(-1)[0]) for p in parts]
        if shape is None or len(shape) != 4:
            continue
        heads, head_dim = shape[2], shape[3]
        if heads and head_dim and heads > 0 and heads * head_dim == hidden:
            return int(heads)
    return None


def infer_layer_norm_eps(g: _Graph) -> float:
    """The epsilon added to the variance in the embeddings' LayerNorm (1e-12 when not found)."""
    for n in g.model.graph.node:
        if n.op_type == "LayerNormalization" and "embeddings" in n.name:
            for a in n.attribute:
                if a.name == "epsilon":
                    return float(a.f)
        if n.op_type == "Add" and re.search(r"/embeddings/LayerNorm/Add$", n.name):
            for i in n.input:
                v = g.value(i)
                if v is not None and v.size == 1:
                    return float(v.reshape(-1)[0])
    return 1e-12


def check_activation(g: _Graph) -> None:
    ops = {n.op_type for n in g.model.graph.node if "/intermediate/" in n.name}
    if ops and "Erf" not in ops:
        raise BackboneImportError(f"the FFN activation is not the exact erf GELU (ops found: {sorted(ops)}); "
                           "only 'gelu' is supported")


def import_onnx(onnx_path, classes: int, heads: int | None = None, cp_width: int = 32,
                eta_init: float = 0.25, seed: int = 0) -> tuple[AdaplerClassifier, dict]:
    """Builds an AdaplerClassifier from a BERT-family ONNX graph. Returns (model, info)."""
    g = _Graph(onnx.load(str(onnx_path)))
    missing: list[str] = []

    def need(name, arr):
        if arr is None:
            missing.append(name)
        return arr

    word = need("embeddings.word_embeddings.weight", g.array("embeddings.word_embeddings.weight"))
    pos = need("embeddings.position_embeddings.weight", g.array("embeddings.position_embeddings.weight"))
    typ = need("embeddings.token_type_embeddings.weight", g.array("embeddings.token_type_embeddings.weight"))
    if missing:
        raise BackboneImportError(f"{onnx_path}: not a BERT-family encoder graph, missing {missing}")
    layer_ids = sorted({int(m.group(1)) for name in list(g.tensors) + list(g.matmul_weights)
                        for m in [re.match(r"encoder\.layer\.(\d+)\.", name)] if m})
    if not layer_ids or layer_ids != list(range(len(layer_ids))):
        raise BackboneImportError(f"{onnx_path}: encoder layers found {layer_ids}, expected 0..L-1")
    hidden = word.shape[1]
    w_int, _ = g.linear("encoder.layer.0.intermediate.dense")
    if w_int is None:
        raise BackboneImportError(f"{onnx_path}: missing encoder.layer.0.intermediate.dense weight")
    found_heads = infer_heads(g, hidden)
    if heads is None:
        if found_heads is None:
            raise BackboneImportError(f"{onnx_path}: cannot read the head count from the attention Reshape; "
                               "pass it (--heads)")
        heads = found_heads
    elif found_heads is not None and found_heads != heads:
        raise BackboneImportError(f"{onnx_path}: --heads {heads} given, but the graph reshapes to {found_heads} heads")
    check_activation(g)
    geometry = Geometry(layers=len(layer_ids), hidden=hidden, intermediate=w_int.shape[0], heads=heads,
                        classes=classes, vocab_size=word.shape[0], cp_width=cp_width,
                        max_positions=pos.shape[0], type_vocab_size=typ.shape[0],
                        layer_norm_eps=float(f"{infer_layer_norm_eps(g):.6g}"))

    torch.manual_seed(seed)
    model = AdaplerClassifier(geometry, eta_init=eta_init)
    for mod in (model.pooler, model.classifier, *model.cps):   # BERT's initialiser for new heads
        for m in mod.modules():
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.normal_(m.weight, 0.0, 0.02)
                torch.nn.init.zeros_(m.bias)
    state = model.state_dict()
    loaded: dict[str, np.ndarray] = {}

    def put(ours: str, arr, theirs: str):
        if arr is None:
            missing.append(theirs)
            return
        if tuple(arr.shape) != tuple(state[ours].shape):
            raise BackboneImportError(f"{onnx_path}: {theirs} has shape {list(arr.shape)}, "
                               f"expected {list(state[ours].shape)} for {ours}")
        loaded[ours] = arr

    put("embeddings.word_embeddings.weight", word, "embeddings.word_embeddings.weight")
    put("embeddings.position_embeddings.weight", pos, "embeddings.position_embeddings.weight")
    put("embeddings.token_type_embeddings.weight", typ, "embeddings.token_type_embeddings.weight")
    for p in ("weight", "bias"):
        put(f"embeddings.LayerNorm.{p}", g.array(f"embeddings.LayerNorm.{p}"), f"embeddings.LayerNorm.{p}")
    for l in layer_ids:
        for theirs, ours in _LAYER_LINEARS.items():
            w, b = g.linear(f"encoder.layer.{l}.{theirs}")
            put(f"layers.{l}.{ours}.weight", w, f"encoder.layer.{l}.{theirs} weight")
            put(f"layers.{l}.{ours}.bias", b, f"encoder.layer.{l}.{theirs}.bias")
        for theirs, ours in _LAYER_NORMS.items():
            for p in ("weight", "bias"):
                put(f"layers.{l}.{ours}.{p}", g.array(f"encoder.layer.{l}.{theirs}.{p}"),
                    f"encoder.layer.{l}.{theirs}.{p}")
    if missing:
        raise BackboneImportError(f"{onnx_path}: {len(missing)} expected tensors not found: {missing}")
    w, b = g.linear("pooler.dense")
    has_pooler = w is not None and b is not None
    if has_pooler:
        put("pooler.weight", w, "pooler.dense weight")
        put("pooler.bias", b, "pooler.dense.bias")
    with torch.no_grad():
        for name, arr in loaded.items():
            state[name].copy_(torch.from_numpy(np.array(arr, dtype=np.float32, copy=True)))
    model.load_state_dict(state)
    info = {"source": str(onnx_path), "geometry": geometry.to_dict(), "pooler": "imported" if has_pooler
            else "random (the graph has none)", "classifier": "random", "tensors_imported": len(loaded)}
    return model.eval(), info


def tokenizer_settings(tokenizer_json: str, max_length: int, pair_inputs: bool = False) -> TokenizerSettings:
    """Special token ids and lower-casing as the tokenizer.json declares them."""
    data = json.loads(tokenizer_json)
    vocab = data["model"]["vocab"]
    norm = data.get("normalizer") or {}
    lower = bool(norm.get("lowercase", False)) if norm.get("type") == "BertNormalizer" else False
    ids = {}
    for tok in ("[CLS]", "[SEP]", "[PAD]"):
        if tok not in vocab:
            raise BackboneImportError(f"tokenizer has no {tok} token")
        ids[tok] = vocab[tok]
    return TokenizerSettings(max_length=max_length, lower_case=lower, pair_inputs=pair_inputs,
                             cls_token_id=ids["[CLS]"], sep_token_id=ids["[SEP]"], pad_token_id=ids["[PAD]"])


def import_checkpoint(onnx_path, tokenizer_path, labels: list[str], max_length: int = 128,
                      heads: int | None = None, pair_inputs: bool = False, seed: int = 0) -> Checkpoint:
    model, info = import_onnx(onnx_path, len(labels), heads=heads, seed=seed)
    text = Path(tokenizer_path).read_text(encoding="utf-8")
    vocab_size = len(json.loads(text)["model"]["vocab"])
    if vocab_size > model.geometry.vocab_size:
        raise BackboneImportError(f"tokenizer has {vocab_size} tokens, the embedding only "
                           f"{model.geometry.vocab_size}")
    return Checkpoint(model, labels, tokenizer_settings(text, max_length, pair_inputs), text,
                      provenance={"base_model": str(onnx_path), "import": info})


# -- verification against the original graph --

def encoder_hidden(model: AdaplerClassifier, input_ids, attention_mask, token_type_ids):
    """Last hidden state [B, T, H] of a plain full-length pass: embeddings, then every layer
    with a padding attention bias, no removal, no pooling."""
    mask = attention_mask > 0
    positions = torch.arange(input_ids.shape[1])[None].expand_as(input_ids)
    h = model.embeddings(input_ids, token_type_ids, positions)
    bias = (~mask).to(h.dtype)[:, None, None, :] * torch.finfo(h.dtype).min
    for layer in model.layers:
        h = layer(h, bias)
    return h


def graph_hidden(onnx_path_or_model, input_ids, attention_mask, token_type_ids) -> np.ndarray:
    """The original graph's last_hidden_state, run by the numpy interpreter."""
    from . import onnx_eval_extra  # noqa: F401  (registers the operators onnx_eval lacks)
    from .onnx_eval import run_graph
    graph = onnx_path_or_model if isinstance(onnx_path_or_model, onnx.ModelProto) \
        else onnx.load(str(onnx_path_or_model))
    feeds = {"input_ids": np.asarray(input_ids, dtype=np.int64),
             "attention_mask": np.asarray(attention_mask, dtype=np.int64),
             "token_type_ids": np.asarray(token_type_ids, dtype=np.int64)}
    names = {i.name for i in graph.graph.input}
    outs = run_graph(graph, {k: v for k, v in feeds.items() if k in names})
    return outs["last_hidden_state"] if "last_hidden_state" in outs else next(iter(outs.values()))


def pad_batch(encodings, pad_id: int = 0):
    T = max(len(e.input_ids) for e in encodings)
    ids = torch.full((len(encodings), T), pad_id, dtype=torch.int64)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, e in enumerate(encodings):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        types[i, :n] = torch.tensor(e.token_type_ids)
        mask[i, :n] = 1
    return ids, mask, types


VERIFY_TEXTS = [
    "Hello world!",
    "Congratulations, you have WON a free cruise: call now to claim your prize.",
    "Re: the build is broken again\nI think the last commit to the tokenizer did it, can you look?",
    "Café crème brûlée, naïve résumé, Zürich 😀",
    "a",
]


def verify(model: AdaplerClassifier, onnx_path, tokenizer_path, texts=VERIFY_TEXTS, max_length=64):
    """Max abs difference between the imported encoder and the original graph on a padded batch."""
    from .tokenization import WordPieceTokenizer
    tok = WordPieceTokenizer.from_file(tokenizer_path)
    encs = [tok.encode(t, max_length=max_length) for t in texts]
    ids, mask, types = pad_batch(encs)
    with torch.no_grad():
        ours = encoder_hidden(model, ids, mask, types).numpy()
    theirs = graph_hidden(onnx_path, ids.numpy(), mask.numpy(), types.numpy())
    return float(np.abs(ours - theirs).max()), (ids, mask, types, ours)


GOLDEN_TOKENS = 4


def hidden_golden(model: AdaplerClassifier, onnx_path, tokenizer_path, texts=VERIFY_TEXTS,
                  max_length: int = 64) -> dict:
    """A golden record for other runtimes: the padded batch the texts make and the imported
    encoder's last hidden state for the first GOLDEN_TOKENS tokens of each row. The original
    graph run on these inputs must give the same values (within 1e-4)."""
    from .bundle import sha256_file
    diff, (ids, mask, types, hidden) = verify(model, onnx_path, tokenizer_path, texts, max_length)
    if diff > 1e-4:
        raise BackboneImportError(f"imported encoder differs from {onnx_path} by {diff:.3g}")
    return {"graph_sha256": sha256_file(Path(onnx_path)), "graph_output": "last_hidden_state",
            "tolerance": 1e-4, "max_abs_diff_to_graph_in_python": diff, "texts": list(texts),
            "max_length": max_length, "input_ids": ids.tolist(), "attention_mask": mask.tolist(),
            "token_type_ids": types.tolist(), "tokens": GOLDEN_TOKENS,
            "last_hidden_state_first_tokens": [[[round(float(v), 6) for v in tokv]
                                                for tokv in row[:GOLDEN_TOKENS]] for row in hidden]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.importer", description=__doc__.splitlines()[0])
    ap.add_argument("--onnx", required=True, help="BERT-family encoder graph (e.g. all-MiniLM-L6-v2 model.onnx)")
    ap.add_argument("--tokenizer", required=True, help="its tokenizer.json")
    ap.add_argument("--labels", required=True, help="comma-separated class labels, e.g. ham,spam")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--heads", type=int, help="attention heads (default: read from the graph)")
    ap.add_argument("--pair-inputs", action="store_true")
    ap.add_argument("--seed", type=int, default=0, help="seed of the fresh CPs, pooler and classifier")
    ap.add_argument("--out", help="checkpoint file to write")
    ap.add_argument("--golden", help="write the hidden-state golden file (JSON) for other runtimes")
    ap.add_argument("--verify", action="store_true",
                    help="compare the imported encoder with the graph's last_hidden_state")
    args = ap.parse_args(argv)
    try:
        ckpt = import_checkpoint(args.onnx, args.tokenizer, args.labels.split(","), args.max_length,
                                 args.heads, args.pair_inputs, args.seed)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(ckpt.provenance["import"], indent=1))
    if args.verify:
        diff, _ = verify(ckpt.model, args.onnx, args.tokenizer)
        print(f"max |imported - graph| on last_hidden_state: {diff:.3g}")
        if diff > 1e-4:
            print("error: the imported encoder does not reproduce the graph", file=sys.stderr)
            return 1
    if args.golden:
        golden = hidden_golden(ckpt.model, args.onnx, args.tokenizer)
        Path(args.golden).write_text(json.dumps(golden) + "\n", encoding="utf-8")
        print(f"wrote {args.golden}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        ckpt.save(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
