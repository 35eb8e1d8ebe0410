package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.calibration.CalibrationCurve;
import io.adapler.udf.calibration.CurvePoint;
import io.adapler.udf.spark.AdaplerCalibration;
import io.adapler.udf.spark.ScoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped models' published figures hold: the test-split metrics in each adapler.json
 * (accuracy, F1, FLOPs speedup and mean tokens per layer at each eta scale) are recomputed here
 * by scoring the committed test split through Spark and the Java runtime, not copied.
 * Tolerances: two mails of accuracy (the figures were written by another runtime, PyTorch, on
 * the same weights), 1% of speedup (the two FLOPs models round differently) and half a percent
 * of the input length per layer.
 */
class ShippedModelMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"spam-minilm", "spam-minilm-512", "spam-minilm-512-int8"})
  void theManifestsTestFiguresAreWhatTheJobMeasures(String name) throws Exception {
    Path bundle = JobTestSupport.root().resolve("samples/models/" + name);
    Path split = JobTestSupport.root().resolve("build/spam/test.jsonl");
    assertTrue(Files.exists(split), split + " is missing: run model/scripts/prepare-spam-data.sh "
        + "(./test.sh does)");
    Set<String> ids = new TreeSet<>();
    for (String line : Files.readAllLines(split)) {
      ids.add(JSON.readTree(line).get("id").asText());
    }
    assertEquals(new TreeSet<>(Files.readAllLines(
        JobTestSupport.root().resolve("samples/data/spam-assassin-test-ids.txt"))), ids,
        "build/spam/test.jsonl is not the committed test split");

    JsonNode published = JSON.readTree(bundle.resolve("adapler.json").toFile())
        .get("metrics").get("test_tradeoff");
    List<Float> scales = new ArrayList<>();
    published.forEach(p -> scales.add((float) p.get("eta_scale").asDouble()));
    float[] grid = new float[scales.size()];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = scales.get(i);
    }
    var rows = JobTestSupport.spark().read().json(split.toString()).repartition(2);
    CalibrationCurve curve = AdaplerCalibration.sweep(rows,
        ScoreOptions.builder(bundle.toString()).build(), "label", grid);
    assertEquals(ids.size(), curve.rows());

    for (JsonNode want : published) {
      double scale = want.get("eta_scale").asDouble();
      CurvePoint got = curve.points().stream().filter(p -> (float) p.etaScale() == (float) scale)
          .findFirst().orElseThrow();
      String at = "eta scale " + scale;
      assertEquals(want.get("accuracy").asDouble(), got.accuracy(), 2.0 / ids.size(), at);
      assertEquals(want.get("f1").asDouble(), got.f1(), 0.01, at);
      assertEquals(want.get("speedup").asDouble(), got.flopsSpeedup(),
          0.01 * want.get("speedup").asDouble(), at);
      JsonNode layers = want.get("mean_layer_lengths");
      double input = want.get("mean_input_length").asDouble();
      assertEquals(input, curve.meanInputLength(), 0.01, "mean input length");
      for (int l = 0; l < layers.size(); l++) {
        assertEquals(layers.get(l).asDouble(), got.meanLayerLengths()[l], 0.005 * input,
            at + ", layer " + l);
      }
    }
  }
}
