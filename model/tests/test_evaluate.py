"""The test-split report of a finished run: figures recomputed independently, stored in best.pt."""

import torch

from adapler.checkpoint import Checkpoint
from adapler.evaluate import main as evaluate_main
from adapler.flops import speedup
from adapler.train import train
from test_train import data_dir, small_config, tiny_initial  # noqa: F401 (fixture)


def test_report_matches_a_direct_count_and_lands_in_the_checkpoint(data_dir, tmp_path, capsys):  # noqa: F811
    run = tmp_path / "run"
    train(run, small_config(data_dir), tiny_initial())
    assert evaluate_main(["--run", str(run), "--scales", "0,1,2"]) == 0
    table = capsys.readouterr().out
    assert "| teacher (full length) |" in table and "| AdapLeR | 2 |" in table
    best = Checkpoint.load(run / "best.pt")
    rows = best.metrics["test_tradeoff"]
    assert [r["eta_scale"] for r in rows] == [0.0, 1.0, 2.0]
    assert rows[0]["speedup"] < 1.0  # eta 0 keeps every token and pays for the CPs
    # recompute the eta-2 figures one row at a time, outside the batched evaluation
    test = torch.load(run / "data-cache.pt")["splits"]["test"]
    correct, profiles = 0, []
    with torch.no_grad():
        for ids, types, label in test:
            logits, lengths, _ = best.model(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long),
                                            torch.tensor([types]), torch.tensor(2.0))
            correct += int(logits[0].argmax()) == label
            profiles.append((len(ids), lengths[0].tolist()))
    assert rows[2]["accuracy"] == correct / len(test)
    assert abs(rows[2]["speedup"] - speedup(profiles, best.model.geometry)) < 1e-9
    assert "test_teacher" in best.metrics and best.metrics["test_teacher"]["rows"] == len(test)
