package io.adapler.job.options;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pipeline step needs beyond reading files and writing a directory: a filter on the
 * input, the output's table format and partitioning, incremental runs, and the error rate that
 * fails a run.
 *
 * @param inputFilter a Spark SQL condition on the input's columns, or "" for every row
 * @param outputFormat parquet (a directory), delta (a path or a table name) or iceberg (a
 *     table name in a Spark catalog)
 * @param partitionBy the output columns to partition the output by, possibly none
 * @param incremental score only the input rows whose id is not in the output, and append them
 * @param maxErrorRate the share of ERROR rows above which the run fails, or null for never
 * @param summaryDir where the summary goes, or "" for the default place
 */
public record TableOptions(String inputFilter, String outputFormat, List<String> partitionBy,
    boolean incremental, Double maxErrorRate, String summaryDir) {

  /** The output formats the job writes. */
  public static final Set<String> OUTPUT_FORMATS = Set.of("parquet", "delta", "iceberg");

  /** The options of a plain run: every row, a Parquet directory, no failure on errors. */
  public static final TableOptions NONE = new TableOptions("", "parquet", List.of(), false, null,
      "");

  static TableOptions from(Map<JobOption, String> v, String mode, int parts, boolean generatedId) {
    String format = OptionValues.oneOf(v, JobOption.OUTPUT_FORMAT, OUTPUT_FORMATS);
    boolean incremental = OptionValues.bool(v, JobOption.INCREMENTAL);
    if (incremental && generatedId) {
      throw new IllegalArgumentException("--incremental needs --id-column: a row already "
          + "scored is found by its id, and a generated id names a file position, which a "
          + "growing input does not keep");
    }
    if (incremental && !mode.equals("errorifexists") && !mode.equals("append")) {
      throw new IllegalArgumentException("--incremental appends the new rows to the output; it "
          + "cannot go with --mode " + mode + " (leave --mode out, or pass --mode append)");
    }
    if (incremental && parts > 0) {
      throw new IllegalArgumentException("--incremental and --parts are two ways to resume; "
          + "use one: --incremental for a growing input, --parts for one long run");
    }
    if (parts > 0 && !format.equals("parquet")) {
      throw new IllegalArgumentException("--parts commits a Parquet directory part by part; "
          + "a " + format + " table commits each write atomically and resumes with "
          + "--incremental");
    }
    return new TableOptions(v.get(JobOption.INPUT_FILTER).strip(), format,
        OptionValues.list(v.get(JobOption.PARTITION_BY)), incremental, maxErrorRate(v),
        v.get(JobOption.SUMMARY_DIR).strip());
  }

  /** The share of ERROR rows that fails the run, or null when not given. */
  private static Double maxErrorRate(Map<JobOption, String> v) {
    String s = v.get(JobOption.MAX_ERROR_RATE).strip();
    if (s.isEmpty()) {
      return null;
    }
    try {
      double r = Double.parseDouble(s);
      if (r >= 0 && r <= 1) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--max-error-rate must be a share between 0 and 1 (0.01: "
        + "one row in a hundred), found '" + v.get(JobOption.MAX_ERROR_RATE) + "'");
  }

  /** Whether a name is a path (a scheme or a slash) rather than a catalog table name. */
  public static boolean isPath(String name) {
    return name.contains("/") || name.contains(":") || name.startsWith(".");
  }

  /** Whether the output is a table written through Spark's table formats, not a directory. */
  public boolean tableOutput() {
    return !outputFormat.equals("parquet");
  }

}
