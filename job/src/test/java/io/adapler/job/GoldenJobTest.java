package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole Spark path against the PyTorch reference: the tiny bundle's golden texts go
 * through the job (singles and pairs) and come out with the reference's layer lengths and
 * probabilities, at every eta scale the goldens hold.
 */
class GoldenJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;

  static List<JsonNode> goldens() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(
        Path.of(JobTestSupport.tinyBundle()).resolve("golden.jsonl"))) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  /** Writes the golden rows (singles or pairs) as a JSON-lines corpus with a string id. */
  static Path corpus(List<JsonNode> rows, boolean pairs) throws Exception {
    Path file = dir.resolve(pairs ? "pairs.jsonl" : "singles.jsonl");
    List<String> lines = new ArrayList<>();
    for (JsonNode g : rows) {
      if (g.get("text_pair").isNull() == pairs) {
        continue;
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("id", "g" + g.get("id").asInt());
      o.put("text", g.get("text").asText());
      if (pairs) {
        o.put("text_pair", g.get("text_pair").asText());
      }
      lines.add(JSON.writeValueAsString(o));
    }
    Files.write(file, lines);
    return file;
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, 1f, 2f})
  void jobOutputEqualsTheReferenceLoop(float eta) throws Exception {
    List<JsonNode> goldens = goldens();
    int runIndex = -1;
    for (int k = 0; k < goldens.get(0).get("runs").size(); k++) {
      if (goldens.get(0).get("runs").get(k).get("eta_scale").floatValue() == eta) {
        runIndex = k;
      }
    }
    Map<String, Row> out = new HashMap<>();
    for (boolean pairs : new boolean[] {false, true}) {
      String output = dir.resolve("out-" + eta + "-" + pairs).toString();
      List<String> args = new ArrayList<>(List.of("--input", corpus(goldens, pairs).toString(),
          "--input-format", "json", "--id-column", "id", "--bundle", JobTestSupport.tinyBundle(),
          "--output", output, "--eta-scale", Float.toString(eta), "--partitions", "2",
          "--max-batch-rows", "7", "--summary", "false", "--progress-seconds", "0"));
      if (pairs) {
        args.addAll(List.of("--pair-column", "text_pair"));
      }
      JobTestSupport.runOk(args.toArray(String[]::new));
      JobTestSupport.spark().read().parquet(output).collectAsList()
          .forEach(r -> out.put(r.getAs("id"), r));
    }
    assertEquals(goldens.size(), out.size());
    int scored = 0;
    for (JsonNode g : goldens) {
      Row r = out.get("g" + g.get("id").asInt());
      if (g.get("input_length").asInt() == (g.get("text_pair").isNull() ? 2 : 3)) {
        assertEquals("EMPTY", r.getAs("status"), g.get("text").asText());
        continue;
      }
      assertEquals("OK", r.getAs("status"), () -> String.valueOf(r.getAs("error")));
      JsonNode run = g.get("runs").get(runIndex);
      List<Integer> lengths = r.getList(r.fieldIndex("layer_lengths"));
      for (int l = 0; l < lengths.size(); l++) {
        assertEquals(run.get("layer_lengths").get(l).asInt(), lengths.get(l), g.toString());
      }
      assertEquals(g.get("truncated").asBoolean(), r.getAs("truncated"));
      assertEquals(g.get("input_length").asInt(), (int) r.getAs("input_length"));
      double[] expected = softmax(run.get("logits"));
      List<Float> probs = r.getList(r.fieldIndex("probabilities"));
      for (int k = 0; k < expected.length; k++) {
        assertEquals(expected[k], probs.get(k), 1e-4);
      }
      scored++;
    }
    assertTrue(scored >= 300, "scored " + scored);
  }

  @Test
  void aMissingPairColumnFailsBeforeAnyOutputIsWritten() {
    JobTestSupport.Run r = JobTestSupport.run("--input", JobTestSupport.sampleCorpus(),
        "--input-format", "json", "--id-column", "id", "--pair-column", "no_such_column",
        "--bundle", JobTestSupport.tinyBundle(), "--output", dir.resolve("never").toString());
    assertEquals(ScoringJob.EXIT_INPUT, r.exitCode());
    assertTrue(r.err().contains("no_such_column"), r.err());
    assertTrue(Files.notExists(dir.resolve("never")));
  }

  private static double[] softmax(JsonNode logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (JsonNode x : logits) {
      max = Math.max(max, x.asDouble());
    }
    double[] p = new double[logits.size()];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits.get(i).asDouble() - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
