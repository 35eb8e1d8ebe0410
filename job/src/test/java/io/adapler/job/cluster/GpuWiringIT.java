package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.cluster.SparkLogLines.LaunchedTask;
import io.adapler.job.cluster.SparkLogLines.RanTask;
import io.adapler.job.cluster.SparkLogLines.TaskLine;
import io.adapler.job.cluster.StandaloneCluster.ExecutorLog;
import io.adapler.job.cluster.StandaloneCluster.Submission;
import io.adapler.job.cluster.StandaloneCluster.WorkerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  /** The fake GPU of each worker. */
  static final List<String> WORKER_GPUS = List.of("1", "3");
  /** SessionOpener's warning when a CUDA device cannot be used and CPU fallback is allowed. */
  static final Pattern CUDA_REQUESTED =
      Pattern.compile("SessionOpener: CUDA device (cuda:\\d+) requested for bundle ");
  /** The device in RuntimeRegistry's "opened AdaplerRuntime[tiny-random@... on cuda:1]". */
  static final Pattern OPENED_ON = Pattern.compile("opened AdaplerRuntime\\[\\S+ on (\\S+)\\]");
  /** SparkDeviceResolver's warning when a task has no GPU resource. */
  static final String TASK_WITHOUT_GPU = "asks for the task's GPU but";

  static StandaloneCluster cluster;
  static Submission submission;
  static Path output;
  static SparkSession spark;

  @BeforeAll
  static void runTheJobOnGpuWorkers() throws Exception {
    cluster = startGpuCluster("gpu");
    output = cluster.dir().resolve("output/gpu");
    cluster.awaitWorkers(Duration.ofSeconds(120));
    Map<String, String> conf = gpuConf();
    conf.put("spark.task.resource.gpu.amount", "0.5"); // the executor's two tasks share its GPU
    List<String> jobArgs = new ArrayList<>(StandaloneClusterIT.jobArgs(output));
    jobArgs.addAll(List.of("--device", "cuda", "--allow-cpu-fallback", "true"));
    submission = cluster.submit("driver", sparkArgs(conf), ClusterPaths.jobJar(), jobArgs,
        Duration.ofMinutes(5));
  }

  /** Starts two workers with one fake GPU each, discovered by the shipped script. */
  static StandaloneCluster startGpuCluster(String name) throws Exception {
    Path fakeBin = ClusterPaths.buildDir().resolve("it-cluster/fake-gpu-bin");
    Files.createDirectories(fakeBin);
    Path nvidiaSmi = fakeBin.resolve("nvidia-smi");
    Files.copy(ClusterPaths.resource("fake-nvidia-smi"), nvidiaSmi,
        StandardCopyOption.REPLACE_EXISTING);
    assertTrue(nvidiaSmi.toFile().setExecutable(true), "chmod +x " + nvidiaSmi);

    String discovery = ClusterPaths.repoRoot().resolve("conf/gpu-discovery.sh").toString();
    String path = fakeBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<WorkerSpec> workers = new ArrayList<>();
    for (String gpu : WORKER_GPUS) {
      workers.add(WorkerSpec.of(2, "1g")
          .withConf("spark.worker.resource.gpu.amount", "1")
          .withConf("spark.worker.resource.gpu.discoveryScript", discovery)
          .withEnv("PATH", path).withEnv("FAKE_GPU_INDICES", gpu));
    }
    return StandaloneCluster.start(name, workers);
  }

  /** The test-sized Spark settings over conf/spark-gpu.conf, without a task GPU amount. */
  static Map<String, String> gpuConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.executor.cores", "2");
    conf.put("spark.cores.max", "4");
    conf.put("spark.executor.memory", "512m");
    conf.put("spark.driver.memory", "768m");
    conf.put("spark.executor.resource.gpu.amount", "1");
    conf.put("spark.sql.shuffle.partitions", "4");
    conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
    conf.put("spark.executor.defaultJavaOptions",
        String.join(" ", StandaloneCluster.testJvmOptions()));
    return conf;
  }

  /** spark-submit's arguments: the shipped GPU properties file, then the settings. */
  static List<String> sparkArgs(Map<String, String> conf) {
    List<String> sparkArgs = new ArrayList<>(List.of("--properties-file",
        ClusterPaths.repoRoot().resolve("conf/spark-gpu.conf").toString()));
    conf.forEach((k, v) -> {
      sparkArgs.add("--conf");
      sparkArgs.add(k + "=" + v);
    });
    return sparkArgs;
  }

  @AfterAll
  static void stop() {
    ClusterTeardown.stop(spark, cluster);
  }

  @Test
  void theJobCompletesOnTheCpuAndScoresEveryRow() throws Exception {
    assertEquals(0, submission.exitCode(), submission::describe);
    spark = SparkSession.builder().master("local[1]").appName("adapler-gpu-it-reader")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    assertEveryRowOk(spark, output);
  }

  /** The output holds every input id once, each with status OK. */
  static void assertEveryRowOk(SparkSession spark, Path output) throws Exception {
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

    List<ExecutorLog> executors = cluster.executorLogs();
    assertEquals(2, executors.size(), () -> "executors: " + executors);
    Set<String> devices = new TreeSet<>();
    int scoringTasks = 0;
    for (ExecutorLog e : executors) {
      List<String> lines = e.lines();
      String where = "executor " + e.executorId() + " (" + e.stderr() + ")";

      // Spark gave the executor its worker's GPU, and every task on it that GPU.
      List<String> gpus = SparkLogLines.executorGpus(lines);
      assertEquals(List.of(WORKER_GPUS.get(e.worker())), gpus, where + " GPUs");
      List<RanTask> ran = SparkLogLines.ranTasks(lines);
      assertTrue(!ran.isEmpty(), where + " ran no task");
      for (RanTask r : ran) {
        LaunchedTask t = launched.get(r.tid());
        assertTrue(t != null, () -> "the driver did not log the launch of TID " + r.tid());
        assertEquals(e.executorId(), t.executorId(), () -> "TID " + r.tid() + " ran on " + where);
        assertEquals(gpus, t.gpus(), () -> "TID " + r.tid() + " GPU addresses");
      }
      assertTrue(lines.stream().noneMatch(l -> l.contains(TASK_WITHOUT_GPU)),
          where + ": a task had no GPU resource");

      // One runtime, opened by a task for the device of the GPU Spark assigned to that task.
      List<TaskLine> opened = SparkLogLines.taskLines(lines, SparkLogLines.RUNTIME_OPENED);
      assertEquals(1, opened.size(), () -> where + " opened " + opened.size() + " runtimes: "
          + opened);
      TaskLine opener = opened.get(0);
      String requested = requestedDevice(lines, opener);
      String assigned = launched.get(opener.tid()).gpus().get(0);
      assertEquals("cuda:" + assigned, requested, where + ", TID " + opener.tid());
      devices.add(requested);
      scoringTasks += (int) ran.stream().filter(r -> r.stage().equals(opener.stage())).count();
    }
    assertEquals(Set.of("cuda:1", "cuda:3"), devices);
    assertEquals(4, scoringTasks, "one scoring task per partition (--partitions 4)");
  }

  /**
   * The device the runtime was asked for: SessionOpener's CPU-fallback warning names it (this
   * build has no CUDA); where CUDA works, the opened runtime's own device is the one asked for.
   */
  static String requestedDevice(List<String> lines, TaskLine opener) {
    List<String> requested = new ArrayList<>();
    for (TaskLine t : SparkLogLines.taskLines(lines, "SessionOpener: CUDA device ")) {
      Matcher m = CUDA_REQUESTED.matcher(t.message());
      if (m.find()) {
        assertEquals(opener.tid(), t.tid(), "the CUDA request and the runtime's opening");
        requested.add(m.group(1));
      }
    }
    if (!requested.isEmpty()) {
      assertEquals(1, requested.size(), () -> "CUDA requests: " + requested);
      return requested.get(0);
    }
    Matcher on = OPENED_ON.matcher(opener.message());
    assertTrue(on.find(), () -> "no device in " + opener.message());
    return on.group(1);
  }
}
