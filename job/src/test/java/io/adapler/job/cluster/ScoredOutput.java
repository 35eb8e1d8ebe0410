package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Job outputs read back and checked: every sample mail scored OK once; or, for the
 * executor-loss tests, a larger corpus made from the sample mails and an output compared by id
 * with a reference output.
 */
final class ScoredOutput {
  /** Probabilities may differ by float noise only (the same graph on the same CPU). */
  static final double PROBABILITY_TOLERANCE = 1e-6;

  private ScoredOutput() {}

  /** The columns compared per row; arrays as lists. */
  record ScoredRow(String label, String status, List<Object> layerLengths,
      List<Object> probabilities, Object inputLength, Object truncated) {}

  /**
   * Writes {@code copies} copies of the sample corpus as JSON lines, each copy's ids and texts
   * made distinct ("c3/easy-ham-2/00224...", the text led by "[3] "), so no two rows are alike.
   *
   * @return the number of rows written
   */
  static long writeCorpus(Path file, int copies) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> sample = Files.readAllLines(ClusterPaths.sampleCorpus());
    Files.createDirectories(file.getParent());
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int c = 0; c < copies; c++) {
        for (String line : sample) {
          if (line.isBlank()) {
            continue;
          }
          ObjectNode row = (ObjectNode) json.readTree(line);
          row.put("id", "c" + c + "/" + row.get("id").asText());
          if (row.hasNonNull("text")) {
            row.put("text", "[" + c + "] " + row.get("text").asText());
          }
          w.write(json.writeValueAsString(row));
          w.write('\n');
          rows++;
        }
      }
    }
    return rows;
  }

  /**
   * Reads an output back, checking on the way that no id appears twice.
   *
   * @return the rows by id
   */
  static Map<String, ScoredRow> read(SparkSession spark, Path output) {
    List<Row> rows = spark.read().parquet(output.toString())
        .select("id", "label", "status", "layer_lengths", "probabilities", "input_length",
            "truncated").collectAsList();
    Map<String, ScoredRow> byId = new TreeMap<>();
    List<String> duplicates = new ArrayList<>();
    for (Row r : rows) {
      ScoredRow s = new ScoredRow(r.getString(1), r.getString(2), list(r.get(3)),
          list(r.get(4)), r.get(5), r.get(6));
      if (byId.put(r.getString(0), s) != null) {
        duplicates.add(r.getString(0));
      }
    }
    assertTrue(duplicates.isEmpty(), () -> duplicates.size() + " duplicate ids in " + output
        + ", e.g. " + duplicates.subList(0, Math.min(5, duplicates.size())));
    return byId;
  }

  /**
   * Asserts that an output has exactly the reference's ids, once each, and per id the same
   * label, status, input and layer lengths, and probabilities within
   * {@link #PROBABILITY_TOLERANCE}.
   */
  static void assertSameRows(Map<String, ScoredRow> reference, Map<String, ScoredRow> actual,
      String what) {
    List<String> missing = reference.keySet().stream().filter(id -> !actual.containsKey(id))
        .toList();
    List<String> extra = actual.keySet().stream().filter(id -> !reference.containsKey(id))
        .toList();
    assertTrue(missing.isEmpty() && extra.isEmpty(), () -> what + ": " + missing.size()
        + " ids missing (e.g. " + head(missing) + "), " + extra.size() + " unexpected (e.g. "
        + head(extra) + ")");
    for (Map.Entry<String, ScoredRow> e : reference.entrySet()) {
      ScoredRow ref = e.getValue();
      ScoredRow got = actual.get(e.getKey());
      String where = what + ", row " + e.getKey();
      assertEquals(ref.label(), got.label(), where + ", label");
      assertEquals(ref.status(), got.status(), where + ", status");
      assertEquals(ref.layerLengths(), got.layerLengths(), where + ", layer_lengths");
      assertEquals(ref.inputLength(), got.inputLength(), where + ", input_length");
      assertEquals(ref.truncated(), got.truncated(), where + ", truncated");
      assertEquals(ref.probabilities().size(), got.probabilities().size(), where);
      for (int i = 0; i < ref.probabilities().size(); i++) {
        assertEquals(((Number) ref.probabilities().get(i)).doubleValue(),
            ((Number) got.probabilities().get(i)).doubleValue(), PROBABILITY_TOLERANCE,
            where + ", probabilities[" + i + "]");
      }
    }
  }

  /** The output holds every id of the sample corpus once, each with status OK. */
  static void assertEverySampleRowOk(SparkSession spark, Path output) throws IOException {
    Set<String> inputIds = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(ClusterPaths.sampleCorpus())) {
      if (!line.isBlank()) {
        inputIds.add(json.readTree(line).get("id").asText());
      }
    }
    List<Row> rows = spark.read().parquet(output.toString()).select("id", "status")
        .collectAsList();
    assertEquals(inputIds.size(), rows.size());
    Set<String> outputIds = new TreeSet<>();
    for (Row r : rows) {
      outputIds.add(r.getString(0));
      assertEquals("OK", r.getString(1), () -> "row " + r.getString(0));
    }
    assertEquals(inputIds, outputIds);
  }

  private static List<Object> list(Object seq) {
    return seq == null ? null : new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(
        (scala.collection.Seq<?>) seq));
  }

  private static List<String> head(List<String> ids) {
    return ids.subList(0, Math.min(5, ids.size()));
  }
}
