package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.cluster.ExecutorJvms.ExecutorJvm;
import io.adapler.job.cluster.ScoredOutput.ScoredRow;
import io.adapler.job.cluster.SparkLogLines.TaskAttempt;
import io.adapler.job.cluster.SparkLogLines.TaskLine;
import io.adapler.job.cluster.JobUnderTest.LocalRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Executor loss: while the job's scoring tasks run on the standalone cluster, one executor JVM
 * is killed with SIGKILL, by its pid. The job must still exit 0, its worker must launch a
 * replacement executor, the killed executor's tasks must run again elsewhere, and the output
 * must equal a clean (local-mode) run's row by row, with every input id exactly once. Once
 * plainly, once with speculative execution on (speculative copies of the same partitions race
 * to commit, so duplicates would show there first).
 *
 * <p>The kill is timed by the logs, not by sleeping: it lands as soon as an executor of the
 * run logs, on a task thread, that it opened the model, i.e. while its first scoring task
 * runs and most of the stage is still to do. The logs then prove it landed mid-run: the
 * worker saw exit code 137 and launched a replacement, the driver lost the executor's running
 * scoring tasks and finished each of their partitions later (a higher TID).
 *
 * <p>Spark's defaults are enough to recover, and the test keeps them: a task may fail 4 times
 * ({@code spark.task.maxFailures}), the master gives up on an application only after 10
 * executor failures in a row with none running ({@code spark.deploy.maxExecutorRetries}), and
 * the worker gets the killed executor's cores back for the replacement. The killed executor's
 * shuffle files go with it, so its map outputs are computed again (FetchFailed, a second
 * attempt of the stages): the job's round-robin repartition sorts before it partitions
 * ({@code spark.sql.execution.sortBeforeRepartition}, on by default), so the recomputed
 * partitions hold the same rows and the partitions already written stay valid.
 */
class ExecutorLossIT {
  /** 6 copies of the 400-mail sample in 16 partitions: many tasks, a second or more each. */
  static final int COPIES = 6;
  static final int PARTITIONS = 16;
  /** Runs with speculation on, at most, until one of them launched a speculative copy. */
  static final int SPECULATION_RUNS = 3;

  /**
   * Three hosts to Spark (127.0.0.1 to .3): Spark never runs a speculative copy on the host of
   * the original attempt, so on one host speculation would mark tasks and run none; and with
   * three, two hosts still score while the killed executor's replacement starts.
   */
  @RegisterExtension
  static final ClusterExtension CLUSTER = ClusterExtension.of("executor-loss", List.of(
      WorkerSpec.of(2, "1g").onHost("127.0.0.1"), WorkerSpec.of(2, "1g").onHost("127.0.0.2"),
      WorkerSpec.of(2, "1g").onHost("127.0.0.3")));

  static StandaloneCluster cluster;
  static SparkSession spark;
  static Path corpus;
  static long inputRows;
  static Map<String, ScoredRow> reference;

  @BeforeAll
  static void scoreTheReference() throws Exception {
    cluster = CLUSTER.cluster();
    spark = CLUSTER.localSpark(2);
    // Parquet, in two files: no schema-inference pass per run, and two reading tasks.
    Path json = cluster.dir().resolve("input/corpus.jsonl");
    inputRows = ScoredOutput.writeCorpus(json, COPIES);
    corpus = cluster.dir().resolve("input/corpus.parquet");
    spark.read().json(json.toString()).repartition(2).write().parquet(corpus.toString());

    // The clean run, in this JVM in local mode while the workers boot: scoring does not
    // depend on the partitioning (the parity tests), so any clean run is the reference.
    Path referenceOutput = cluster.dir().resolve("output/reference");
    LocalRun local = JobUnderTest.runInProcess(jobArgs(referenceOutput));
    assertEquals(0, local.exitCode(), () -> "reference run failed:\n" + local.err());
    reference = ScoredOutput.read(spark, referenceOutput);
    assertEquals(inputRows, reference.size(), "the reference has one row per input row");
    cluster.awaitWorkers(ClusterExtension.WORKERS_START); // before the kill's clock starts
  }

  @Test
  void theJobSurvivesAnExecutorKilledWhileItScores() throws Exception {
    assertRecovered(runAndKillAnExecutor("kill", Map.of()));
  }

  @Test
  void theJobSurvivesAnExecutorKilledWhileItScoresWithSpeculation() throws Exception {
    Map<String, String> speculation = new LinkedHashMap<>();
    speculation.put("spark.speculation", "true");
    // Eager, so that copies really run: once half the tasks finished, a task that ran longer
    // than half the median gets a copy on another host as soon as a core there is free.
    speculation.put("spark.speculation.quantile", "0.5");
    speculation.put("spark.speculation.multiplier", "0.5");
    speculation.put("spark.speculation.minTaskRuntime", "100ms");
    speculation.put("spark.speculation.efficiency.enabled", "false");
    // Whether Spark runs a copy at all depends on timing: when the kill's FetchFailed aborts
    // the stage attempt before half its tasks finished, none is launched. Every run must
    // recover, and at least one of up to SPECULATION_RUNS must have raced a copy.
    List<List<TaskAttempt>> runs = new ArrayList<>();
    for (int i = 1; i <= SPECULATION_RUNS; i++) {
      List<TaskAttempt> scoring = assertRecovered(
          runAndKillAnExecutor("kill-speculation-" + i, speculation));
      runs.add(scoring);
      if (scoring.stream().anyMatch(TaskAttempt::speculative)) {
        return;
      }
      System.out.printf("[ExecutorLossIT] run %d: no speculative copy ran, again%n", i);
    }
    fail("no speculative copy of a scoring task ran in " + SPECULATION_RUNS + " runs: " + runs);
  }

  /** A run with a killed executor: what spark-submit left, and the kill. */
  record LostRun(Submission submission, Path output, ExecutorJvm victim, TaskLine scoring,
      Set<String> executorsAtKill, boolean runningAfterKill) {}

  /**
   * Submits the job and, as soon as one of its executors opened the model on a task thread,
   * kills that executor; then waits for the job.
   */
  static LostRun runAndKillAnExecutor(String label, Map<String, String> conf) throws Exception {
    Path output = cluster.dir().resolve("output/" + label);
    SubmitConf submitConf = SubmitConf.cluster().with("spark.cores.max", "6").withAll(conf);
    Set<String> oldApps = new TreeSet<>();
    cluster.executorLogs().forEach(e -> oldApps.add(e.appId()));
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<Submission> job = background.submit(() -> CLUSTER.submitJob(label, submitConf,
          jobArgs(output), Duration.ofMinutes(4)));
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (System.nanoTime() < deadline) {
        if (job.isDone()) {
          fail("the job ended before any executor scored: " + job.get().describe());
        }
        for (ExecutorLog log : cluster.executorLogs()) {
          if (oldApps.contains(log.appId())) {
            continue;
          }
          List<TaskLine> opened = SparkLogLines.taskLines(log.lines(),
              SparkLogLines.RUNTIME_OPENED);
          if (!opened.isEmpty()) {
            ExecutorJvm victim = ExecutorJvms.list(cluster).stream()
                .filter(j -> j.appId().equals(log.appId())
                    && j.executorId().equals(log.executorId()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no live JVM for "
                    + log + " among " + ExecutorJvms.list(cluster)));
            Set<String> executorsAtKill = executorIds(log.appId());
            ExecutorJvms.kill(victim, cluster);
            boolean running = !job.isDone() && !Files.exists(output.resolve("_SUCCESS"));
            System.out.printf("[ExecutorLossIT] %s: killed executor %s of %s (pid %d) after"
                + " TID %d of stage %s opened the model%n", label, victim.executorId(), victim.appId(),
                victim.pid(), opened.get(0).tid(), opened.get(0).stage());
            return new LostRun(job.get(), output, victim, opened.get(0), executorsAtKill,
                running);
          }
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("no executor of the " + label + " run scored within 3"
          + " minutes; see " + cluster.dir().resolve("logs"));
    } finally {
      background.shutdownNow();
    }
  }

  /**
   * Asserts that the kill landed while scoring tasks ran and the run recovered from it: the
   * worker saw its executor die of SIGKILL (exit 137) and launched a replacement, the driver
   * lost the executor's running scoring tasks and ran every lost partition again afterwards,
   * the job exited 0, and its output and summary equal the clean run's.
   *
   * @return the attempts of the scoring stage's tasks, from the driver's log
   */
  static List<TaskAttempt> assertRecovered(LostRun run) throws Exception {
    Submission s = run.submission();
    ExecutorJvm victim = run.victim();
    assertEquals(0, s.exitCode(), s::describe);
    assertTrue(run.runningAfterKill(), "the job was still running after the kill");

    List<String> worker = ClusterPaths.readLines(cluster.workerLog(victim.worker()));
    String exec = victim.appId() + "/" + victim.executorId();
    assertTrue(worker.stream().anyMatch(l -> l.contains("Executor " + exec
        + " finished with state EXITED message Command exited with code 137")),
        () -> "worker-" + victim.worker() + " did not see " + exec + " die of SIGKILL");
    Set<String> replacements = new TreeSet<>(executorIds(victim.appId()));
    replacements.removeAll(run.executorsAtKill());
    assertTrue(worker.stream().anyMatch(l -> replacements.stream().anyMatch(r -> l.contains(
        "Asked to launch executor " + victim.appId() + "/" + r + " "))),
        () -> "worker-" + victim.worker() + " launched no replacement for " + exec);

    List<String> driver = ClusterPaths.readLines(s.stderr());
    assertTrue(driver.stream().anyMatch(l -> l.contains("Lost executor " + victim.executorId()
        + " on ")), () -> "the driver did not lose executor " + victim.executorId());
    String stage = run.scoring().stage().substring(0, run.scoring().stage().indexOf('.'));
    List<TaskAttempt> scoring = SparkLogLines.taskAttempts(driver).stream()
        .filter(t -> t.stageId().equals(stage)).toList();
    List<TaskAttempt> killed = scoring.stream().filter(t -> t.executorId().equals(
        victim.executorId()) && "ExecutorLostFailure".equals(t.end())).toList();
    assertFalse(killed.isEmpty(), () -> "no scoring task of executor " + victim.executorId()
        + " was lost with it: " + scoring);
    for (TaskAttempt lost : killed) { // TIDs grow with time: these ran after the kill
      assertTrue(scoring.stream().anyMatch(t -> t.partition() == lost.partition()
          && t.tid() > lost.tid() && TaskAttempt.FINISHED.equals(t.end())),
          () -> "partition " + lost.partition() + " was not scored again after " + lost);
    }
    for (int p = 0; p < PARTITIONS; p++) {
      int partition = p;
      assertTrue(scoring.stream().anyMatch(t -> t.partition() == partition
          && TaskAttempt.FINISHED.equals(t.end())), () -> "partition " + partition
          + " never finished: " + scoring);
    }
    System.out.printf("[ExecutorLossIT] %s: %d s; executors %s (at the kill %s); scoring"
        + " attempts %d: %d lost with the executor, %d failed otherwise, %d concurrent with"
        + " another attempt of their partition (%d speculative), %d on replacements%n",
        s.stderr(), s.took().toSeconds(), executorIds(victim.appId()), run.executorsAtKill(),
        scoring.size(), killed.size(), scoring.stream().filter(t -> t.end() != null
            && !TaskAttempt.FINISHED.equals(t.end())).count() - killed.size(),
        scoring.stream().filter(TaskAttempt::concurrent).count(),
        scoring.stream().filter(TaskAttempt::speculative).count(),
        scoring.stream().filter(t -> replacements.contains(t.executorId())).count());

    ScoredOutput.assertSameRows(reference, ScoredOutput.read(spark, run.output()),
        run.output().toString());
    Path summary = Path.of(run.output() + "_summary", "summary.json");
    long summaryRows = new ObjectMapper().readTree(summary.toFile()).get("rows").asLong();
    assertEquals(inputRows, summaryRows, "the run summary counts each row once: " + summary);
    return scoring;
  }

  /** The ids of every executor an application had, live or dead (one log directory each). */
  static Set<String> executorIds(String appId) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (ExecutorLog e : cluster.executorLogs()) {
      if (e.appId().equals(appId)) {
        ids.add(e.executorId());
      }
    }
    return ids;
  }

  /** The job over the generated corpus with the tiny bundle, in many small partitions. */
  static List<String> jobArgs(Path output) {
    return List.of("--input", corpus.toUri().toString(), "--input-format", "parquet",
        "--id-column", "id", "--pass-through", "gold_label",
        "--bundle", ClusterPaths.tinyBundle().toUri().toString(),
        "--output", output.toUri().toString(), "--mode", "overwrite",
        "--partitions", String.valueOf(PARTITIONS), "--progress-seconds", "2");
  }
}
