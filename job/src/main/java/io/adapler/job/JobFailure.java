package io.adapler.job;

import io.adapler.job.output.OutputConflictException;
import io.adapler.udf.bundle.BundleLoadException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.apache.spark.sql.AnalysisException;

/**
 * How the jobs ({@link ScoringJob}, {@link CalibrationJob}) report a failed run: one message on
 * the error stream and the exit code of its kind, so that both modes fail alike.
 */
final class JobFailure {
  private JobFailure() {}

  /**
   * Prints what went wrong and returns the exit code: 2 an output that conflicts with the
   * options, 3 the bundle, 4 the input (a bad column, a path Spark cannot read, an I/O error
   * while the input package reads it), 1 anything else (with its stack trace, since it is a bug
   * or an environment problem).
   *
   * @param e the failure
   * @param bundle the bundle option, for the message
   * @param what the job's name in the message ("job", "calibration")
   * @param err where the message goes
   * @return the exit code
   */
  static int report(Exception e, String bundle, String what, PrintStream err) {
    if (e instanceof UncheckedIOException u) {
      e = u.getCause(); // carried through code that declares no IOException
    }
    if (e instanceof OutputConflictException) {
      err.println("error: " + e.getMessage());
      return ScoringJob.EXIT_OPTIONS;
    }
    if (e instanceof BundleLoadException) {
      err.println("error: bundle " + bundle + ": " + e.getMessage());
      return ScoringJob.EXIT_BUNDLE;
    }
    if (e instanceof IllegalArgumentException || e instanceof AnalysisException) {
      err.println("error: " + e.getMessage()); // AnalysisException: e.g. no such input path
      return ScoringJob.EXIT_INPUT;
    }
    if (e instanceof IOException && whileReadingInput(e)) {
      // e.g. a bucket that does not exist or an endpoint that does not answer: S3A and other
      // object store connectors say so with an IOException that names the path
      err.println("error: the input cannot be read: " + e.getMessage());
      return ScoringJob.EXIT_INPUT;
    }
    if (e instanceof IOException) {
      err.println("error: the " + what + " could not write its results: " + e);
      return 1;
    }
    err.println("error: the " + what + " failed: " + e);
    e.printStackTrace(err);
    return 1;
  }

  /** Whether the failure came from reading the input (the input package was reading it). */
  private static boolean whileReadingInput(Exception e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame.getClassName().startsWith(INPUT_PACKAGE)) {
        return true;
      }
    }
    return false;
  }

  private static final String INPUT_PACKAGE = "io.adapler.job.input.";
}
