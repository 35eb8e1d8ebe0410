package io.adapler.job.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a spark-submit run left: its exit code and where its output went.
 *
 * @param exitCode the driver's exit code, -1 when it was killed for running too long
 * @param stdout the driver's standard output
 * @param stderr the driver's standard error (Spark's log)
 * @param took how long it ran
 */
record Submission(int exitCode, Path stdout, Path stderr, Duration took) {

  /** The exit code, the files and their last lines: the message of a failed assertion. */
  String describe() {
    return "spark-submit exited with " + exitCode + " after " + took.toSeconds() + " s; stdout "
        + stdout + ", stderr " + stderr + "\n--- last lines of stderr ---\n"
        + ClusterPaths.tail(stderr, 40) + "\n--- last lines of stdout ---\n"
        + ClusterPaths.tail(stdout, 20);
  }
}
