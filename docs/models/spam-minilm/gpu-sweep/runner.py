"""Device-side helper for training the spam model on the GPU machine (and unpacking here).

  runner.py init SRC_FP16 DST            fp16 initial checkpoint -> fp32 adapler checkpoint
  runner.py train ARGS...                python3 -m adapler.train ARGS (torch.load as in torch 1.13)
  runner.py pick RUNS_DIR TEACHER OUTDIR TOL  choose (branch, epoch) by validation, write best.pt etc.
  runner.py pack CKPT BASE_FP16 OUT      fp16 XOR-delta against BASE, byte planes, lzma
  runner.py unpack PACK BASE_FP16 OUT    the reverse (fp16-rounded weights as fp32)
"""
import io, json, lzma, sys, time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, "model")
_load = torch.load


def _load_full(*a, **k):
    k.setdefault("weights_only", False)
    return _load(*a, **k)


torch.load = _load_full


def init(src, dst):
    d = torch.load(src, map_location="cpu")
    d["state_dict"] = {k: (v.float() if v.is_floating_point() else v) for k, v in d["state_dict"].items()}
    torch.save(d, dst)


def pack(ckpt, base, out):
    d = torch.load(ckpt, map_location="cpu")
    b = torch.load(base, map_location="cpu")["state_dict"]
    sd = d.pop("state_dict")
    meta, blobs = [], []
    for k, v in sd.items():
        if v.is_floating_point():
            a = v.detach().half().contiguous().numpy().view(np.uint16).ravel()
            if k in b and tuple(b[k].shape) == tuple(v.shape):
                a = a ^ b[k].half().contiguous().numpy().view(np.uint16).ravel()
                kind = "xor16"
            else:
                kind = "raw16"
            blobs.append(a)
        else:
            kind = "tensor"
        meta.append((k, kind, list(v.shape), None if kind != "tensor" else v))
    allv = np.concatenate(blobs) if blobs else np.zeros(0, np.uint16)
    planes = np.concatenate([(allv >> 8).astype(np.uint8), (allv & 0xFF).astype(np.uint8)])
    buf = io.BytesIO()
    torch.save({"rest": d, "meta": meta, "n": int(allv.size)}, buf)
    header = buf.getvalue()
    body = lzma.compress(planes.tobytes(), preset=6)
    with open(out, "wb") as f:
        f.write(len(header).to_bytes(8, "little"))
        f.write(header)
        f.write(body)
    print(f"packed {ckpt} -> {out}: {Path(out).stat().st_size / 2**20:.1f} MiB", flush=True)


def unpack(src, base, out):
    raw = Path(src).read_bytes()
    n = int.from_bytes(raw[:8], "little")
    h = torch.load(io.BytesIO(raw[8:8 + n]), map_location="cpu")
    planes = np.frombuffer(lzma.decompress(raw[8 + n:]), np.uint8)
    cnt = h["n"]
    allv = (planes[:cnt].astype(np.uint16) << 8) | planes[cnt:].astype(np.uint16)
    b = torch.load(base, map_location="cpu")["state_dict"]
    sd, pos = {}, 0
    for k, kind, shape, t in h["meta"]:
        if kind == "tensor":
            sd[k] = t
            continue
        size = int(np.prod(shape)) if shape else 1
        a = allv[pos:pos + size].copy()
        pos += size
        if kind == "xor16":
            a ^= b[k].half().contiguous().numpy().view(np.uint16).ravel()
        sd[k] = torch.from_numpy(a.view(np.float16).reshape(shape).copy()).float()
    d = h["rest"]
    d["state_dict"] = sd
    torch.save(d, out)


def pick(runs_dir, teacher, outdir, tol):
    """Every (branch, epoch) whose validation accuracy is within tol of the teacher's: the best
    validation speedup (then accuracy). The teacher's own rule, over all branches' epochs."""
    from adapler.checkpoint import Checkpoint
    from adapler.training.metrics import evaluate
    tol = float(tol)
    runs, out = Path(runs_dir), Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    tstate = torch.load(Path(teacher) / "state.pt", map_location="cpu")
    t_score = max(tstate["teacher_scores"])
    cands, table = [], []
    for sp in sorted(runs.glob("*/state.pt")):
        if sp.parent.name == Path(teacher).name:
            continue
        st = torch.load(sp, map_location="cpu")
        for h in st["history"]:
            v = h["validation"]
            table.append({"branch": sp.parent.name, "epoch": h["epoch"], "lambda": h["lambda"],
                          "accuracy": v["accuracy"], "f1": v["f1"], "speedup": v["speedup"],
                          "kept": v["kept_share_per_layer"]})
            if v["accuracy"] >= t_score - tol:
                cands.append((v["speedup"], v["accuracy"], sp.parent.name, h["epoch"], st))
    (out / "sweep.json").write_text(json.dumps({"teacher_validation_accuracy": t_score, "epochs": table}, indent=1))
    for r in sorted(table, key=lambda r: (r["branch"], r["epoch"])):
        print(f"{r['branch']:>10} e{r['epoch']:<2} lam {r['lambda']:<9g} acc {r['accuracy']:.4f} "
              f"f1 {r['f1']:.4f} speedup {r['speedup']:.3f}", flush=True)
    if not cands:
        print("no candidate within tolerance", flush=True)
        return
    sp_, acc, branch, epoch, st = max(cands, key=lambda c: (c[0], c[1]))
    print(f"PICK tol {tol}: {branch} epoch {epoch} val acc {acc:.4f} speedup {sp_:.3f} "
          f"(teacher {t_score:.4f}, {len(cands)} candidates of {len(table)})", flush=True)
    run = runs / branch
    best = Checkpoint.load(run / f"adapler-epoch{epoch}.pt")
    cache = torch.load(run / "data-cache.pt")
    splits = cache["splits"]
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    why = (f"best validation speedup within {tol} of the teacher's accuracy over "
           f"{len(table)} epochs of {len({r['branch'] for r in table})} branches (a GPU sweep)")
    metrics = {"teacher_validation_accuracy": t_score, "teacher_saliency_epochs": st["saliency_epochs_used"],
               "selected_epoch": epoch, "selection": why, "validation": st["history"][epoch]["validation"],
               "history": st["history"]}
    metrics["test"] = evaluate(best.model.to(dev), splits["test"], dev, 64, 1.0)
    metrics["test_full_length"] = evaluate(best.model, splits["test"], dev, 64, 0.0)
    best.model.cpu()
    best.metrics = metrics
    init_prov = Checkpoint.load(run / "initial.pt").provenance
    best.provenance = dict(init_prov, training={
        "recipe": "AdapLeR (ADAPLER-SPEC.md), adapler.train", **st["config"],
        "branch": branch, "machine": f"{torch.cuda.get_device_name(0) if dev == 'cuda' else 'cpu'}, "
                                     f"torch {torch.__version__}",
        "initial_weights": "the imported pre-trained weights, carried to the GPU machine as fp16"})
    best.save(out / "best.pt")
    slim = {k: st[k] for k in ("config", "teacher_scores", "teacher_score", "saliency_epochs_used", "history")}
    slim.update(phase="done", epoch=len(st["history"]), branched_from="TEACHER_RUN", selected=(branch, epoch))
    torch.save(slim, out / "state.pt")
    print("test (python, eta 1):", json.dumps(metrics["test"]), flush=True)
    print("test (python, eta 0):", json.dumps(metrics["test_full_length"]), flush=True)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "train":
        from adapler.train import main
        sys.exit(main(args))
    {"init": init, "pack": pack, "unpack": unpack, "pick": pick}[cmd](*args)
