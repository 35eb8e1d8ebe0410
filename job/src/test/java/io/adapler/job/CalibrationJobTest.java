package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.job.options.CalibrationOptions;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.flops.FlopsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration mode on the tiny bundle and a hand-made labelled set whose curve is known
 * from the PyTorch goldens: accuracy, F1 and FLOPs speedup at eta scales 0, 1 and 2 are
 * computed here from the golden logits and layer lengths, then compared with what the job
 * measured through Spark; the recommendation and the calibrated bundle are checked too.
 */
class CalibrationJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[] SCALES = {0f, 1f, 2f};
  @TempDir static Path dir;
  static Path labelled;
  static List<JsonNode> used = new ArrayList<>();
  static Map<Integer, Integer> gold = new HashMap<>();

  /**
   * The sentence pairs of the goldens whose logits are clearly apart at every scale (so float
   * noise cannot flip a prediction; the tiny model's predictions change with the eta scale
   * only on pairs); the label is the eta-0 prediction for three rows in four and the other class
   * for the fourth, so accuracy is neither 0 nor 1 and falls at eta scale 2. Plus rows that must
   * be left out.
   */
  @BeforeAll
  static void writeLabelledSet() throws Exception {
    List<String> labels = List.of("negative", "positive");
    List<String> lines = new ArrayList<>();
    for (JsonNode g : GoldenJobTest.goldens()) {
      if (g.get("text_pair").isNull() || !clear(g)) {
        continue;
      }
      int id = g.get("id").asInt();
      int label = predicted(g, 0) == 1 ^ id % 4 == 0 ? 1 : 0;
      used.add(g);
      gold.put(id, label);
      ObjectNode o = JSON.createObjectNode().put("id", "g" + id).put("text", g.get("text").asText())
          .put("text_pair", g.get("text_pair").asText()).put("label", labels.get(label));
      lines.add(JSON.writeValueAsString(o));
    }
    lines.add("{\"id\": \"null-text\", \"text\": null, \"text_pair\": \"x\", "
        + "\"label\": \"positive\"}");
    lines.add("{\"id\": \"unknown-label\", \"text\": \"hello\", \"text_pair\": \"there\", "
        + "\"label\": \"maybe\"}");
    lines.add("{\"id\": \"no-label\", \"text\": \"hello\", \"text_pair\": \"there\", "
        + "\"label\": null}");
    lines.add("{\"id\": \"empty\", \"text\": \"  \", \"text_pair\": \" \", "
        + "\"label\": \"negative\"}");
    labelled = dir.resolve("labelled.jsonl");
    Files.write(labelled, lines);
    assertTrue(used.size() > 60, "too few clear golden pairs: " + used.size());
  }

  static boolean clear(JsonNode g) {
    for (JsonNode run : g.get("runs")) {
      JsonNode l = run.get("logits");
      if (Math.abs(l.get(0).asDouble() - l.get(1).asDouble()) < 1e-3) {
        return false;
      }
    }
    return true;
  }

  static JsonNode run(JsonNode g, float scale) {
    for (JsonNode r : g.get("runs")) {
      if ((float) r.get("eta_scale").asDouble() == scale) {
        return r;
      }
    }
    throw new IllegalStateException("no run at " + scale);
  }

  static int predicted(JsonNode g, float scale) {
    JsonNode l = run(g, scale).get("logits");
    return l.get(1).asDouble() > l.get(0).asDouble() ? 1 : 0;
  }

  /** {accuracy, F1 of class 1, FLOPs speedup} at a scale, from the goldens alone. */
  static double[] expected(float scale) throws Exception {
    FlopsModel flops = FlopsModel.of(bundle().manifest().geometry());
    long right = 0;
    long tp = 0;
    long fp = 0;
    long fn = 0;
    double full = 0;
    double adaptive = 0;
    for (JsonNode g : used) {
      int p = predicted(g, scale);
      int y = gold.get(g.get("id").asInt());
      right += p == y ? 1 : 0;
      tp += p == 1 && y == 1 ? 1 : 0;
      fp += p == 1 && y == 0 ? 1 : 0;
      fn += p == 0 && y == 1 ? 1 : 0;
      JsonNode lengths = run(g, scale).get("layer_lengths");
      int[] ls = new int[lengths.size()];
      for (int i = 0; i < ls.length; i++) {
        ls[i] = lengths.get(i).asInt();
      }
      full += flops.fullFlops(g.get("input_length").asInt());
      adaptive += flops.adaptiveFlops(ls);
    }
    return new double[] {right / (double) used.size(), 2.0 * tp / (2.0 * tp + fp + fn),
        full / adaptive};
  }

  static ModelBundle bundle() throws Exception {
    return BundleLoader.shared().load(JobTestSupport.tinyBundle());
  }

  static JobTestSupport.Run calibrate(String out, String... more) {
    JobTestSupport.spark();
    List<String> args = new ArrayList<>(List.of("--input", labelled.toString(), "--input-format",
        "json", "--pair-column", "text_pair", "--label-column", "label",
        "--bundle", JobTestSupport.tinyBundle(), "--eta-scales", "1,2", "--output", out));
    args.addAll(List.of(more));
    var o = new java.io.ByteArrayOutputStream();
    var e = new java.io.ByteArrayOutputStream();
    int code = CalibrationJob.run(args.toArray(String[]::new), new java.io.PrintStream(o, true),
        new java.io.PrintStream(e, true));
    return new JobTestSupport.Run(code, o.toString(), e.toString());
  }

  @Test
  void theCurveIsWhatTheGoldensSay() throws Exception {
    JobTestSupport.Run r = calibrate(dir.resolve("curve").toString(), "--max-accuracy-drop", "1");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    JsonNode report = JSON.readTree(dir.resolve("curve/calibration.json").toFile());
    assertEquals(used.size(), report.get("rows").asLong());
    JsonNode left = report.get("rows_left_out");
    assertEquals(1, left.get("null text").asLong());
    assertEquals(2, left.get("no usable label").asLong());
    assertEquals(1, left.get("empty").asLong());
    JsonNode curve = report.get("curve");
    assertEquals(3, curve.size());
    double bestSpeedup = 0;
    for (int i = 0; i < SCALES.length; i++) {
      JsonNode p = curve.get(i);
      assertEquals(SCALES[i], p.get("eta_scale").asDouble(), 0);
      double[] want = expected(SCALES[i]);
      assertEquals(want[0], p.get("accuracy").asDouble(), 1e-12, "accuracy at " + SCALES[i]);
      assertEquals(want[1], p.get("f1").asDouble(), 1e-12, "F1 at " + SCALES[i]);
      assertEquals(want[2], p.get("flops_speedup").asDouble(), 1e-9 * want[2], "speedup");
      bestSpeedup = Math.max(bestSpeedup, want[2]);
    }
    assertTrue(expected(2f)[2] > expected(1f)[2] && expected(1f)[2] > 1.2, "tokens really drop");
    assertTrue(expected(2f)[0] < expected(0f)[0], "the set's accuracy falls at eta scale 2");
    // a drop of 1 accepts every point: the fastest one is recommended
    assertEquals(bestSpeedup, report.get("recommended").get("flops_speedup").asDouble(), 1e-9);
    assertTrue(r.out().contains("<- recommended"), r.out());
    String html = Files.readString(dir.resolve("curve/calibration.html"));
    assertTrue(html.contains("<svg") && html.contains("FLOPs speedup over the full model")
        && html.contains(">eta 0") && !html.contains("<script"), html);
  }

  @Test
  void aTightCriterionKeepsTheAccuracyAndATargetPicksTheMostAccurateFastEnoughPoint()
      throws Exception {
    double acc0 = expected(0f)[0];
    float best = 0;
    for (float s : new float[] {1f, 2f}) { // the fastest point with accuracy >= eta 0's
      if (expected(s)[0] >= acc0 && expected(s)[2] > expected(best)[2]) {
        best = s;
      }
    }
    JobTestSupport.Run r = calibrate(dir.resolve("tight").toString(), "--max-accuracy-drop", "0");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode rec = JSON.readTree(dir.resolve("tight/calibration.json").toFile()).get("recommended");
    assertEquals(best, rec.get("eta_scale").asDouble(), 0);

    double target = expected(1f)[2] * 0.999; // eta 1 and 2 reach it: the more accurate one wins
    float want = expected(2f)[0] > expected(1f)[0] ? 2f : 1f;
    r = calibrate(dir.resolve("target").toString(), "--target-speedup", String.valueOf(target));
    assertEquals(0, r.exitCode(), r.err());
    rec = JSON.readTree(dir.resolve("target/calibration.json").toFile()).get("recommended");
    assertEquals(want, rec.get("eta_scale").asDouble(), 0);

    r = calibrate(dir.resolve("unreachable").toString(), "--target-speedup", "1000");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(JSON.readTree(dir.resolve("unreachable/calibration.json").toFile())
        .get("recommended").isNull());
    assertTrue(r.out().contains("no eta scale of the grid meets"), r.out());
  }

  @Test
  void theCalibratedBundleScoresAtItsOperatingPointByDefault() throws Exception {
    Path written = dir.resolve("calibrated-bundle");
    JobTestSupport.Run r = calibrate(dir.resolve("for-bundle").toString(), "--target-speedup",
        String.valueOf(expected(2f)[2] * 0.999), "--write-bundle", written.toString());
    assertEquals(0, r.exitCode(), r.err());
    ModelBundle calibrated = BundleLoader.shared().load(written.toString());
    assertEquals(2f, calibrated.manifest().defaultEtaScale());
    assertTrue(calibrated.manifest().operatingPoint().calibratedOn().contains("label column"));
    assertEquals(1f, bundle().manifest().defaultEtaScale(), "the source bundle is unchanged");

    String out = dir.resolve("scored-by-default").toString();
    JobTestSupport.Run scored = JobTestSupport.runOk("--input", labelled.toString(),
        "--input-format", "json", "--id-column", "id", "--pair-column", "text_pair", "--bundle",
        written.toString(),
        "--output", out);
    assertTrue(scored.out().contains("calibrated operating point"), scored.out());
    Map<String, JsonNode> byId = new HashMap<>();
    used.forEach(g -> byId.put("g" + g.get("id").asInt(), g));
    int checked = 0;
    for (Row row : JobTestSupport.spark().read().parquet(out).collectAsList()) {
      JsonNode g = byId.get(row.<String>getAs("id"));
      if (g != null) {
        List<Integer> lengths = row.getList(row.fieldIndex("layer_lengths"));
        List<Integer> want = new ArrayList<>();
        run(g, 2f).get("layer_lengths").forEach(n -> want.add(n.asInt()));
        assertEquals(want, lengths, row.<String>getAs("id"));
        checked++;
      }
    }
    assertEquals(used.size(), checked);
  }

  @Test
  void badOptionsAndInputsSayWhatToFix() {
    assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.parse("--input", "x",
        "--bundle", "b", "--output", "o"), "no label column");
    var both = assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.parse(
        "--input", "x", "--bundle", "b", "--output", "o", "--label-column", "y",
        "--max-accuracy-drop", "0.01", "--target-speedup", "2"));
    assertTrue(both.getMessage().contains("not both"));
    var scales = assertThrows(IllegalArgumentException.class, () -> CalibrationOptions.parse(
        "--input", "x", "--bundle", "b", "--output", "o", "--label-column", "y",
        "--eta-scales", "0,fast"));
    assertTrue(scales.getMessage().contains("'fast'"));
    JobTestSupport.Run r = calibrate(dir.resolve("bad-label").toString(), "--label-column", "nope");
    assertEquals(ScoringJob.EXIT_INPUT, r.exitCode());
    assertTrue(r.err().contains("'nope' is not in the input"), r.err());
  }
}
