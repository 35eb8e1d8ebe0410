package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job as a scheduled pipeline step on Delta tables, through real Delta Lake in local
 * mode: a day's partition read through a filter, incremental days appended, a retried run
 * writing nothing twice, a table by name, and the reconciliation in summary.json.
 */
class LakehouseTablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** {@code n} sample mails as json lines with ids {@code prefix-i} and a day column. */
  private Path mails(String name, String prefix, int from, int n, String day) throws Exception {
    List<String> sample = Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()));
    List<String> lines = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      JsonNode m = JSON.readTree(sample.get(i % sample.size()));
      ObjectNode row = JSON.createObjectNode().put("id", prefix + "-" + i)
          .put("text", m.get("text").asText()).put("gold_label", m.get("gold_label").asText())
          .put("day", day);
      lines.add(JSON.writeValueAsString(row));
    }
    Path file = dir.resolve(name + ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private static List<String> args(String input, String output, String... more) {
    List<String> a = new ArrayList<>(List.of("--input", input, "--id-column", "id",
        "--pass-through", "gold_label,day", "--bundle", JobTestSupport.tinyBundle(),
        "--output", output, "--progress-seconds", "0", "--summary-examples", "false"));
    a.addAll(List.of(more));
    return a;
  }

  private static JobTestSupport.Run run(List<String> args) {
    return JobTestSupport.runOk(args.toArray(String[]::new));
  }

  private static Set<String> ids(Dataset<Row> rows) {
    return new TreeSet<>(rows.select("id").as(Encoders.STRING()).collectAsList());
  }

  private static JsonNode reconciliation(String output) throws Exception {
    return JSON.readTree(Files.readString(Path.of(ScoringJob.summaryDir(output),
        "summary.json"))).get("reconciliation");
  }

  @Test
  void dayTwoIncrementalScoresOnlyItsNewRowsAndARetryWritesNothing() throws Exception {
    SparkSession spark = JobTestSupport.spark();
    String table = dir.resolve("scores").toString();
    Path day1 = mails("day1", "m", 0, 30, "2026-12-01");
    run(args(day1.toString(), table, "--output-format", "delta", "--incremental", "true"));
    assertEquals(30, spark.read().format("delta").load(table).count());

    // day two: the corpus grew by 20 mails; the 30 of day one are still in it
    List<String> grown = new ArrayList<>(Files.readAllLines(day1));
    grown.addAll(Files.readAllLines(mails("new", "m", 30, 20, "2026-12-02")));
    Path day2 = Files.write(dir.resolve("day2.jsonl"), grown, StandardCharsets.UTF_8);
    JobTestSupport.Run second = run(args(day2.toString(), table, "--output-format", "delta",
        "--incremental", "true"));
    assertTrue(second.out().contains("reconciled       OK: read 20, skipped as already scored "
        + "30, written 20, output gained 20"), second.out());
    JsonNode r = reconciliation(table);
    assertEquals(20, r.get("rowsRead").asLong());
    assertEquals(30, r.get("rowsSkipped").asLong());
    assertEquals("OK", r.get("verdict").asText());

    // the scheduler retries day two: every id is there, nothing is written
    JobTestSupport.Run retry = run(args(day2.toString(), table, "--output-format", "delta",
        "--incremental", "true"));
    assertTrue(retry.out().contains("read 0, skipped as already scored 50, written 0"),
        retry.out());
    Dataset<Row> all = spark.read().format("delta").load(table);
    assertEquals(50, all.count());
    assertEquals(50, ids(all).size());
    assertEquals(20, all.where("day = '2026-12-02'").count());
  }

  @Test
  void incrementalDaysOnAParquetDirectoryAppendOnlyNewIds() throws Exception {
    String out = dir.resolve("parquet-scores").toString();
    Path day1 = mails("p1", "q", 0, 12, "2026-12-01");
    run(args(day1.toString(), out, "--incremental", "true"));
    List<String> grown = new ArrayList<>(Files.readAllLines(day1));
    grown.addAll(Files.readAllLines(mails("p2", "q", 12, 7, "2026-12-02")));
    Path day2 = Files.write(dir.resolve("p-day2.jsonl"), grown, StandardCharsets.UTF_8);
    JobTestSupport.Run second = run(args(day2.toString(), out, "--incremental", "true"));
    assertTrue(second.out().contains("reconciled       OK: read 7, skipped as already scored 12, "
        + "written 7, output gained 7"), second.out());
    Dataset<Row> all = JobTestSupport.spark().read().parquet(out);
    assertEquals(19, all.count());
    assertEquals(19, ids(all).size());
  }

  @Test
  void aPlainRunRetriedWithTheSameArgumentsIsSkippedByDelta() throws Exception {
    SparkSession spark = JobTestSupport.spark();
    String table = dir.resolve("plain").toString();
    List<String> a = args(mails("c", "p", 0, 25, "2026-12-01").toString(), table,
        "--output-format", "delta", "--partition-by", "gold_label");
    run(a);
    JobTestSupport.Run retry = run(a);
    assertTrue(retry.out().contains("already holds this run's append (Delta application id "
        + "adapler-"), retry.out());
    Dataset<Row> rows = spark.read().format("delta").load(table);
    assertEquals(25, rows.count());
    assertEquals(25, ids(rows).size());
    // partitioned as asked: one directory per label under the table
    try (var files = Files.list(Path.of(table))) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("gold_label=")));
    }
    assertEquals(1L, spark.sql("DESCRIBE HISTORY delta.`" + table + "`").count());
  }

  @Test
  void oneDayOfADeltaCorpusIsReadThroughTheFilterAndATableIsReadByName() throws Exception {
    SparkSession spark = JobTestSupport.spark();
    String corpus = dir.resolve("corpus").toString();
    spark.read().json(mails("c1", "a", 0, 12, "2026-12-01").toString())
        .union(spark.read().json(mails("c2", "b", 12, 8, "2026-12-02").toString()))
        .write().format("delta").partitionBy("day").save(corpus);
    String scores = dir.resolve("day2-scores").toString();
    JobTestSupport.Run run = run(args(corpus, scores, "--input-filter", "day = '2026-12-02'",
        "--output-format", "delta"));
    assertTrue(run.out().contains("reading " + corpus + " as delta: it holds a _delta_log"),
        run.out()); // no --input-format: the table's log says what it is
    Dataset<Row> scored = spark.read().format("delta").load(scores);
    assertEquals(8, scored.count());
    assertTrue(ids(scored).stream().allMatch(id -> id.startsWith("b-")), ids(scored).toString());

    // a table of the session's catalog, by name; the summary where --summary-dir says
    String view = "mails_" + Math.abs(dir.hashCode());
    spark.read().format("delta").load(corpus).where("day = '2026-12-01'").createOrReplaceTempView(view);
    String out = dir.resolve("by-name").toString();
    String summaryDir = dir.resolve("summaries/day1").toString();
    run(args(view, out, "--input-format", "table", "--summary-dir", summaryDir));
    assertEquals(12, ids(spark.read().parquet(out)).size());
    assertEquals(12, JSON.readTree(Files.readString(Path.of(summaryDir, "summary.json")))
        .get("reconciliation").get("rowsWritten").asLong());
    JobTestSupport.Run bad = JobTestSupport.run(args(view, out + "2", "--input-format", "table",
        "--input-filter", "weekday = 3").toArray(String[]::new));
    assertEquals(4, bad.exitCode()); // an input error, as a missing column is
    assertTrue(bad.err().contains("--input-filter \"weekday = 3\" is not a condition on the "
        + "input's columns (day, gold_label, id, text)"), bad.err());
  }

  @Test
  void tooManyErrorRowsFailTheRunWithItsOwnCodeAfterWritingEverything() throws Exception {
    Path corpus = mails("errors", "e", 0, 10, "2026-12-01");
    String out = dir.resolve("errors-out").toString();
    // 400 characters: most sample mails are longer, so they become ERROR rows
    JobTestSupport.Run r = JobTestSupport.run(args(corpus.toString(), out,
        "--max-text-chars", "400", "--max-error-rate", "0.05").toArray(String[]::new));
    long errors = JobTestSupport.spark().read().parquet(out).where("status = 'ERROR'").count();
    assertTrue(errors > 0, "no mail over 400 characters in the sample's first 10");
    assertEquals(6, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("TOO_MANY_ERRORS: " + errors + " of 10 rows are ERROR"), r.err());
    assertEquals(10, JobTestSupport.spark().read().parquet(out).count());
    JsonNode rec = reconciliation(out);
    assertEquals("TOO_MANY_ERRORS", rec.get("verdict").asText());
    assertEquals(errors, rec.get("errorRows").asLong());
    assertEquals(2, JSON.readTree(Files.readString(Path.of(ScoringJob.summaryDir(out),
        "summary.json"))).get("schemaVersion").asInt());
    String page = Files.readString(Path.of(ScoringJob.summaryDir(out), "summary.html"));
    assertTrue(page.contains("<td>rows in and out</td><td>TOO_MANY_ERRORS: read 10, skipped as "
        + "already scored 0, written 10, output gained 10 (" + errors + " of 10 rows are ERROR"),
        page);
  }

  @Test
  void optionsThatCannotGoTogetherAreRefusedBeforeAnyWork() {
    JobTestSupport.Run r = JobTestSupport.run("--input", "x.jsonl", "--bundle", "b", "--output",
        "o", "--incremental", "true");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--incremental needs --id-column"), r.err());
    r = JobTestSupport.run("--input", "x.jsonl", "--bundle", "b", "--output", "o",
        "--output-format", "delta", "--parts", "4");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--parts commits a Parquet directory"), r.err());
    r = JobTestSupport.run("--input", "x.jsonl", "--bundle", "b", "--output", "o",
        "--max-error-rate", "2");
    assertTrue(r.err().contains("--max-error-rate must be a share between 0 and 1"), r.err());
  }
}
