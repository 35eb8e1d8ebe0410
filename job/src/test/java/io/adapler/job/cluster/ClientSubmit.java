package io.adapler.job.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * spark-submit in client mode against a test cluster, done the way {@code bin/spark-submit}
 * does it: {@code org.apache.spark.launcher.Main} prints the driver's command, then that
 * command runs, as a process of the cluster's {@link ChildProcesses}.
 */
final class ClientSubmit {
  private final Path dir;
  private final SparkHome sparkHome;
  private final ChildProcesses processes;

  /**
   * @param dir the cluster's directory: logs go to its logs/, the driver's scratch to
   *     local-driver/
   */
  ClientSubmit(Path dir, SparkHome sparkHome, ChildProcesses processes) {
    this.dir = dir;
    this.sparkHome = sparkHome;
    this.processes = processes;
  }

  /**
   * Runs the application and waits for it.
   *
   * @param masterUrl the cluster's master
   * @param label names the driver's log files (logs/LABEL.out, logs/LABEL.err)
   * @param sparkArgs spark-submit options (--conf, --properties-file, ...)
   * @param appJar the application jar
   * @param appArgs the application's arguments
   * @param timeout the longest the driver may run; it is killed after that
   */
  Submission run(String masterUrl, String label, List<String> sparkArgs, Path appJar,
      List<String> appArgs, Duration timeout) throws IOException, InterruptedException {
    List<String> submitArgs = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", masterUrl, "--deploy-mode", "client",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false",
        "--conf", "spark.local.dir=" + dir.resolve("local-driver"),
        "--conf", "spark.driver.defaultJavaOptions=" + String.join(" ", SparkHome.jvmOptions())));
    submitArgs.addAll(sparkArgs);
    submitArgs.add(appJar.toString());
    submitArgs.addAll(appArgs);
    List<String> command = driverCommand(label, submitArgs);

    Path out = dir.resolve("logs/" + label + ".out");
    Path err = dir.resolve("logs/" + label + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(ClusterPaths.repoRoot().toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    sparkHome.environment(pb.environment());
    long start = System.nanoTime();
    Process driver = processes.start(pb);
    boolean done = driver.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!done) {
      ChildProcesses.stop(driver);
      Files.writeString(err, "\n[test] spark-submit killed after " + timeout.toSeconds()
          + " s\n", StandardOpenOption.APPEND);
    }
    return new Submission(done ? driver.exitValue() : -1, out, err,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** What the launcher prints: NUL-separated arguments, led by a "\0\n" (bin/spark-class). */
  private List<String> driverCommand(String label, List<String> submitArgs)
      throws IOException, InterruptedException {
    List<String> launcher = new ArrayList<>(List.of(SparkHome.java(), "-Xmx128m", "-cp",
        sparkHome.classpath(), "org.apache.spark.launcher.Main"));
    launcher.addAll(submitArgs);
    ProcessBuilder lb = new ProcessBuilder(launcher).directory(ClusterPaths.repoRoot().toFile());
    sparkHome.environment(lb.environment());
    Path launcherErr = dir.resolve("logs/" + label + "-launcher.err");
    lb.redirectError(launcherErr.toFile());
    Process lp = lb.start();
    byte[] printed = lp.getInputStream().readAllBytes();
    if (!lp.waitFor(60, TimeUnit.SECONDS) || lp.exitValue() != 0) {
      lp.destroyForcibly();
      throw new IllegalStateException("the Spark launcher failed: "
          + ClusterPaths.tail(launcherErr, 20));
    }
    List<String> command = new ArrayList<>();
    for (String arg : new String(printed, StandardCharsets.UTF_8).split("\0")) {
      String a = arg.replaceFirst("^\n+", "");
      if (!a.isEmpty()) {
        command.add(a);
      }
    }
    return command;
  }
}
