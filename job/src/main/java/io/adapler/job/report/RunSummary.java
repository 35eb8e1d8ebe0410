package io.adapler.job.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What one run did, for people and for pipelines: written next to the output as JSON and
 * HTML and printed at the end.
 *
 * @param bundle the bundle's name
 * @param input the input path
 * @param output the output path
 * @param etaScale the eta scale the rows were scored at
 * @param device the device asked for
 * @param rows output rows (always equal to input rows)
 * @param statusCounts rows per status (OK, EMPTY, NULL, ERROR)
 * @param malformedRecords input records the json or csv reader could not parse; they are
 *     among the ERROR rows too (0 for other formats)
 * @param truncatedRows rows whose input was cut to the max length
 * @param corpusFlopsSpeedup total FLOPs of the full model over total FLOPs of AdapLeR, over the
 *     scored rows (a ratio of sums)
 * @param meanInputLength mean tokens per scored row
 * @param meanLayerLengths mean tokens processed by each layer, over the scored rows
 * @param wallSeconds wall time of read, score and write (of this run, when it resumed one)
 * @param rowsPerSecond rows this run scored over wall time
 * @param tokensPerSecond input tokens of the rows this run scored over wall time
 * @param parts with {@code --parts}: the parts skipped and scored; null without
 * @param reconciliation rows in against rows out, and the verdict; null until reconciled
 */
public record RunSummary(
    String bundle,
    String input,
    String output,
    float etaScale,
    String device,
    long rows,
    Map<String, Long> statusCounts,
    long malformedRecords,
    long truncatedRows,
    double corpusFlopsSpeedup,
    double meanInputLength,
    double[] meanLayerLengths,
    double wallSeconds,
    double rowsPerSecond,
    double tokensPerSecond,
    @JsonInclude(JsonInclude.Include.NON_NULL) PartsSummary parts,
    @JsonInclude(JsonInclude.Include.NON_NULL) Reconciliation reconciliation) {

  /** The version of summary.json's fields (docs/output.md): new fields may come, none go. */
  public static final int SCHEMA_VERSION = 2;

  /** The version of summary.json's fields, written into it. */
  @JsonProperty("schemaVersion")
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /** This summary with the run's reconciliation. */
  public RunSummary withReconciliation(Reconciliation r) {
    return new RunSummary(bundle, input, output, etaScale, device, rows, statusCounts,
        malformedRecords, truncatedRows, corpusFlopsSpeedup, meanInputLength, meanLayerLengths,
        wallSeconds, rowsPerSecond, tokensPerSecond, parts, r);
  }

  /** Returns the summary as the few lines printed at the end of a run. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("rows             %,d  %s%n", rows, statusCounts));
    sb.append(String.format("malformed        %,d (input records that could not be parsed; "
        + "among ERROR)%n", malformedRecords));
    sb.append(String.format("truncated        %,d%n", truncatedRows));
    sb.append(String.format("FLOPs speedup    %.2fx (corpus, ratio of sums, eta scale %s)%n",
        corpusFlopsSpeedup, etaScale));
    sb.append(String.format("mean length      input %.1f, per layer", meanInputLength));
    for (double l : meanLayerLengths) {
      sb.append(String.format(" %.1f", l));
    }
    sb.append(String.format("%nthroughput       %,.1f rows/s, %,.0f tokens/s, wall %.1f s%n",
        rowsPerSecond, tokensPerSecond, wallSeconds));
    if (parts != null) {
      sb.append(parts.toText());
    }
    if (reconciliation != null) {
      sb.append(reconciliation.toText());
    }
    return sb.toString();
  }
}
