package io.adapler.job.report;

/**
 * How a run with {@code --parts} got to its output: how many parts were already committed by
 * an earlier, interrupted run and skipped, and how many this run scored.
 *
 * @param parts the number of parts the output is committed in
 * @param skipped parts an earlier run had committed, skipped by this one
 * @param scored parts this run scored and committed
 * @param rowsScored rows of the parts this run scored (the rest of the summary covers them all)
 */
public record PartsSummary(int parts, int skipped, int scored, long rowsScored) {

  /** Returns the line the printed summary shows. */
  public String toText() {
    return String.format("parts            %d: %d already committed (skipped), %d scored in this "
        + "run (%,d rows)%n", parts, skipped, scored, rowsScored);
  }
}
