package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.report.RunMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input with no rows writes an empty output with the usual schema and a zero summary, and
 * the job ends: each test has a timeout, since a summary that Spark never reports must not
 * make the job wait forever. An input that has columns but not the text column still fails.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmptyInputTest {
  @TempDir static Path dir;

  static final List<String> SCORE_COLUMNS = List.of("label", "label_index", "probabilities",
      "input_length", "layer_lengths", "flops_speedup", "truncated", "status", "error");

  /** Runs the job on an input with key, body and source columns; checks the empty output. */
  static void assertEmptyOutput(Path input, String format, List<String> columns)
      throws Exception {
    Path out = dir.resolve("out-" + input.getFileName());
    JobTestSupport.Run run = JobTestSupport.runOk("--input", input.toString(), "--input-format",
        format, "--id-column", "key", "--text-column", "body", "--pass-through", "source",
        "--bundle", JobTestSupport.tinyBundle(), "--output", out.toString(),
        "--progress-seconds", "0");
    Dataset<Row> written = JobTestSupport.spark().read().parquet(out.toString());
    assertEquals(0, written.count());
    assertEquals(columns, List.of(written.columns()));
    if (!format.equals("parquet")) {  // json and csv read the id as a string; parquet keeps it
      assertEquals(DataTypes.StringType, written.schema().apply("id").dataType());
    }
    JsonNode s = new ObjectMapper().readTree(Files.readString(
        Path.of(ScoringJob.summaryDir(out.toString()), "summary.json")));
    assertEquals(0, s.get("rows").asLong());
    for (String status : List.of("OK", "EMPTY", "NULL", "ERROR")) {
      assertEquals(0, s.get("statusCounts").get(status).asLong(), status);
    }
    assertEquals(0, s.get("malformedRecords").asLong());
    assertEquals(0, s.get("corpusFlopsSpeedup").asDouble());
    assertTrue(run.out().contains("rows             0"), run.out());
  }

  static List<String> columns(boolean malformed) {
    List<String> c = new ArrayList<>(List.of("id", "source"));
    c.addAll(SCORE_COLUMNS);
    if (malformed) {
      c.add("malformed_record");
    }
    return c;
  }

  static Path emptyParquet(String name, StructType schema) {
    Path p = dir.resolve(name);
    JobTestSupport.spark().createDataFrame(List.<Row>of(), schema).write().parquet(p.toString());
    return p;
  }

  @Test
  void aParquetFileWithColumnsAndNoRows() throws Exception {
    Path input = emptyParquet("empty.parquet", new StructType().add("key", DataTypes.LongType)
        .add("body", DataTypes.StringType).add("source", DataTypes.StringType));
    assertEmptyOutput(input, "parquet", columns(false));
  }

  /** An empty json file has no schema to infer: the named columns are read as strings. */
  @Test
  void aJsonFileWithNoRecords() throws Exception {
    Path input = dir.resolve("empty.jsonl");
    Files.writeString(input, "");
    assertEmptyOutput(input, "json", columns(true));
  }

  @Test
  void aCsvFileWithOnlyAHeader() throws Exception {
    Path input = dir.resolve("header-only.csv");
    Files.writeString(input, "key,body,source\n");
    assertEmptyOutput(input, "csv", columns(true));
  }

  @Test
  void anEmptyCsvFile() throws Exception {
    Path input = dir.resolve("empty.csv");
    Files.writeString(input, "");
    assertEmptyOutput(input, "csv", columns(true));
  }

  @Test
  void columnsWithoutTheTextColumnStillFailBeforeAnyTask() throws Exception {
    Path parquet = emptyParquet("no-body.parquet", new StructType()
        .add("key", DataTypes.StringType).add("subject", DataTypes.StringType));
    Path json = dir.resolve("no-body.jsonl");
    Files.writeString(json, "{\"key\": \"a\", \"subject\": \"hello\"}\n");
    for (String[] input : List.of(new String[] {parquet.toString(), "parquet"},
        new String[] {json.toString(), "json"})) {
      Path out = dir.resolve("never-" + input[1]);
      JobTestSupport.Run r = JobTestSupport.run("--input", input[0], "--input-format", input[1],
          "--id-column", "key", "--text-column", "body", "--bundle", JobTestSupport.tinyBundle(),
          "--output", out.toString());
      assertEquals(ScoringJob.EXIT_INPUT, r.exitCode(), r.err());
      assertTrue(r.err().contains("column 'body' is not in the input " + input[0] + " ("
          + input[1] + "); its columns are [key, subject]"), r.err());
      assertTrue(Files.notExists(out));
    }
  }

  /** The guard against a hang: an observation that never reports is given up on, in time. */
  @Test
  @Timeout(30)
  void waitingForASummaryThatNeverComesEnds() throws Exception {
    Optional<?> metrics = RunMetrics.await(new Observation("never-attached"),
        Duration.ofMillis(200));
    assertTrue(metrics.isEmpty());
  }
}
