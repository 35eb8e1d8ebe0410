"""Length-bucketed batches and resuming a run from a save within an epoch."""

import json
import random

import pytest
import torch

from adapler.checkpoint import Checkpoint
from adapler.train import TrainConfig, train
from adapler.training.data import batches_of, bucketed_batches, epoch_batches, epoch_order
from test_train import small_config, synthetic_rows, tiny_initial


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    rng = random.Random(1)
    for split, n in (("train", 48), ("validation", 24), ("test", 16)):
        with open(d / f"{split}.jsonl", "w") as f:
            for r in synthetic_rows(rng, n):
                f.write(json.dumps(r) + "\n")
    return d


def lengths_of(n, seed=0):
    rng = random.Random(seed)
    return [rng.choice([rng.randint(3, 40), 512]) for _ in range(n)]


def test_bucketed_batches_cover_every_row_once_with_little_padding():
    lengths = lengths_of(1000)
    batches = bucketed_batches(lengths, 32, seed=42, epoch=0, phase="teacher", bucket_batches=4)
    rows = [r for b in batches for r in b]
    assert sorted(rows) == list(range(1000))
    assert len(batches) == len(batches_of(list(range(1000)), 32))  # as many steps as before
    assert sum(len(b) < 32 for b in batches) == 1                   # only one short batch
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    random_order = batches_of(epoch_order(1000, 42, 0, "teacher"), 32)
    padded_before = sum(len(b) * max(lengths[i] for i in b) for b in random_order)
    assert padded < 0.7 * padded_before, (padded, padded_before)
    assert padded <= 1.25 * sum(lengths)  # one bucket straddles the short rows and the 512s


def test_bucketed_batches_are_seeded_by_seed_phase_and_epoch():
    lengths = lengths_of(300)
    a = bucketed_batches(lengths, 16, 42, 0, "teacher", 4)
    assert a == bucketed_batches(lengths, 16, 42, 0, "teacher", 4)
    assert a != bucketed_batches(lengths, 16, 42, 1, "teacher", 4)
    assert a != bucketed_batches(lengths, 16, 42, 0, "adapler", 4)
    assert a != bucketed_batches(lengths, 16, 43, 0, "teacher", 4)
    # the batches themselves change between epochs, not only their order
    assert {tuple(sorted(b)) for b in a} != {tuple(sorted(b)) for b in bucketed_batches(lengths, 16, 42, 1, "teacher", 4)}


def test_zero_buckets_is_the_previous_random_order():
    lengths = lengths_of(100)
    cfg = TrainConfig(batch_size=8, bucket_batches=0, seed=5, max_steps_per_epoch=7)
    assert epoch_batches(lengths, cfg, 2, "adapler") == batches_of(epoch_order(100, 5, 2, "adapler"), 8, 7)
    assert TrainConfig().bucket_batches > 0  # bucketed by default


def assert_same_run(a_dir, b_dir):
    a = Checkpoint.load(a_dir / "best.pt")
    b = Checkpoint.load(b_dir / "best.pt")
    for (name, x), y in zip(a.model.state_dict().items(), b.model.state_dict().values()):
        assert torch.allclose(x, y, atol=1e-6), name
    assert [h["validation"] for h in a.metrics["history"]] == [h["validation"] for h in b.metrics["history"]]
    assert a.metrics["teacher_validation_accuracy"] == b.metrics["teacher_validation_accuracy"]


def test_a_run_stopped_within_epochs_resumes_to_the_same_weights(data_dir, tmp_path):
    cfg = dict(save_every_minutes=0.0)
    whole = train(tmp_path / "whole", small_config(data_dir, **cfg), tiny_initial())
    assert whole["phase"] == "done"
    # 6 steps an epoch: stop in teacher epoch 0, then in AdapLeR epoch 0
    part = train(tmp_path / "parts", small_config(data_dir, **cfg), tiny_initial(), stop_after_steps=3)
    assert (part["phase"], part["epoch"], part["step"]) == ("teacher", 0, 3)
    part = train(tmp_path / "parts", resume=True, stop_after_steps=10)
    assert (part["phase"], part["epoch"], part["step"]) == ("adapler", 0, 1)
    assert train(tmp_path / "parts", resume=True)["phase"] == "done"
    assert_same_run(tmp_path / "whole", tmp_path / "parts")
    log = (tmp_path / "parts" / "train.log").read_text()
    assert "teacher epoch 0: resuming at step 3/6" in log and "adapler epoch 0: resuming at step 1/6" in log


def test_a_killed_run_resumes_from_its_last_save(data_dir, tmp_path, monkeypatch):
    import adapler.training.adapler_phase as adapler_phase
    cfg = dict(save_every_steps=2, save_every_minutes=0.0)
    train(tmp_path / "whole", small_config(data_dir, **cfg), tiny_initial())
    real_step, calls = adapler_phase.adapler_step, []

    def dies_at_the_5th_step(*args, **kw):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt("killed")
        return real_step(*args, **kw)
    monkeypatch.setattr(adapler_phase, "adapler_step", dies_at_the_5th_step)
    with pytest.raises(KeyboardInterrupt):
        train(tmp_path / "killed", small_config(data_dir, **cfg), tiny_initial())
    state = torch.load(tmp_path / "killed" / "state.pt")
    assert (state["phase"], state["epoch"], state["step"]) == ("adapler", 0, 4)  # the last save
    monkeypatch.setattr(adapler_phase, "adapler_step", real_step)
    assert train(tmp_path / "killed", resume=True)["phase"] == "done"
    assert_same_run(tmp_path / "whole", tmp_path / "killed")


def test_the_adapler_phase_can_start_from_its_own_checkpoint(data_dir, tmp_path):
    start = tiny_initial(seed=7)
    with torch.no_grad():
        start.model.eta.fill_(0.6)
    start.save(tmp_path / "start.pt")
    cfg = small_config(data_dir, adapler_init=str(tmp_path / "start.pt"), epochs=2, lr=0.0, cp_lr=0.0,
                       eta_lr=0.0, eta_travel=0.0)
    train(tmp_path / "run", cfg, tiny_initial(), stop_after=2)  # the teacher from tiny_initial(0)
    teacher = Checkpoint.load(tmp_path / "run" / "teacher-epoch0.pt")
    assert Checkpoint.load(tmp_path / "run" / "adapler-initial.pt").tokenizer.max_length == 24
    train(tmp_path / "run", resume=True)
    best = Checkpoint.load(tmp_path / "run" / "best.pt")
    # lr 0: the AdapLeR phase's weights are the start's, not the teacher's nor the initial's
    assert torch.allclose(best.model.eta, torch.full((3,), 0.6))
    assert torch.equal(best.model.cps[0].dense.weight, start.model.cps[0].dense.weight)
    assert not torch.equal(best.model.cps[0].dense.weight, teacher.model.cps[0].dense.weight)
    assert best.provenance["training"]["adapler_init"] == str(tmp_path / "start.pt")


def test_a_start_eta_scale_with_eta_held_trains_at_that_operating_point(data_dir, tmp_path):
    start = tiny_initial(seed=7)
    with torch.no_grad():
        start.model.eta.copy_(torch.tensor([0.9, 0.5, 0.2]))
    start.save(tmp_path / "start.pt")
    cfg = small_config(data_dir, adapler_init=str(tmp_path / "start.pt"), epochs=2, eta_lr=0.0, eta_travel=0.0,
                       start_eta_scale=1.5)
    train(tmp_path / "run", cfg, tiny_initial())
    best = Checkpoint.load(tmp_path / "run" / "best.pt")
    # 0.9 x 1.5 is clipped to 1; eta is held there while the weights train
    assert torch.allclose(best.model.eta, torch.tensor([1.0, 0.75, 0.3]))
    assert not torch.equal(best.model.cps[0].dense.weight, start.model.cps[0].dense.weight)
    assert float(Checkpoint.load(tmp_path / "start.pt").model.eta[1]) == pytest.approx(0.5)  # the file is left alone
