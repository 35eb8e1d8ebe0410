"""Small helpers shared by the graph-rewriting passes (`onnx_fusion`, `onnx_int8`): an index of
producers, consumers and initializers over an `onnx.ModelProto`, and a stable topological sort
so a pass can append its new nodes anywhere and still emit a valid graph."""

from __future__ import annotations

import itertools

import numpy as np
import onnx
from onnx import numpy_helper

MS_DOMAIN = "com.microsoft"


class GraphIndex:
    """Producers, consumers and initializers of a graph, built once per pass."""

    def __init__(self, model: onnx.ModelProto):
        self.model = model
        self.graph = model.graph
        self.inits = {t.name: t for t in self.graph.initializer}
        self.producer = {o: n for n in self.graph.node for o in n.output}
        self.consumers: dict[str, list] = {}
        for n in self.graph.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.outputs = {o.name for o in self.graph.output}
        self._ids = itertools.count()

    def is_init(self, name: str) -> bool:
        """True for an initializer, or an Identity of one (torch shares equal weights that way)."""
        while name not in self.inits:
            n = self.producer.get(name)
            if n is None or n.op_type != "Identity":
                return False
            name = n.input[0]
        return True

    def const(self, name: str):
        """The value of an initializer (through Identity nodes) or Constant output, else None."""
        n = self.producer.get(name)
        if n is not None and n.op_type == "Identity":
            return self.const(n.input[0])
        if name in self.inits:
            return numpy_helper.to_array(self.inits[name])
        n = self.producer.get(name)
        if n is not None and n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    return numpy_helper.to_array(a.t)
        return None

    def scalar(self, name: str) -> float | None:
        """The value of a one-element constant (see `const`), else None."""
        v = self.const(name)
        return None if v is None or v.size != 1 else float(v.reshape(-1)[0])

    def only_consumer(self, name: str):
        """The single node reading `name`, or None if several read it or it is a graph output."""
        users = self.consumers.get(name, [])
        return users[0] if len(users) == 1 and name not in self.outputs else None

    def fresh(self, stem: str) -> str:
        return f"{stem}_{next(self._ids)}"

    def add_init(self, name: str, array: np.ndarray) -> str:
        self.graph.initializer.append(numpy_helper.from_array(array, name))
        self.inits[name] = self.graph.initializer[-1]
        return name


def attrs(node) -> dict:
    """A node's attributes as {name: Python value}."""
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def linear_bias(index: GraphIndex, add) -> tuple[str, np.ndarray] | None:
    """For an Add node `T + b` with b a 1-D float initializer, returns (T, b); else None."""
    if add.op_type != "Add" or len(add.input) != 2:
        return None
    for k in (0, 1):
        b = index.const(add.input[k])
        if b is not None and b.ndim == 1 and b.dtype == np.float32 and index.is_init(add.input[k]):
            return add.input[1 - k], b
    return None


def rebuild(model: onnx.ModelProto, remove, add) -> None:
    """Replaces the graph's nodes: drops `remove` (nodes), appends `add`, sorts topologically,
    drops initializers nothing reads any more, and declares the com.microsoft domain if used."""
    gone = {id(n) for n in remove}
    nodes = [n for n in model.graph.node if id(n) not in gone] + list(add)
    outputs = {o.name for o in model.graph.output}
    # keep only what the outputs read (e.g. not the Constants of a fused GELU, nor the shape
    # computations of a removed Reshape, which would otherwise read a removed node's output)
    producer = {o: n for n in nodes for o in n.output}
    alive, stack = set(), list(outputs)
    while stack:
        n = producer.get(stack.pop())
        if n is not None and id(n) not in alive:
            alive.add(id(n))
            stack.extend(n.input)
    nodes = [n for n in nodes if id(n) in alive]
    known = {i.name for i in model.graph.input} | {t.name for t in model.graph.initializer} | {""}
    ready, pending, ordered = set(known), list(nodes), []
    while pending:
        rest = []
        for n in pending:
            if all(i in ready for i in n.input):
                ordered.append(n)
                ready.update(n.output)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise ValueError(f"graph rewrite left a cycle or a dangling input at {rest[0].name}")
        pending = rest
    del model.graph.node[:]
    model.graph.node.extend(ordered)
    used = {i for n in ordered for i in n.input} | outputs
    keep = [t for t in model.graph.initializer if t.name in used]
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)
    names = {v.name for v in model.graph.value_info if v.name in ready}
    vi = [v for v in model.graph.value_info if v.name in names]
    del model.graph.value_info[:]
    model.graph.value_info.extend(vi)
    if any(n.domain == MS_DOMAIN for n in ordered) and \
            not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid(MS_DOMAIN, 1))
