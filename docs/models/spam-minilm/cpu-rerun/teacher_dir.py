"""Here (CPU, no GPU machine lent): a teacher run directory rebuilt from the GPU sweep's teacher
checkpoint, so that `adapler.train --from-teacher` can train a new AdapLeR branch on this CPU.

Only the teacher's best epoch (2) came back from the GPU machine, not epochs 3 and 4, so the
saliency targets here are that one epoch's saliency instead of the mean of the three best
(saliency_epochs_used = [2]); the teacher itself is the GPU one. The AdapLeR phase starts from
the pre-trained encoder (initial.pt, exact fp32), as in every run.

Run from the repository root after model/scripts/prepare-spam-data.sh and gpu-sweep/prep.py.
"""
import os
import shutil
import sys
from pathlib import Path

import torch

sys.path.insert(0, "model")
from adapler.checkpoint import Checkpoint
from adapler.saliency import saliency_batch
from adapler.training.data import batches_of, collate, load_data
from adapler.training.run_state import INITIAL, STATE, save_atomic
from adapler.training.saliency_targets import TARGETS
from adapler.training.settings import TrainConfig

torch.set_num_threads(os.cpu_count() or 1)
gpu_teacher = Path("build/runs/spam-minilm-gpu-teacher")
out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/runs/spam-minilm-cpu-teacher")
out.mkdir(parents=True, exist_ok=True)
bb = Path("build/backbones/all-minilm-l6-v2")

state = torch.load(gpu_teacher / STATE)
cfg = TrainConfig(**state["config"])
best = max(range(len(state["teacher_scores"])), key=lambda e: (state["teacher_scores"][e], -e))
shutil.copy2("build/gpu-local/initial-fp32.pt", out / INITIAL)
shutil.copy2(bb / "tokenizer.json", out / "tokenizer.json")
shutil.copy2(gpu_teacher / f"teacher-epoch{best}.pt", out / f"teacher-epoch{best}.pt")
splits = load_data(cfg, out / "tokenizer.json", out / "data-cache.pt")

teacher = Checkpoint.load(out / f"teacher-epoch{best}.pt").model.eval()
rows = splits["train"]
sal = torch.zeros(len(rows), cfg.max_length)
for n, idx in enumerate(batches_of(list(range(len(rows))), cfg.eval_batch_size)):
    ids, mask, types, labels, _ = collate([rows[i] for i in idx], torch.device("cpu"))
    s = saliency_batch(teacher, ids, mask, types, labels)
    sal[idx, :s.shape[1]] = s
    if n % 10 == 0:
        print(f"saliency batch {n}", flush=True)
torch.save(sal, out / TARGETS)
save_atomic({"config": state["config"], "phase": "adapler", "teacher_scores": state["teacher_scores"],
             "teacher_score": state["teacher_score"], "saliency_epochs_used": [best]}, out / STATE)
print(f"wrote {out}: teacher epoch {best}, validation {state['teacher_score']:.4f}")
