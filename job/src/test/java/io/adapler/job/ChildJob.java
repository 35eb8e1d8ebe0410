package io.adapler.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ScoringJob#main} in a child JVM in local mode, the way {@code submit.sh} runs it
 * without {@code $SPARK_HOME}: the module's classes and {@code target/local-classpath.txt}
 * (which {@code package} writes), and the Java 17 opens of {@code conf/java17-opens.txt}. A
 * test can kill it like a scheduler's node dying would.
 */
public final class ChildJob {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJob(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the job.
   *
   * @param logs where {@code LABEL.out} and {@code LABEL.err} go, and Spark's local directory
   * @param label names the log files
   * @param args the job's options
   */
  public static ChildJob start(Path logs, String label, List<String> args) throws IOException {
    Path build = buildDir();
    return start(logs, label, build.resolve("classes") + java.io.File.pathSeparator
        + readClasspath(build.resolve("local-classpath.txt")), args);
  }

  /**
   * Starts the job on a classpath of the caller's choosing, e.g. the application jar and
   * another Spark line's jars.
   *
   * @param classpath the whole classpath, {@link java.io.File#pathSeparator}-separated
   */
  public static ChildJob start(Path logs, String label, String classpath, List<String> args)
      throws IOException {
    return start(logs, label, classpath, List.of(), ScoringJob.class.getName(), args);
  }

  /**
   * Starts a main class of the caller's choosing with extra JVM options, e.g. Spark settings
   * as {@code -Dspark.*} system properties, which a local session's SparkConf reads.
   *
   * @param jvmOptions options before the main class, after the project's own
   */
  public static ChildJob start(Path logs, String label, String classpath, List<String> jvmOptions,
      String mainClass, List<String> args) throws IOException {
    Path build = buildDir();
    Path root = JobTestSupport.root();
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    Files.readAllLines(root.resolve("conf/java17-opens.txt")).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).forEach(cmd::add);
    cmd.addAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
        "-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"),
        "-Dspark.local.dir=" + Files.createDirectories(logs.resolve("spark-local")),
        "-cp", classpath));
    cmd.addAll(jvmOptions);
    cmd.add(mainClass);
    cmd.addAll(args);
    Path out = logs.resolve(label + ".out");
    Path err = logs.resolve(label + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("DJL_CACHE_DIR", build.resolve("djl-cache").toString());
    return new ChildJob(pb.start(), out, err);
  }

  /** A classpath file that {@code package} wrote, stripped; fails when it is missing. */
  public static String readClasspath(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: run after `package` (mvn verify)");
    }
    return Files.readString(file).strip();
  }

  /** The module's build directory: failsafe passes it, an IDE runs in the module. */
  public static Path buildDir() {
    String configured = System.getProperty("adapler.it.buildDir");
    return (configured != null ? Paths.get(configured) : Paths.get("target")).toAbsolutePath();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the JVM with SIGKILL: no shutdown hooks, no cleanup, as when a node dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Waits for the job to end.
   *
   * @return its exit code
   * @throws IllegalStateException when it runs longer than {@code seconds} (it is killed)
   */
  public int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      throw new IllegalStateException("the job ran longer than " + seconds + " s\n" + logs());
    }
    return process.exitValue();
  }

  /** What it printed to stdout so far. */
  public String out() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Its stdout and the end of its stderr, for failure messages. */
  public String logs() {
    try {
      List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      return "--- stdout ---\n" + out() + "--- stderr (last 40 lines) ---\n"
          + String.join("\n", err.subList(Math.max(0, err.size() - 40), err.size()));
    } catch (IOException e) {
      return "(logs unreadable: " + e + ")";
    }
  }
}
