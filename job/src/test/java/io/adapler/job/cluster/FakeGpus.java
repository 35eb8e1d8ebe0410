package io.adapler.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.cluster.SparkLogLines.TaskLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPUs on a machine without any: two workers that discover one "GPU" each with the shipped
 * conf/gpu-discovery.sh, through a fake nvidia-smi that reports GPU 1 on the first worker and
 * GPU 3 on the second; and what the executors' logs say of the device a runtime was asked for.
 */
final class FakeGpus {
  /** The fake GPU of each worker. */
  static final List<String> WORKER_GPUS = List.of("1", "3");
  /** SparkDeviceResolver's warning when a task has no GPU resource. */
  static final String TASK_WITHOUT_GPU = "asks for the task's GPU but";
  /** SessionOpener's warning when a CUDA device cannot be used and CPU fallback is allowed. */
  private static final Pattern CUDA_REQUESTED =
      Pattern.compile("SessionOpener: CUDA device (cuda:\\d+) requested for bundle ");
  /** The device in RuntimeRegistry's "opened AdaplerRuntime[tiny-random@... on cuda:1]". */
  private static final Pattern OPENED_ON = Pattern.compile("opened AdaplerRuntime\\[\\S+ on (\\S+)\\]");

  private FakeGpus() {}

  /** Puts the fake nvidia-smi in place and returns the two workers that find it first. */
  static List<WorkerSpec> workers() throws IOException {
    Path fakeBin = Files.createDirectories(ClusterPaths.buildDir().resolve("it-cluster/fake-gpu-bin"));
    Path nvidiaSmi = fakeBin.resolve("nvidia-smi");
    Files.copy(ClusterPaths.resource("fake-nvidia-smi"), nvidiaSmi,
        StandardCopyOption.REPLACE_EXISTING);
    if (!nvidiaSmi.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + nvidiaSmi + " executable");
    }
    String discovery = ClusterPaths.repoRoot().resolve("conf/gpu-discovery.sh").toString();
    String path = fakeBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<WorkerSpec> workers = new ArrayList<>();
    for (String gpu : WORKER_GPUS) {
      workers.add(WorkerSpec.of(2, "1g")
          .withConf("spark.worker.resource.gpu.amount", "1")
          .withConf("spark.worker.resource.gpu.discoveryScript", discovery)
          .withEnv("PATH", path).withEnv("FAKE_GPU_INDICES", gpu));
    }
    return workers;
  }

  /**
   * The device the runtime was asked for: SessionOpener's CPU-fallback warning names it (this
   * build has no CUDA); where CUDA works, the opened runtime's own device is the one asked for.
   *
   * @param lines an executor's log
   * @param opener the task line that says the runtime was opened
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
