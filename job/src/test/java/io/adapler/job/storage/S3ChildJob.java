package io.adapler.job.storage;

import io.adapler.job.JobTestSupport;
import io.adapler.job.ScoringJob;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.spark.internal.io.cloud.PathOutputCommitProtocol;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.s3.analyticsaccelerator.request.ObjectClient;

/**
 * {@link ScoringJob} in a child JVM in local mode, as {@code submit.sh} runs it without
 * {@code $SPARK_HOME} (the module's classes, {@code target/local-classpath.txt}, the opens of
 * {@code conf/java17-opens.txt}), plus the four jars {@code conf/spark-s3.conf} tells a user
 * to add ({@link #S3_JARS}) and its settings as system properties, which the child's SparkConf
 * reads as {@code --properties-file} would have set them.
 */
final class S3ChildJob {
  /**
   * What a user adds for s3a, by a class of each jar: the S3A connector, the AWS SDK bundle, the
   * S3 analytics accelerator (S3A 3.5.0 loads it whatever the input stream type), Spark's
   * committer binding.
   */
  static final List<Class<?>> S3_JARS = List.of(S3AFileSystem.class, S3Client.class,
      ObjectClient.class, PathOutputCommitProtocol.class);

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private S3ChildJob(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts the job; {@code LABEL.out} and {@code LABEL.err} go to {@code logs}. */
  static S3ChildJob start(Path logs, String label, S3Settings settings, List<String> args)
      throws IOException {
    Path build = S3Server.buildDir();
    Path root = JobTestSupport.root();
    List<String> classpath = new ArrayList<>(List.of(build.resolve("classes").toString()));
    for (Class<?> c : S3_JARS) {
      classpath.add(jarOf(c).toString());
    }
    Path listed = build.resolve("local-classpath.txt");
    if (!Files.exists(listed)) {
      throw new IllegalStateException(listed + " is missing: run after `package` (mvn verify)");
    }
    classpath.add(Files.readString(listed).strip());
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    Files.readAllLines(root.resolve("conf/java17-opens.txt")).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).forEach(cmd::add);
    cmd.addAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
        "-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"),
        "-Dspark.local.dir=" + Files.createDirectories(logs.resolve("spark-local"))));
    cmd.addAll(settings.systemProperties());
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath),
        ScoringJob.class.getName()));
    cmd.addAll(args);
    Path out = logs.resolve(label + ".out");
    Path err = logs.resolve(label + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("DJL_CACHE_DIR", build.resolve("djl-cache").toString());
    return new S3ChildJob(pb.start(), out, err);
  }

  /** The jar (or directory) a class was loaded from. */
  static Path jarOf(Class<?> c) {
    try {
      return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the JVM with SIGKILL, as when a node dies: no shutdown hooks, no cleanup. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Waits for the job to end.
   *
   * @return its exit code
   * @throws IllegalStateException when it runs longer than {@code seconds} (it is killed)
   */
  int await(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      throw new IllegalStateException("the job ran longer than " + seconds + " s\n" + logs());
    }
    return process.exitValue();
  }

  /** What it printed to stdout so far. */
  String out() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Its stdout and the end of its stderr, for failure messages. */
  String logs() {
    try {
      List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
      return "--- stdout ---\n" + out() + "--- stderr (last 40 lines) ---\n"
          + String.join("\n", err.subList(Math.max(0, err.size() - 40), err.size()));
    } catch (IOException e) {
      return "(logs unreadable: " + e + ")";
    }
  }
}
