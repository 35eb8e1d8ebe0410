package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One application jar for every supported Spark line: {@code target/adapler-job.jar}, built
 * against the project's Spark (4.2), runs {@link ScoringJob} in a child JVM on the Spark 4.0
 * and 4.1 jars (classpaths the {@code compat} modules resolve) and writes the same rows and
 * summary as on 4.2. Each child prints the Spark version it ran on, which proves the swap took.
 */
class SparkCompatIT {
  @TempDir static Path dir;
  static Map<String, Row> reference;

  @AfterAll
  static void stopSpark() {
    JobTestSupport.stopSpark(); // the cluster ITs in this JVM start sessions of their own
  }

  /** The sample corpus on the project's Spark, from the same jar, as submit.sh runs it. */
  @BeforeAll
  static void scoreOnTheBuildsSpark() throws Exception {
    Path build = ChildJob.buildDir();
    String out = run("spark-4.2", ChildJob.readClasspath(build.resolve("local-classpath.txt")));
    assertTrue(out.contains(", Spark " + JobTestSupport.spark().version() + " -> "), out);
    reference = ScoredOutputs.byId(dir.resolve("spark-4.2").toString());
    assertEquals(400, reference.size());
  }

  @ParameterizedTest(name = "Spark {1}")
  @CsvSource({"spark-4.0, 4.0.1", "spark-4.1, 4.1.0"})
  void theJarWritesTheSameRowsOnAnotherSparkLine(String module, String version)
      throws Exception {
    String out = run(module, ChildJob.readClasspath(sparkClasspathFile(module)));
    assertTrue(out.contains(", Spark " + version + " -> "), () -> "not on Spark " + version
        + ":\n" + out);
    // The progress tally (a SparkListener over task-end accumulator updates) saw every row.
    assertTrue(out.contains("[adapler] scored 400 of 400 rows in "), out);
    Map<String, Row> rows = ScoredOutputs.byId(dir.resolve(module).toString());
    // Every column: ids, label, status, lengths exactly, probabilities within 1e-6.
    ScoredOutputs.assertSameRows(reference, rows);
    assertTrue(rows.values().stream().allMatch(r -> "OK".equals(r.getAs("status"))));
    assertSameSummary(summary("spark-4.2"), summary(module));
  }

  /** The summary's figures come from a Spark Observation: the same on every line. */
  private static void assertSameSummary(JsonNode expected, JsonNode actual) {
    for (String exact : List.of("rows", "statusCounts", "malformedRecords", "truncatedRows")) {
      assertEquals(expected.get(exact), actual.get(exact), exact);
    }
    for (String mean : List.of("corpusFlopsSpeedup", "meanInputLength")) {
      assertEquals(expected.get(mean).asDouble(), actual.get(mean).asDouble(), 1e-9, mean);
    }
    assertEquals(expected.get("meanLayerLengths").size(), actual.get("meanLayerLengths").size());
    for (int l = 0; l < expected.get("meanLayerLengths").size(); l++) {
      assertEquals(expected.get("meanLayerLengths").get(l).asDouble(),
          actual.get("meanLayerLengths").get(l).asDouble(), 1e-9, "meanLayerLengths " + l);
    }
  }

  private static JsonNode summary(String label) throws Exception {
    return new ObjectMapper().readTree(Path.of(
        ScoringJob.summaryDir(dir.resolve(label).toString()), "summary.json").toFile());
  }

  /**
   * Runs the job on the application jar and the given Spark classpath, into
   * {@code dir/label}.
   *
   * @return what it printed
   */
  private static String run(String label, String sparkClasspath) throws Exception {
    String jar = ChildJob.buildDir().resolve("adapler-job.jar").toString();
    ChildJob job = ChildJob.start(dir, label, jar + File.pathSeparator + sparkClasspath,
        List.of("--input", JobTestSupport.sampleCorpus(), "--input-format", "json",
            "--id-column", "id", "--pass-through", "gold_label", "--bundle",
            JobTestSupport.tinyBundle(), "--output", dir.resolve(label).toString(),
            "--partitions", "3", "--chunk-rows", "50",
            // Progress on: its SparkListener and accumulator are Spark API too.
            "--progress-seconds", "1"));
    assertEquals(0, job.await(240), job::logs);
    return job.out();
  }

  /**
   * The classpath file a compat module ({@code spark-4.0}) wrote; failsafe passes the modules'
   * directory, an IDE runs in the repository.
   */
  static Path sparkClasspathFile(String module) {
    String configured = System.getProperty("adapler.it.compatDir");
    Path compat = configured != null ? Paths.get(configured)
        : JobTestSupport.root().resolve("compat");
    return compat.resolve(module).resolve("target/spark-classpath.txt");
  }
}
