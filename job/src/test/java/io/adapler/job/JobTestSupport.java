package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.runtime.RuntimeRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/** Paths, the shared local session and an in-process job runner for the job's tests. */
public final class JobTestSupport {
  private static SparkSession spark;

  private JobTestSupport() {}

  /** The repository root, found by walking up to the directory holding samples/. */
  public static Path root() {
    for (Path at = Paths.get("").toAbsolutePath(); at != null; at = at.getParent()) {
      if (Files.isDirectory(at.resolve("samples/models/tiny-random"))) {
        return at;
      }
    }
    throw new IllegalStateException("samples/models/tiny-random not found above "
        + Paths.get("").toAbsolutePath());
  }

  public static String tinyBundle() {
    return root().resolve("samples/models/tiny-random").toString();
  }

  public static String sampleCorpus() {
    return root().resolve("samples/data/spam-assassin-sample.jsonl").toString();
  }

  /** One local[2] session for all job tests, on loopback; ScoringJob picks it up. */
  public static synchronized SparkSession spark() {
    if (spark == null) {
      SparkSession.Builder b = SparkSession.builder().master("local[2]")
          .appName("adapler-job-test").config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.warehouse.dir", root().resolve("job/target/spark-warehouse").toString());
      for (var e : ScoringJob.deltaConf().entrySet()) { // as a local submit.sh session has it
        b = b.config(e.getKey(), e.getValue());
      }
      spark = b.getOrCreate();
    }
    return spark;
  }

  /**
   * Stops the shared session: for integration tests, which share their JVM with others that
   * start (and stop) sessions of their own.
   */
  public static synchronized void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }

  /** The runtime the job's executors use, for direct comparisons. */
  public static AdaplerRuntime runtime(String bundle) throws Exception {
    return RuntimeRegistry.shared().get(BundleLoader.shared().load(bundle),
        RuntimeOptions.defaults());
  }

  /** What one in-process run printed and returned. */
  public record Run(int exitCode, String out, String err) {}

  public static Run run(String... args) {
    spark();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ScoringJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Run runOk(String... args) {
    Run r = run(args);
    assertEquals(0, r.exitCode(), () -> "job failed:\n" + r.err() + "\n" + r.out());
    return r;
  }
}
