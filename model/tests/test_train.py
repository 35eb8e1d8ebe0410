"""The trainer on a tiny random model and tiny synthetic data (fast; no backbone needed)."""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from adapler import AdaplerClassifier, Geometry
from adapler.checkpoint import Checkpoint, TokenizerSettings
from adapler.train import (TrainConfig, adapler_step, collate, lambda_schedule, make_optimizers,
                           pick_best, train)

ROOT = Path(__file__).resolve().parents[2]
TOKENIZER = ROOT / "samples" / "models" / "tiny-random" / "tokenizer.json"
G = Geometry(layers=3, hidden=16, intermediate=32, heads=2, classes=2, vocab_size=30522, cp_width=8,
             max_positions=64)
GOOD = "great wonderful lovely excellent superb fine nice happy".split()
BAD = "awful terrible horrible poor bad sad ugly dreadful".split()
FILLER = "the a of movie film story and it was very this that".split()


def tiny_initial(seed=0) -> Checkpoint:
    torch.manual_seed(seed)
    model = AdaplerClassifier(G)
    return Checkpoint(model, ["negative", "positive"], TokenizerSettings(max_length=24),
                      TOKENIZER.read_text(encoding="utf-8"), provenance={"base_model": "tiny random"})


def synthetic_rows(rng, count):
    rows = []
    for _ in range(count):
        label = rng.randrange(2)
        words = [rng.choice(FILLER) for _ in range(rng.randint(2, 14))]
        for _ in range(rng.randint(1, 2)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(GOOD if label else BAD))
        rows.append({"text": " ".join(words), "label": ["negative", "positive"][label]})
    return rows


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    rng = random.Random(1)
    for split, n in (("train", 48), ("validation", 24), ("test", 16)):
        with open(d / f"{split}.jsonl", "w") as f:
            for r in synthetic_rows(rng, n):
                f.write(json.dumps(r) + "\n")
    return d


def small_config(data_dir, **kw):
    base = dict(data=str(data_dir), labels=["negative", "positive"], max_length=24, epochs=2,
                teacher_epochs=2, saliency_epochs=3, batch_size=8, eval_batch_size=16, lr=1e-3,
                log_every=100, lambdas=[10.0, 100.0], seed=3)
    base.update(kw)
    return TrainConfig(**base)


def test_lambda_schedule_values():
    assert [lambda_schedule(5, e, kind="authors") for e in range(5)] == [10, 100, 1000, 10000, 100000]
    assert [lambda_schedule(10, e, kind="authors") for e in range(10)] == [10 * 3 ** e for e in range(10)]
    assert [lambda_schedule(3, e, kind="authors") for e in range(3)] == [50, 2500, 125000]
    four = [lambda_schedule(4, e, kind="authors") for e in range(4)]
    assert four[0] == pytest.approx(10) and four[-1] == pytest.approx(1e5)
    assert four == sorted(four)
    assert lambda_schedule(1, 0, [7.0]) == 7.0
    with pytest.raises(ValueError, match="no lambda schedule for 1"):
        lambda_schedule(1, 0, kind="authors")
    # the default: the shipped model's 50, 2500, then 125000 held, for any number of epochs
    assert [lambda_schedule(10, e) for e in range(10)] == [50, 2500] + [125000] * 8
    assert lambda_schedule(1, 0) == 50


def test_loss_falls_and_eta_stays_in_range():
    from adapler.tokenization import WordPieceTokenizer
    from adapler.train import encode_split
    init = tiny_initial()
    model = init.model.train()
    cfg = TrainConfig(labels=["negative", "positive"], lr=1e-2, eta_lr=0.05, warmup=0.0, dropout=0.0)
    tok = WordPieceTokenizer.from_file(TOKENIZER)
    rows = encode_split(synthetic_rows(random.Random(2), 16), tok, cfg.labels, 24)
    sal = torch.rand(len(rows), 24)
    batch = collate(rows, "cpu", sal, torch.arange(len(rows)))
    main, sched, speed = make_optimizers(model, cfg, total_steps=40, with_eta=True)
    ces, etas = [], []
    for _ in range(20):
        stats = adapler_step(model, batch, cfg, 100.0, main, sched, speed)
        ces.append(stats["ce"])
        etas.append(model.eta.detach().clone())
    assert max(ces[-3:]) < 0.5 * ces[0], ces
    assert all(float(e.min()) >= 0.01 and float(e.max()) <= 1.0 for e in etas)
    assert any(not torch.equal(etas[0], e) for e in etas[1:]), "eta must move"


def test_eta_is_clipped_even_with_a_huge_eta_step():
    init = tiny_initial()
    model = init.model.train()
    cfg = TrainConfig(labels=["negative", "positive"], eta_lr=50.0, phi=10.0, dropout=0.0)
    from adapler.tokenization import WordPieceTokenizer
    from adapler.train import encode_split
    rows = encode_split(synthetic_rows(random.Random(4), 8), WordPieceTokenizer.from_file(TOKENIZER),
                        cfg.labels, 24)
    batch = collate(rows, "cpu", torch.rand(8, 24), torch.arange(8))
    main, sched, speed = make_optimizers(model, cfg, total_steps=4, with_eta=True)
    for _ in range(3):
        adapler_step(model, batch, cfg, 10.0, main, sched, speed)
        assert float(model.eta.min()) >= 0.01 and float(model.eta.max()) <= 1.0
    assert float(model.eta.max()) == 1.0 or float(model.eta.min()) == 0.01


def test_pick_best_rule():
    h = [{"epoch": 0, "validation": {"accuracy": 0.90, "speedup": 1.5}},
         {"epoch": 1, "validation": {"accuracy": 0.85, "speedup": 4.0}},   # too far from the teacher
         {"epoch": 2, "validation": {"accuracy": 0.895, "speedup": 2.5}}]
    assert pick_best(h, 0.90, "accuracy", 0.01)[0] == 2
    assert pick_best(h, 0.99, "accuracy", 0.01)[0] == 0  # none qualifies: best score


def test_full_run_resume_continues_where_it_stopped(data_dir, tmp_path):
    cfg = small_config(data_dir)
    whole = train(tmp_path / "whole", cfg, tiny_initial())
    assert whole["phase"] == "done"
    part = train(tmp_path / "parts", small_config(data_dir), tiny_initial(), stop_after=3)
    assert (part["phase"], part["epoch"]) == ("adapler", 1)
    resumed = train(tmp_path / "parts", resume=True)
    assert resumed["phase"] == "done"
    a = Checkpoint.load(tmp_path / "whole" / "best.pt")
    b = Checkpoint.load(tmp_path / "parts" / "best.pt")
    for (name, x), y in zip(a.model.state_dict().items(), b.model.state_dict().values()):
        assert torch.allclose(x, y, atol=1e-6), name
    assert a.metrics["selected_epoch"] == b.metrics["selected_epoch"]
    assert [h["validation"] for h in a.metrics["history"]] == [h["validation"] for h in b.metrics["history"]]
    for key in ("accuracy", "f1", "speedup"):
        assert key in a.metrics["validation"] and key in a.metrics["test"]
    assert a.metrics["validation"]["speedup"] >= 1.0 - 1e-9 or a.metrics["validation"]["speedup"] > 0
    assert (tmp_path / "whole" / "train.log").read_text().count("adapler epoch 1:") == 1
    assert a.metrics["teacher_saliency_epochs"] == [0, 1]  # 3 asked, only 2 teacher epochs exist


def test_cli_help():
    r = subprocess.run([sys.executable, "-m", "adapler.train", "--help"], capture_output=True, text=True,
                       cwd=ROOT / "model")
    assert r.returncode == 0
    for flag in ("--resume", "--device", "--backbone", "--gamma", "--phi", "--eta-lr", "--saliency-epochs"):
        assert flag in r.stdout


def test_limit_train_samples_across_a_sorted_file(tmp_path):
    from adapler.train import load_data
    rows = [{"text": "awful bad", "label": "negative"}] * 30 + [{"text": "great fine", "label": "positive"}] * 30
    for split in ("train", "validation"):
        with open(tmp_path / f"{split}.jsonl", "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    cfg = small_config(tmp_path, limit_train=20)
    splits = load_data(cfg, TOKENIZER, tmp_path / "cache.pt")
    labels = [label for _, _, label in splits["train"]]
    assert len(labels) == 20 and 0 < sum(labels) < 20  # both classes, though the file is sorted


def test_cp_lr_gives_the_cp_heads_their_own_learning_rate(data_dir):  # noqa: F811
    model = tiny_initial().model
    main, _, _ = make_optimizers(model, small_config(data_dir, cp_lr=1e-2), 10, with_eta=True)
    cp_ids = {id(p) for n, p in model.named_parameters() if n.startswith("cps.")}
    for group in main.param_groups:
        is_cp = {id(p) in cp_ids for p in group["params"]}
        assert len(is_cp) == 1  # a group is all CP heads or none
        assert group["initial_lr"] == (1e-2 if is_cp == {True} else small_config(data_dir).lr)
    same, _, _ = make_optimizers(model, small_config(data_dir, cp_lr=0.0), 10, with_eta=True)
    assert {g["initial_lr"] for g in same.param_groups} == {small_config(data_dir).lr}


def test_a_branch_reuses_the_teacher_and_trains_adapler_again_with_new_settings(data_dir, tmp_path):
    from adapler.training.branch import branch_run
    src = tmp_path / "src"
    train(src, small_config(data_dir), tiny_initial(), stop_after=2)  # the 2 teacher epochs
    with pytest.raises(ValueError, match="cannot change max_length"):
        branch_run(src, tmp_path / "bad", {"max_length": 32})
    branch_run(src, tmp_path / "b", {"eta_lr": 0.05, "epochs": 3, "lambdas": [10.0, 100.0, 1000.0]})
    done = train(tmp_path / "b", resume=True)
    assert done["phase"] == "done" and len(done["history"]) == 3
    source = torch.load(src / "state.pt")
    assert done["teacher_scores"] == source["teacher_scores"]
    assert torch.equal(torch.load(tmp_path / "b" / "saliency.pt"), torch.load(src / "saliency.pt"))
    best = Checkpoint.load(tmp_path / "b" / "best.pt")
    assert best.provenance["training"]["eta_lr"] == 0.05
    assert best.provenance["training"]["epochs"] == 3
    log = (tmp_path / "b" / "train.log").read_text()
    assert "teacher epoch 1:" in log and "branched" in log and "adapler epoch 2:" in log
    with pytest.raises(FileExistsError):
        branch_run(src, tmp_path / "b", {})


def test_only_a_finished_teacher_can_be_branched(data_dir, tmp_path):
    from adapler.training.branch import branch_run
    train(tmp_path / "src", small_config(data_dir), tiny_initial(), stop_after=1)
    with pytest.raises(ValueError, match="has not finished its teacher phase"):
        branch_run(tmp_path / "src", tmp_path / "b", {"eta_lr": 0.01})


def test_the_cli_branch_takes_only_the_settings_given(data_dir, tmp_path):
    from adapler.train import explicit_settings
    assert explicit_settings(["--from-teacher", "r", "--out", "o", "--eta-lr", "1e-3",
                              "--cp-lr=0.001", "--data", "d", "--device", "cpu"]) == ["eta_lr", "cp_lr"]


def test_a_short_run_with_the_default_settings_moves_eta_and_drops_tokens(data_dir, tmp_path):
    """No hyper-parameter given but the run's size: 2 AdapLeR epochs of 3 steps."""
    cfg = TrainConfig(data=str(data_dir), labels=["negative", "positive"], max_length=24, epochs=2,
                      teacher_epochs=2, max_steps_per_epoch=3, batch_size=8, eval_batch_size=16)
    done = train(tmp_path / "run", cfg, tiny_initial())
    last = done["history"][-1]
    assert min(last["eta"]) > 0.5, last["eta"]            # from 0.25
    assert last["validation"]["speedup"] > 1.1, last["validation"]
    assert min(last["validation"]["kept_share_per_layer"]) < 0.9


def test_the_defaults_are_the_shipped_models_settings():
    cfg = TrainConfig()
    assert (cfg.lr, cfg.cp_lr, cfg.eta_lr, cfg.epochs, cfg.phi, cfg.tolerance) == (5e-5, 1e-3, 2e-3, 10, 1e-3, -0.005)
    assert [lambda_schedule(cfg.epochs, e, cfg.lambdas, cfg.lambda_schedule) for e in range(3)] == [50, 2500, 125000]
    assert cfg.eta_lr_for(10 * 151) == 2e-3        # a full spam run: eta_lr as given
    assert cfg.eta_lr_for(6) == pytest.approx(0.1)  # 6 steps: eta can still travel 0.6


def test_a_run_saved_before_a_setting_existed_resumes_as_it_ran():
    old = {k: v for k, v in vars(TrainConfig()).items() if k not in ("bucket_batches", "lambda_schedule", "eta_travel")}
    cfg = TrainConfig.from_saved(old)
    assert (cfg.bucket_batches, cfg.lambda_schedule, cfg.eta_travel) == (0, "authors", 0.0)
