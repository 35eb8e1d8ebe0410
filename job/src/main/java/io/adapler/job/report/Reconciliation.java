package io.adapler.job.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows in against rows out, for pipelines that must know no row went missing: the rows the run
 * read to score, those it skipped as already in the output, those the write observed, and
 * those the output gained, counted in the output itself after the commit. A run whose counts
 * disagree, or whose share of ERROR rows passes the limit, fails with an exit code of its own
 * after its output and summary are written.
 *
 * @param rowsRead rows the run read to score (after the input filter and, for incremental
 *     runs, without those already scored), counted as they were read
 * @param rowsSkipped rows left out as already in the output (incremental runs; else 0)
 * @param rowsWritten rows the write observed, by every status
 * @param rowsCommitted rows the output gained, counted in it after the commit; -1 when it
 *     cannot be counted apart from earlier runs' rows (a Parquet append beside other writers)
 * @param errorRows rows with status ERROR among those written
 * @param maxErrorRate the limit on ERROR rows over rows written, or null for none
 * @param verdict OK, ROWS_DIFFER or TOO_MANY_ERRORS
 * @param problems what disagreed, in words; empty when the verdict is OK
 */
public record Reconciliation(long rowsRead, long rowsSkipped, long rowsWritten,
    long rowsCommitted, long errorRows, Double maxErrorRate, String verdict,
    List<String> problems) {

  /** Exit code of a run whose rows in and out differ. */
  public static final int EXIT_ROWS_DIFFER = 5;
  /** Exit code of a run whose share of ERROR rows passed {@code --max-error-rate}. */
  public static final int EXIT_TOO_MANY_ERRORS = 6;

  /** Reconciles the counts; see the record's components. */
  public static Reconciliation of(long rowsRead, long rowsSkipped, long rowsWritten,
      long rowsCommitted, long errorRows, Double maxErrorRate) {
    List<String> problems = new ArrayList<>();
    if (rowsRead != rowsWritten) {
      problems.add(String.format(Locale.ROOT, "%,d rows were read to score but %,d written",
          rowsRead, rowsWritten));
    }
    if (rowsCommitted >= 0 && rowsCommitted != rowsWritten) {
      problems.add(String.format(Locale.ROOT, "%,d rows were written but the output gained %,d",
          rowsWritten, rowsCommitted));
    }
    String verdict = "OK";
    if (!problems.isEmpty()) {
      verdict = "ROWS_DIFFER";
    } else if (maxErrorRate != null && rowsWritten > 0
        && errorRows / (double) rowsWritten > maxErrorRate) {
      verdict = "TOO_MANY_ERRORS";
      problems.add(String.format(Locale.ROOT, "%,d of %,d rows are ERROR (%.4f), above "
          + "--max-error-rate %s", errorRows, rowsWritten, errorRows / (double) rowsWritten,
          maxErrorRate));
    }
    return new Reconciliation(rowsRead, rowsSkipped, rowsWritten, rowsCommitted, errorRows,
        maxErrorRate, verdict, List.copyOf(problems));
  }

  /** The share of ERROR rows among the rows written (0 when none were). */
  public double errorRate() {
    return rowsWritten == 0 ? 0 : errorRows / (double) rowsWritten;
  }

  /** The job's exit code for this verdict: 0, {@value #EXIT_ROWS_DIFFER} or
   * {@value #EXIT_TOO_MANY_ERRORS}. */
  public int exitCode() {
    return switch (verdict) {
      case "ROWS_DIFFER" -> EXIT_ROWS_DIFFER;
      case "TOO_MANY_ERRORS" -> EXIT_TOO_MANY_ERRORS;
      default -> 0;
    };
  }

  /** The lines printed with the summary. */
  public String toText() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "reconciled       %s: read %,d, skipped as already scored %,d, written %,d, output "
            + "gained %s%n", verdict, rowsRead, rowsSkipped, rowsWritten,
        rowsCommitted < 0 ? "not counted" : String.format(Locale.ROOT, "%,d", rowsCommitted)));
    for (String p : problems) {
      sb.append("                 ").append(p).append('\n');
    }
    return sb.toString();
  }
}
