package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.cluster.JobUnderTest.LocalRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job on a real Spark standalone cluster (a master and two workers on 127.0.0.1, one
 * executor each, submitted with spark-submit and the shaded application jar, with the shipped
 * conf/spark-cluster.conf) scores the sample corpus exactly as a local-mode run of the same job
 * does, and every executor JVM opens the model once, however many tasks it runs.
 */
class StandaloneClusterIT {
  @RegisterExtension
  static final ClusterExtension CLUSTER = ClusterExtension.of("standalone",
      List.of(WorkerSpec.of(2, "1g"), WorkerSpec.of(2, "1g")));

  static SparkSession spark;
  static Submission submission;
  static Path clusterOutput;
  static Path localOutput;

  @BeforeAll
  static void runTheJobOnTheClusterAndLocally() throws Exception {
    clusterOutput = CLUSTER.dir().resolve("output/cluster");
    localOutput = CLUSTER.dir().resolve("output/local");
    // The cluster run (child JVMs, much of it spent waiting on JVM starts and RPCs) and the
    // local reference (in this JVM) run at the same time.
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<Submission> clusterRun = background.submit(() -> CLUSTER.submitJob("driver",
          SubmitConf.cluster(), JobUnderTest.sampleArgs(clusterOutput), Duration.ofMinutes(5)));
      spark = CLUSTER.localSpark(2);
      LocalRun local = JobUnderTest.runInProcess(JobUnderTest.sampleArgs(localOutput));
      submission = clusterRun.get();
      assertEquals(0, local.exitCode(), () -> "local run failed:\n" + local.err() + local.out());
    } finally {
      background.shutdownNow();
    }
  }

  @Test
  void theJobSucceedsOnTheCluster() {
    assertEquals(0, submission.exitCode(), submission::describe);
  }

  @Test
  void theClusterOutputEqualsTheLocalOutputRowForRow() {
    assertEquals(0, submission.exitCode(), submission::describe);
    List<Row> localRows = spark.read().parquet(localOutput.toString()).collectAsList();
    List<Row> clusterRows = spark.read().parquet(clusterOutput.toString()).collectAsList();
    assertEquals(spark.read().parquet(localOutput.toString()).schema(),
        spark.read().parquet(clusterOutput.toString()).schema());
    assertEquals(400, localRows.size());
    Map<String, List<Object>> localById = byId(localRows);
    Map<String, List<Object>> clusterById = byId(clusterRows);
    assertEquals(localRows.size(), localById.size(), "duplicate ids in the local output");
    assertEquals(clusterRows.size(), clusterById.size(), "duplicate ids in the cluster output");
    assertEquals(localById.keySet(), clusterById.keySet());
    List<String> columns = List.of(localRows.get(0).schema().fieldNames());
    for (String id : localById.keySet()) {
      List<Object> l = localById.get(id);
      List<Object> c = clusterById.get(id);
      for (int i = 0; i < columns.size(); i++) {
        int col = i;
        assertEquals(l.get(i), c.get(i), () -> "row " + id + ", column " + columns.get(col));
      }
    }
    assertTrue(localById.values().stream().allMatch(r -> "OK".equals(r.get(
        columns.indexOf("status")))), "every sample row scores OK");
  }

  @Test
  void everyExecutorOpensTheModelOnceForAllItsTasks() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    List<ExecutorLog> executors = CLUSTER.cluster().executorLogs();
    assertEquals(2, executors.size(), () -> "executors: " + executors);
    assertEquals(2, executors.stream().map(ExecutorLog::worker).distinct().count(),
        () -> "one executor per worker: " + executors);

    // The scoring stage is the one whose task opened a runtime.
    Set<String> scoringStages = new TreeSet<>();
    for (ExecutorLog e : executors) {
      SparkLogLines.taskLines(e.lines(), SparkLogLines.RUNTIME_OPENED)
          .forEach(t -> scoringStages.add(t.stage()));
    }
    assertEquals(1, scoringStages.size(), () -> "runtimes opened in stages " + scoringStages);
    String stage = scoringStages.iterator().next();

    int scoringTasks = 0;
    int executorsThatScored = 0;
    for (ExecutorLog e : executors) {
      List<String> lines = e.lines();
      long tasks = SparkLogLines.ranTasks(lines).stream()
          .filter(t -> t.stage().equals(stage)).count();
      long opened = lines.stream().filter(l -> l.contains(SparkLogLines.RUNTIME_OPENED)).count();
      assertEquals(tasks > 0 ? 1 : 0, opened, () -> "executor " + e.executorId() + " ran "
          + tasks + " scoring tasks and opened " + opened + " runtimes: " + e.stderr());
      scoringTasks += tasks;
      executorsThatScored += tasks > 0 ? 1 : 0;
    }
    assertEquals(2, executorsThatScored, () -> "both executors score: " + executors);
    assertEquals(4, scoringTasks, "one scoring task per partition (--partitions 4)");
  }

  /** The rows by id, each as its column values in schema order (arrays as lists). */
  static Map<String, List<Object>> byId(List<Row> rows) {
    Map<String, List<Object>> byId = new TreeMap<>();
    for (Row r : rows) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        values.add(v instanceof scala.collection.Seq<?> s
            ? new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(s)) : v);
      }
      byId.put(r.getAs("id"), values);
    }
    return byId;
  }
}
