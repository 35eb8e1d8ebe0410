package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.cluster.SparkLogLines.LaunchedTask;
import io.adapler.job.cluster.SparkLogLines.RanTask;
import io.adapler.job.cluster.SparkLogLines.TaskLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GPU scheduling wired end to end, on a machine without GPUs: two standalone workers discover
 * one "GPU" each with the shipped conf/gpu-discovery.sh (a fake nvidia-smi reports GPU 1 on the
 * first worker and GPU 3 on the second), the job runs with the shipped conf/spark-gpu.conf
 * (one GPU per executor) plus the job-wide {@code spark.task.resource.gpu.amount} (every task
 * holds half the GPU: the fallback where stage-level scheduling is not available; see
 * {@link GpuStageIT} for the stage profile) and {@code --device cuda --allow-cpu-fallback true}.
 * Every task's runtime must be asked for the CUDA device of the address Spark assigned to that
 * task (cuda:1 on one executor, cuda:3 on the other), each executor must open one runtime for
 * all its tasks, and the job must still score every row (on the CPU, this build having no CUDA).
 *
 * <p>Why one runtime per executor proves it for every task, not only for the one that opened
 * it: the runtime registry keys runtimes by the requested device, so a later task of the same
 * JVM asking for another device would open (and log) a second runtime.
 */
class GpuWiringIT {
  @RegisterExtension
  static final ClusterExtension CLUSTER = ClusterExtension.of("gpu", FakeGpus::workers);

  static Submission submission;
  static Path output;

  @BeforeAll
  static void runTheJobOnGpuWorkers() throws Exception {
    output = CLUSTER.dir().resolve("output/gpu");
    List<String> jobArgs = new ArrayList<>(JobUnderTest.sampleArgs(output));
    jobArgs.addAll(List.of("--device", "cuda", "--allow-cpu-fallback", "true"));
    // The executor's two tasks share its GPU.
    submission = CLUSTER.submitJob("driver",
        SubmitConf.gpu().with("spark.task.resource.gpu.amount", "0.5"), jobArgs,
        Duration.ofMinutes(5));
  }

  @Test
  void theJobCompletesOnTheCpuAndScoresEveryRow() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    ScoredOutput.assertEverySampleRowOk(CLUSTER.localSpark(1), output);
  }

  @Test
  void everyTaskAsksForTheGpuSparkAssignedToIt() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    Map<Long, LaunchedTask> launched =
        SparkLogLines.launchedTasks(ClusterPaths.readLines(submission.stderr()));
    assertTrue(!launched.isEmpty(), () -> "no TaskSetManager 'Starting task' lines in "
        + submission.stderr());
    for (LaunchedTask t : launched.values()) {
      assertEquals(1, t.gpus().size(), () -> "task " + t + " should hold one GPU address");
    }

    List<ExecutorLog> executors = CLUSTER.cluster().executorLogs();
    assertEquals(2, executors.size(), () -> "executors: " + executors);
    Set<String> devices = new TreeSet<>();
    int scoringTasks = 0;
    for (ExecutorLog e : executors) {
      List<String> lines = e.lines();
      String where = "executor " + e.executorId() + " (" + e.stderr() + ")";

      // Spark gave the executor its worker's GPU, and every task on it that GPU.
      List<String> gpus = SparkLogLines.executorGpus(lines);
      assertEquals(List.of(FakeGpus.WORKER_GPUS.get(e.worker())), gpus, where + " GPUs");
      List<RanTask> ran = SparkLogLines.ranTasks(lines);
      assertTrue(!ran.isEmpty(), where + " ran no task");
      for (RanTask r : ran) {
        LaunchedTask t = launched.get(r.tid());
        assertTrue(t != null, () -> "the driver did not log the launch of TID " + r.tid());
        assertEquals(e.executorId(), t.executorId(), () -> "TID " + r.tid() + " ran on " + where);
        assertEquals(gpus, t.gpus(), () -> "TID " + r.tid() + " GPU addresses");
      }
      assertTrue(lines.stream().noneMatch(l -> l.contains(FakeGpus.TASK_WITHOUT_GPU)),
          where + ": a task had no GPU resource");

      // One runtime, opened by a task for the device of the GPU Spark assigned to that task.
      List<TaskLine> opened = SparkLogLines.taskLines(lines, SparkLogLines.RUNTIME_OPENED);
      assertEquals(1, opened.size(), () -> where + " opened " + opened.size() + " runtimes: "
          + opened);
      TaskLine opener = opened.get(0);
      String requested = FakeGpus.requestedDevice(lines, opener);
      String assigned = launched.get(opener.tid()).gpus().get(0);
      assertEquals("cuda:" + assigned, requested, where + ", TID " + opener.tid());
      devices.add(requested);
      scoringTasks += (int) ran.stream().filter(r -> r.stage().equals(opener.stage())).count();
    }
    assertEquals(Set.of("cuda:1", "cuda:3"), devices);
    assertEquals(4, scoringTasks, "one scoring task per partition (--partitions 4)");
  }
}
