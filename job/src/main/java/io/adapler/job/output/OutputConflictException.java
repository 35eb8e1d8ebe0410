package io.adapler.job.output;

/**
 * The output directory holds something a run with {@code --parts} must not add to: a run
 * started with other options, or output that was not written in parts. The job exits with
 * code 2 (bad options) and says how to go on.
 */
public final class OutputConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputConflictException(String message) {
    super(message);
  }
}
