package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.cluster.SparkLogLines.LaunchedTask;
import io.adapler.job.cluster.SparkLogLines.TaskLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stage-level GPU scheduling on a cluster with fake GPUs ({@link FakeGpus}, as in
 * {@link GpuWiringIT}): the shipped conf/spark-gpu.conf without a job-wide task GPU amount,
 * and {@code --device cuda --gpu-per-task 0.5}. The event log says which stage ran with which
 * resource profile; the driver log says which GPU addresses each task was given. Only the
 * scoring stage may ask for a GPU, each of its tasks must get one, and no task of another
 * stage (the read before the repartition's shuffle, the summary's and progress's jobs) may
 * hold one.
 */
class GpuStageIT {
  /** PartitionScorer's line: "scoring task (device cuda) has GPU addresses [3]". */
  static final Pattern SCORING_GPUS = Pattern.compile("has GPU addresses \\[([^\\]]*)\\]");

  @RegisterExtension
  static final ClusterExtension CLUSTER = ClusterExtension.of("gpu-stage", FakeGpus::workers);

  static Submission submission;
  static Path output;
  static Path events;

  @BeforeAll
  static void runTheJobWithAStageProfile() throws Exception {
    output = CLUSTER.dir().resolve("output/gpu-stage");
    events = Files.createDirectories(CLUSTER.dir().resolve("events"));
    SubmitConf conf = SubmitConf.gpu().withAll(Map.of("spark.eventLog.enabled", "true",
        "spark.eventLog.dir", events.toUri().toString(), "spark.eventLog.compress", "false",
        "spark.eventLog.rolling.enabled", "false"));
    List<String> jobArgs = new ArrayList<>(JobUnderTest.sampleArgs(output));
    jobArgs.addAll(List.of("--device", "cuda", "--allow-cpu-fallback", "true",
        "--gpu-per-task", "0.5"));
    submission = CLUSTER.submitJob("driver", conf, jobArgs, Duration.ofMinutes(5));
  }

  @Test
  void theJobScoresEveryRow() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    assertTrue(ClusterPaths.readLines(submission.stdout()).stream().anyMatch(
        l -> l.contains("[adapler] GPUs: scoring tasks get 0.5 GPU each")),
        submission::describe);
    ScoredOutput.assertEverySampleRowOk(CLUSTER.localSpark(1), output);
  }

  @Test
  void onlyTheScoringStageHoldsGpus() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    SparkEventLog log = SparkEventLog.read(events);
    List<Integer> gpuStages = log.gpuStages();
    assertEquals(1, gpuStages.size(), () -> "stages with a GPU profile: " + log);
    int gpuStage = gpuStages.get(0);
    assertEquals(0.5, log.taskGpus().get(log.stageProfiles().get(gpuStage)), 1e-9);

    Map<Long, LaunchedTask> launched =
        SparkLogLines.launchedTasks(ClusterPaths.readLines(submission.stderr()));
    int scoring = 0;
    int other = 0;
    for (Map.Entry<Long, Integer> t : log.taskStages().entrySet()) {
      LaunchedTask task = launched.get(t.getKey());
      List<String> gpus = task == null ? List.of() : task.gpus();
      if (t.getValue() == gpuStage) {
        scoring++;
        assertEquals(1, gpus.size(), () -> "scoring TID " + t.getKey() + " GPUs: " + task);
      } else {
        other++;
        assertEquals(List.of(), gpus, () -> "TID " + t.getKey() + " of stage " + t.getValue()
            + " (not scoring) holds a GPU");
      }
    }
    assertEquals(4, scoring, "one scoring task per partition (--partitions 4)");
    assertTrue(other > 0, () -> "no task outside the scoring stage: " + log);
  }

  @Test
  void everyScoringTaskUsesTheGpuItWasGiven() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    List<ExecutorLog> executors = CLUSTER.cluster().executorLogs();
    assertEquals(2, executors.size(), () -> "executors: " + executors);
    Set<String> devices = new TreeSet<>();
    int scoringTasks = 0;
    for (ExecutorLog e : executors) {
      List<String> lines = e.lines();
      String where = "executor " + e.executorId() + " (" + e.stderr() + ")";
      String gpu = FakeGpus.WORKER_GPUS.get(e.worker());
      for (TaskLine t : SparkLogLines.taskLines(lines, "has GPU addresses")) {
        Matcher m = SCORING_GPUS.matcher(t.message());
        assertTrue(m.find(), () -> where + ": " + t.message());
        assertEquals(gpu, m.group(1), () -> where + ", TID " + t.tid());
        scoringTasks++;
      }
      assertTrue(lines.stream().noneMatch(l -> l.contains(FakeGpus.TASK_WITHOUT_GPU)),
          where + ": a scoring task had no GPU resource");
      List<TaskLine> opened = SparkLogLines.taskLines(lines, SparkLogLines.RUNTIME_OPENED);
      assertEquals(1, opened.size(), () -> where + " opened runtimes: " + opened);
      String requested = FakeGpus.requestedDevice(lines, opened.get(0));
      assertEquals("cuda:" + gpu, requested, where);
      devices.add(requested);
    }
    assertEquals(Set.of("cuda:1", "cuda:3"), devices);
    assertEquals(4, scoringTasks, "one scoring task per partition, each logging its GPU");
  }
}
