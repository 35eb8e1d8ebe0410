"""Here (CPU): the initial checkpoint (pre-trained MiniLM + fresh heads, seed 42) as fp16 for
the 64 MiB transfer, and the tokenized splits (the trainer's data cache)."""
import sys, torch
from pathlib import Path
sys.path.insert(0, "model")
from adapler.importer import import_checkpoint
from adapler.training.settings import TrainConfig
from adapler.training.data import load_data
bb = Path("build/backbones/all-minilm-l6-v2")
ck = import_checkpoint(bb / "model.onnx", bb / "tokenizer.json", ["ham", "spam"], 128, None, False, 42)
Path("build/gpu-local").mkdir(parents=True, exist_ok=True)  # not in .gpu: 92 MB
ck.save("build/gpu-local/initial-fp32.pt")
d = torch.load("build/gpu-local/initial-fp32.pt")
d["state_dict"] = {k: (v.half() if v.is_floating_point() else v) for k, v in d["state_dict"].items()}
torch.save(d, ".gpu/initial-fp16.pt")
cfg = TrainConfig(data="build/spam", labels=["ham", "spam"], max_length=128)
load_data(cfg, bb / "tokenizer.json", Path(".gpu/data-cache.pt"))
