package io.adapler.job.cluster;

import io.adapler.job.ScoringJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The job the cluster tests run: its options on the repository's sample corpus with the tiny
 * bundle, and a run of it in this JVM (local mode), the reference a cluster run is compared
 * with.
 */
final class JobUnderTest {
  private JobUnderTest() {}

  /** What an in-process run printed and returned. */
  record LocalRun(int exitCode, String out, String err) {}

  /** The job's options: the sample corpus and the tiny bundle, as in conf/job.conf. */
  static List<String> sampleArgs(Path output) {
    return List.of("--input", ClusterPaths.sampleCorpus().toUri().toString(),
        "--input-format", "json", "--id-column", "id", "--pass-through", "gold_label",
        "--bundle", ClusterPaths.tinyBundle().toUri().toString(),
        "--output", output.toUri().toString(), "--mode", "overwrite", "--partitions", "4",
        "--progress-seconds", "0");
  }

  /** Runs the job in this JVM; it picks up the active local session. */
  static LocalRun runInProcess(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ScoringJob.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new LocalRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
