package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg tables through a Spark catalog, on a Spark line Iceberg ships a runtime for (4.1; it
 * has none for 4.2 yet): {@code target/adapler-job.jar} runs in a child JVM on Spark 4.1.0's
 * jars and Iceberg's runtime jar for that line (both resolved by {@code compat/spark-4.1}),
 * with a Hadoop catalog named {@code lake} on a temporary warehouse, set as
 * {@code -Dspark.sql.catalog.lake*} properties as a cluster's spark-defaults would set them.
 * What the job wrote is then checked without Iceberg: the table's Parquet data files read by
 * this JVM's Spark, and its metadata JSON.
 */
class IcebergCompatIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPARK = "4.1.0";
  @TempDir static Path dir;

  @AfterAll
  static void stopSpark() {
    JobTestSupport.stopSpark(); // the cluster ITs in this JVM start sessions of their own
  }

  @Test
  void dayTwoAppendsOnlyItsNewRowsToAPartitionedTable() throws Exception {
    Path day1 = mails("day1", 0, 30);
    List<String> grown = new ArrayList<>(Files.readAllLines(day1));
    grown.addAll(Files.readAllLines(mails("new", 30, 20)));
    Path day2 = Files.write(dir.resolve("day2.jsonl"), grown, StandardCharsets.UTF_8);

    String first = job("day1", day1, "json", "lake.db.scores", "--output-format", "iceberg",
        "--partition-by", "gold_label", "--incremental", "true");
    assertTrue(first.contains(", Spark " + SPARK + " -> lake.db.scores"), first);
    assertTrue(first.contains("reconciled       OK: read 30, skipped as already scored 0, "
        + "written 30, output gained 30"), first);
    // Day two: the corpus grew by 20 mails; only those are scored and appended.
    String second = job("day2", day2, "json", "lake.db.scores", "--output-format", "iceberg",
        "--partition-by", "gold_label", "--incremental", "true");
    assertTrue(second.contains("reconciled       OK: read 20, skipped as already scored 30, "
        + "written 20, output gained 20"), second);

    // The rows, from the table's data files: each id once, as labelled, scored, in the
    // partition directory of its label.
    Path table = dir.resolve("warehouse/db/scores");
    List<Path> files;
    try (Stream<Path> s = Files.walk(table.resolve("data"))) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertTrue(files.stream().allMatch(p -> p.getParent().getFileName().toString()
        .startsWith("gold_label=")), files::toString);
    List<Row> rows = JobTestSupport.spark().read().option("recursiveFileLookup", "true")
        .parquet(table.resolve("data").toString()).collectAsList();
    Map<String, String> labels = labels(day2);
    assertEquals(50, rows.size());
    assertEquals(labels, rows.stream().collect(Collectors.toMap(r -> r.<String>getAs("id"),
        r -> r.<String>getAs("gold_label"))));
    assertTrue(rows.stream().allMatch(r -> "OK".equals(r.getAs("status"))), rows::toString);

    // The metadata: partitioned by gold_label, two append snapshots of 30 and 20 rows, and
    // every data file on disk is one the current snapshot counts.
    Path meta = table.resolve("metadata");
    String version = Files.readString(meta.resolve("version-hint.text")).strip();
    JsonNode m = JSON.readTree(meta.resolve("v" + version + ".metadata.json").toFile());
    JsonNode spec = m.get("partition-specs").get(0).get("fields");
    assertEquals(1, spec.size(), spec::toString);
    assertEquals("gold_label", spec.get(0).get("name").asText());
    assertEquals("identity", spec.get(0).get("transform").asText());
    JsonNode snapshots = m.get("snapshots");
    assertEquals(2, snapshots.size(), snapshots::toString);
    List<String> added = new ArrayList<>();
    for (JsonNode s : snapshots) {
      assertEquals("append", s.get("summary").get("operation").asText(), s::toString);
      added.add(s.get("summary").get("added-records").asText());
    }
    assertEquals(List.of("30", "20"), added);
    JsonNode current = snapshots.get(1).get("summary");
    assertEquals(m.get("current-snapshot-id").asLong(), snapshots.get(1).get("snapshot-id")
        .asLong());
    assertEquals("50", current.get("total-records").asText());
    assertEquals(String.valueOf(files.size()), current.get("total-data-files").asText());
  }

  @Test
  void readsAnIcebergTableThroughAFilter() throws Exception {
    Path mails = mails("corpus", 100, 40);
    ChildJob create = ChildJob.start(dir, "create-corpus", ChildJob.buildDir()
        .resolve("test-classes") + File.pathSeparator + classpath(), catalogConf(),
        IcebergCorpusTable.class.getName(), List.of(mails.toString(), "lake.db.corpus",
            "gold_label"));
    assertEquals(0, create.await(240), create::logs);
    assertTrue(create.out().contains("created lake.db.corpus with 40 rows"), create::logs);

    Path output = dir.resolve("spam-scores");
    String out = job("from-table", null, "iceberg", output.toString(), "--input",
        "lake.db.corpus", "--input-filter", "gold_label = 'spam'");
    assertTrue(out.contains(", Spark " + SPARK + " -> " + output), out);
    Map<String, String> spam = labels(mails).entrySet().stream()
        .filter(e -> e.getValue().equals("spam"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertTrue(spam.size() > 0 && spam.size() < 40, spam::toString);
    int n = spam.size();
    assertTrue(out.contains("reconciled       OK: read " + n + ", skipped as already scored 0, "
        + "written " + n + ", output gained " + n), out);
    Map<String, Row> rows = ScoredOutputs.byId(output.toString());
    assertEquals(spam.keySet(), rows.keySet());
    assertTrue(rows.values().stream().allMatch(r -> "OK".equals(r.getAs("status"))));
  }

  /**
   * Runs the job on the jar, Spark 4.1 and Iceberg's runtime, with the catalog configured.
   *
   * @param input a file to read, or null when {@code more} names the input
   * @return what it printed
   */
  private static String job(String label, Path input, String format, String output,
      String... more) throws Exception {
    List<String> args = new ArrayList<>();
    if (input != null) {
      args.addAll(List.of("--input", input.toString()));
    }
    args.addAll(List.of("--input-format", format, "--id-column", "id", "--pass-through",
        "gold_label", "--bundle", JobTestSupport.tinyBundle(), "--output", output,
        "--summary-dir", dir.resolve(label + "-summary").toString(), "--partitions", "2",
        "--progress-seconds", "0", "--summary-examples", "false"));
    args.addAll(List.of(more));
    String jar = ChildJob.buildDir().resolve("adapler-job.jar").toString();
    ChildJob job = ChildJob.start(dir, label, jar + File.pathSeparator + classpath(),
        catalogConf(), ScoringJob.class.getName(), args);
    assertEquals(0, job.await(240), job::logs);
    return job.out();
  }

  /** Spark 4.1.0's jars and Iceberg's runtime for 4.1, as compat/spark-4.1 resolved them. */
  private static String classpath() throws Exception {
    Path spark = SparkCompatIT.sparkClasspathFile("spark-4.1");
    return ChildJob.readClasspath(spark) + File.pathSeparator
        + ChildJob.readClasspath(spark.resolveSibling("iceberg-classpath.txt"));
  }

  /** The Iceberg catalog {@code lake} (a Hadoop catalog on a directory) as Spark settings. */
  private static List<String> catalogConf() {
    return List.of("-Dspark.sql.catalog.lake=org.apache.iceberg.spark.SparkCatalog",
        "-Dspark.sql.catalog.lake.type=hadoop",
        "-Dspark.sql.catalog.lake.warehouse=" + dir.resolve("warehouse").toUri(),
        // The session catalog's warehouse: off the repository, where the child runs.
        "-Dspark.sql.warehouse.dir=" + dir.resolve("spark-warehouse").toUri());
  }

  /** {@code n} sample mails as json lines with ids {@code m-i}, their text and label. */
  private static Path mails(String name, int from, int n) throws Exception {
    List<String> sample = Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()));
    List<String> lines = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      JsonNode m = JSON.readTree(sample.get(i % sample.size()));
      ObjectNode row = JSON.createObjectNode().put("id", "m-" + i)
          .put("text", m.get("text").asText()).put("gold_label", m.get("gold_label").asText());
      lines.add(JSON.writeValueAsString(row));
    }
    return Files.write(dir.resolve(name + ".jsonl"), lines, StandardCharsets.UTF_8);
  }

  /** id to gold label of a mails file. */
  private static Map<String, String> labels(Path file) throws Exception {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode m = JSON.readTree(line);
      labels.put(m.get("id").asText(), m.get("gold_label").asText());
    }
    return labels;
  }
}
