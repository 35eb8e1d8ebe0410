package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.tokenize.TextRow;
import java.nio.charset.StandardCharsets;
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
 * The job end to end in local[2] mode on the sample corpus: every input row comes back once,
 * with what the runtime computes for it directly, and the summary adds up.
 */
class LocalJobTest {
  @TempDir static Path dir;
  static Map<String, Row> output = new HashMap<>();
  static JobTestSupport.Run run;
  static List<JsonNode> corpus = new ArrayList<>();

  @BeforeAll
  static void scoreTheSampleCorpus() throws Exception {
    run = JobTestSupport.runOk("--input", JobTestSupport.sampleCorpus(), "--input-format", "json",
        "--id-column", "id", "--pass-through", "gold_label", "--bundle", JobTestSupport.tinyBundle(),
        "--output", dir.resolve("out").toString(), "--partitions", "3", "--chunk-rows", "50",
        "--progress-seconds", "0");
    for (Row r : JobTestSupport.spark().read().parquet(dir.resolve("out").toString())
        .collectAsList()) {
      output.put(r.getAs("id"), r);
    }
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()))) {
      corpus.add(json.readTree(line));
    }
  }

  @Test
  void everyInputRowComesBackOnceWithTheOutputSchema() {
    assertEquals(corpus.size(), JobTestSupport.spark().read()
        .parquet(dir.resolve("out").toString()).count());
    assertEquals(corpus.size(), output.size());
    for (JsonNode c : corpus) {
      Row r = output.get(c.get("id").asText());
      assertEquals(c.get("gold_label").asText(), r.getAs("gold_label"));
      assertTrue(r.isNullAt(r.fieldIndex("malformed_record")));
    }
    assertEquals(List.of("id", "gold_label", "label", "label_index", "probabilities",
        "input_length", "layer_lengths", "flops_speedup", "truncated", "status", "error",
        "malformed_record"),
        List.of(JobTestSupport.spark().read().parquet(dir.resolve("out").toString()).columns()));
  }

  @Test
  void rowsEqualTheRuntimesDirectResults() throws Exception {
    AdaplerRuntime runtime = JobTestSupport.runtime(JobTestSupport.tinyBundle());
    List<TextRow> texts = corpus.stream().map(c -> TextRow.of(c.get("text").asText())).toList();
    List<RowResult> direct = runtime.score(texts, 1f);
    double full = 0;
    double adaptive = 0;
    for (int i = 0; i < corpus.size(); i++) {
      Row r = output.get(corpus.get(i).get("id").asText());
      RowResult d = direct.get(i);
      assertEquals("OK", r.getAs("status"));
      assertEquals(d.label(), r.getAs("label"));
      assertEquals(d.labelIndex(), (int) r.getAs("label_index"));
      assertEquals(d.inputLength(), (int) r.getAs("input_length"));
      assertEquals(d.truncated(), r.getAs("truncated"));
      assertArrayEquals(d.layerLengths(), r.getList(r.fieldIndex("layer_lengths")).stream()
          .mapToInt(x -> (Integer) x).toArray());
      List<Float> probs = r.getList(r.fieldIndex("probabilities"));
      for (int k = 0; k < d.probabilities().length; k++) {
        assertEquals(d.probabilities()[k], probs.get(k), 1e-6);
      }
      assertEquals(d.flopsSpeedup(), (double) r.getAs("flops_speedup"), 1e-9);
      full += d.fullFlops();
      adaptive += d.adaptiveFlops();
    }
    JsonNode summary = new ObjectMapper().readTree(
        Files.readString(Path.of(ScoringJob.summaryDir(dir.resolve("out").toString()),
            "summary.json")));
    assertEquals(full / adaptive, summary.get("corpusFlopsSpeedup").asDouble(), 1e-9);
    assertTrue(full / adaptive > 1.5, "the tiny bundle drops tokens at eta scale 1");
  }

  @Test
  void summaryCountsAndMeansAddUp() throws Exception {
    Path json = Path.of(ScoringJob.summaryDir(dir.resolve("out").toString()), "summary.json");
    JsonNode s = new ObjectMapper().readTree(Files.readString(json));
    assertEquals(corpus.size(), s.get("rows").asLong());
    assertEquals(corpus.size(), s.get("statusCounts").get("OK").asLong());
    assertEquals(0, s.get("malformedRecords").asLong());
    long truncated = output.values().stream().filter(r -> (Boolean) r.getAs("truncated")).count();
    assertEquals(truncated, s.get("truncatedRows").asLong());
    for (int l = 0; l < 3; l++) {
      final int layer = l;
      double mean = output.values().stream()
          .mapToInt(r -> (Integer) r.getList(r.fieldIndex("layer_lengths")).get(layer))
          .average().orElseThrow();
      assertEquals(mean, s.get("meanLayerLengths").get(l).asDouble(), 1e-9);
    }
    String html = Files.readString(json.resolveSibling("summary.html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("<svg") && html.contains("layer 2"), html);
    assertTrue(run.out().contains("FLOPs speedup"), run.out());
  }
}
