import json

from adapler import java_report


def calibration(points, rows=606, source="build/spam/test.jsonl"):
    return {"bundle": "b", "input": source, "label_column": "label", "rows": rows,
            "mean_input_length": 120.33663, "curve": [
                {"eta_scale": s, "accuracy": a, "f1": f, "flops_speedup": x,
                 "mean_layer_lengths": [120.3, 60.0]} for s, a, f, x in points]}


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_the_java_figures_replace_the_manifest_metrics_and_keep_the_rest(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    write(bundle / "adapler.json", {"name": "b", "metrics": {"selected_epoch": 3,
                                                              "test_tradeoff": [{"eta_scale": 9}]}})
    teacher = write(tmp_path / "t.json", calibration([(0.0, 0.99, 0.98, 0.99)]))
    curve = write(tmp_path / "c.json", calibration([(0.0, 0.985, 0.97, 0.99),
                                                    (1.0, 0.982, 0.965, 3.2)]))
    assert java_report.main(["--bundle", str(bundle), "--teacher", teacher, "--curve", curve]) == 0
    metrics = json.loads((bundle / "adapler.json").read_text())["metrics"]
    assert metrics["selected_epoch"] == 3
    assert metrics["test_teacher"]["accuracy"] == 0.99
    assert [r["eta_scale"] for r in metrics["test_tradeoff"]] == [0.0, 1.0]
    one = metrics["test_tradeoff"][1]
    assert (one["speedup"], one["f1"], one["mean_input_length"]) == (3.2, 0.965, 120.34)
    assert "Java job" in metrics["test_measured_by"]


def test_figures_from_different_splits_are_refused(tmp_path, capsys):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    write(bundle / "adapler.json", {"name": "b"})
    teacher = write(tmp_path / "t.json", calibration([(0.0, 0.99, 0.98, 0.99)], rows=616,
                                                     source="build/spam/validation.jsonl"))
    curve = write(tmp_path / "c.json", calibration([(1.0, 0.98, 0.97, 3.0)]))
    assert java_report.main(["--bundle", str(bundle), "--teacher", teacher,
                             "--curve", curve]) == 2
    assert "different data" in capsys.readouterr().err
    assert "metrics" not in json.loads((bundle / "adapler.json").read_text())


def test_the_published_curve_stops_after_the_first_point_past_the_drop(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    write(bundle / "adapler.json", {"name": "b"})
    teacher = write(tmp_path / "t.json", calibration([(0.0, 0.99, 0.98, 0.99)]))
    curve = write(tmp_path / "c.json", calibration([(2.0, 0.70, 0.1, 9.0), (0.0, 0.985, 0.97, 0.99),
                                                    (1.0, 0.97, 0.96, 3.0), (1.5, 0.95, 0.9, 4.6)]))
    assert java_report.main(["--bundle", str(bundle), "--teacher", teacher, "--curve", curve]) == 0
    rows = json.loads((bundle / "adapler.json").read_text())["metrics"]["test_tradeoff"]
    assert [r["eta_scale"] for r in rows] == [0.0, 1.0, 1.5]  # 0.95 < 0.99 - 0.03: the last one
