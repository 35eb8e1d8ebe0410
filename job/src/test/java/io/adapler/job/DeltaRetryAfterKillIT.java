package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's retry of a Delta append: the job runs in a child JVM and is killed with
 * SIGKILL at three points of its append (before it scores, while its tasks write data files
 * but nothing is committed, and just after Delta's commit), then runs again with the same
 * arguments. Every time the table must end with every input row exactly once.
 */
class DeltaRetryAfterKillIT {
  private static final int COPIES = 6;
  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    JobTestSupport.stopSpark();
  }

  /** The 400 sample mails, {@code COPIES} times over with distinct ids. */
  private Path corpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path file = dir.resolve("corpus.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int c = 0; c < COPIES; c++) {
        for (String line : Files.readAllLines(Path.of(JobTestSupport.sampleCorpus()))) {
          JsonNode m = json.readTree(line);
          w.write(json.writeValueAsString(json.createObjectNode()
              .put("id", "copy-" + c + "/" + m.get("id").asText())
              .put("text", (c == 0 ? "" : "Copy " + c + ".\n") + m.get("text").asText())));
          w.newLine();
        }
      }
    }
    return file;
  }

  private static List<String> args(Path corpus, Path table, String... more) {
    List<String> a = new ArrayList<>(List.of("--input", corpus.toString(), "--id-column", "id",
        "--bundle", JobTestSupport.tinyBundle(), "--output", table.toString(),
        "--output-format", "delta", "--progress-seconds", "0", "--summary-examples", "false",
        "--partitions", "24"));
    a.addAll(List.of(more));
    return a;
  }

  private static boolean committed(Path table) throws Exception {
    Path log = table.resolve("_delta_log");
    if (!Files.isDirectory(log)) {
      return false;
    }
    try (Stream<Path> s = Files.list(log)) {
      return s.anyMatch(p -> p.getFileName().toString().matches("\\d{20}\\.json"));
    }
  }

  private static boolean dataFilesWritten(Path table) throws Exception {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(table)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    }
  }

  /** Starts the job, kills it once {@code when} holds, reruns it, and checks the table. */
  private String killAndRetry(String label, Path corpus, Predicate<ChildJob> when,
      boolean expectCommitBeforeKill, String... more) throws Exception {
    Path table = dir.resolve(label);
    ChildJob first = ChildJob.start(dir, label + "-first", args(corpus, table, more));
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (!when.test(first)) {
      assertTrue(first.isAlive(), () -> label + ": the run ended before the kill point:\n"
          + first.logs());
      assertTrue(System.nanoTime() < deadline, label + ": no kill point in 240 s");
      Thread.sleep(5);
    }
    first.kill();
    assertEquals(expectCommitBeforeKill, committed(table), label + ": commit at the kill");
    ChildJob second = ChildJob.start(dir, label + "-second", args(corpus, table, more));
    assertEquals(0, second.await(300), second::logs);
    Dataset<Row> rows = JobTestSupport.spark().read().format("delta").load(table.toString());
    assertEquals(COPIES * 400L, rows.count(), label);
    assertEquals(COPIES * 400L, rows.select("id").distinct().count(), label + ": an id twice");
    assertEquals(1L, JobTestSupport.spark().sql("DESCRIBE HISTORY delta.`" + table + "`")
        .count(), label + ": one commit");
    return second.out();
  }

  /** A condition on the table or the job that may fail to read (then it does not hold yet). */
  private interface Check {
    boolean holds() throws Exception;
  }

  private static Predicate<ChildJob> once(Check check) {
    return job -> {
      try {
        return check.holds();
      } catch (Exception e) {
        return false;
      }
    };
  }

  /** Holds once the job has printed {@code text}. */
  private static Predicate<ChildJob> printed(String text) {
    return job -> once(() -> job.out().contains(text)).test(job);
  }

  @Test
  void killedBeforeScoringTheRetryWritesEveryRowOnce() throws Exception {
    String out = killAndRetry("before", corpus(), printed("[adapler] scoring "), false);
    assertTrue(out.contains("reconciled       OK: read 2,400, skipped as already scored 0, "
        + "written 2,400, output gained 2,400"), out);
  }

  @Test
  void killedWhileItsTasksWriteUncommittedFilesTheRetryWritesEveryRowOnce() throws Exception {
    Path table = dir.resolve("midway");
    String out = killAndRetry("midway", corpus(),
        once(() -> dataFilesWritten(table) && !committed(table)), false);
    assertTrue(out.contains("written 2,400, output gained 2,400"), out);
  }

  @Test
  void killedJustAfterTheCommitTheRetryWritesNothing() throws Exception {
    Path table = dir.resolve("after");
    String out = killAndRetry("after", corpus(), once(() -> committed(table)), true);
    assertTrue(out.contains("already holds this run's append"), out);
    assertTrue(out.contains("reconciled       OK: read 0, skipped as already scored 2,400, "
        + "written 0"), out);
  }

  @Test
  void anIncrementalRunKilledAfterItsCommitIsRetriedWithoutARowTwice() throws Exception {
    Path table = dir.resolve("incremental");
    String out = killAndRetry("incremental", corpus(), once(() -> committed(table)), true,
        "--incremental", "true");
    assertTrue(out.contains("read 0, skipped as already scored 2,400, written 0"), out);
  }
}
