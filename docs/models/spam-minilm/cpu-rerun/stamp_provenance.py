"""Adds where and how a CPU rerun trained to its kept checkpoint's provenance (before
ship-spam-model.sh exports it): the machine, the settings' source, the teacher and its saliency.

    python3 docs/models/spam-minilm/cpu-rerun/stamp_provenance.py [CHECKPOINT [BRANCH]]
"""
import os
import platform
import sys

import torch

sys.path.insert(0, "model")
from adapler.checkpoint import Checkpoint

path = sys.argv[1] if len(sys.argv) > 1 else "build/runs/spam-minilm-cpu/best.pt"
branch = sys.argv[2] if len(sys.argv) > 2 else \
    "cpu-rerun (the GPU sweep's h8p1 settings, docs/models/spam-minilm/cpu-rerun)"
ck = Checkpoint.load(path)
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
ck.provenance.setdefault("training", {}).update({
    "branch": branch,
    "machine": f"{cpu}, {os.cpu_count()} threads (torch.set_num_threads(os.cpu_count()), as adapler.train), torch {torch.__version__} ({platform.machine()})",
    "teacher": "the GPU sweep's teacher (validation 0.9773, epoch 2 of 5)",
    "saliency": "that teacher epoch's saliency alone (the other epochs' did not come back from the GPU)",
})
ck.save(path)
print(ck.provenance["training"]["machine"])
