package io.adapler.job.output;

import static org.apache.spark.sql.functions.col;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.input.MalformedRecords;
import io.adapler.job.options.JobOptions;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.spark.AdaplerScoring;
import io.adapler.udf.spark.ScoreOptions;
import io.adapler.udf.spark.ScoredColumns;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * The scoring step as the jobs write it: the job's options as the library's scoring options,
 * the scored rows (malformed input records marked), and the columns the output keeps.
 */
public final class ScoredRows {
  /** The output columns after the id and the pass-through columns. */
  public static final List<String> SCORE_COLUMNS = List.of(ScoredColumns.LABEL,
      ScoredColumns.LABEL_INDEX, ScoredColumns.PROBABILITIES, ScoredColumns.INPUT_LENGTH,
      ScoredColumns.LAYER_LENGTHS, ScoredColumns.FLOPS_SPEEDUP, ScoredColumns.TRUNCATED,
      ScoredColumns.STATUS, ScoredColumns.ERROR);

  private ScoredRows() {}

  /** The scoring options; the eta scale stays unset (the bundle's default) when not given. */
  public static ScoreOptions scoreOptions(JobOptions o) {
    ScoreOptions.Builder b = ScoreOptions.builder(o.bundle());
    if (o.etaScale() != null) {
      b.optEtaScale(o.etaScale());
    }
    return b.optTextColumn(o.textColumn())
        .optPairColumn(o.pairs() ? o.pairColumn() : null)
        .optDevice(o.device()).optTaskGpus(o.gpuPerTask())
        .optAllowCpuFallback(o.allowCpuFallback())
        .optIntraOpThreads(o.intraOpThreads()).optTokenBudget(o.tokenBudget())
        .optMaxBatchRows(o.maxBatchRows()).optChunkRows(o.chunkRows())
        .optMaxTextChars(o.maxTextChars()).optRationales(o.rationales()).build();
  }

  /**
   * Scores the rows at the eta scale; malformed input records (json, csv) become ERROR rows
   * that say so.
   *
   * @param rowsScored the progress report's row counter, or null
   */
  public static Dataset<Row> score(Dataset<Row> input, JobOptions o, float etaScale,
      LongAccumulator rowsScored) throws BundleLoadException {
    Dataset<Row> scored = AdaplerScoring.score(input, scoreOptions(o).withEtaScaleOr(etaScale),
        rowsScored);
    return MalformedRecords.present(input) ? MalformedRecords.markErrors(scored, o.inputFormat())
        : scored;
  }

  /**
   * The output's columns: the id, the pass-through columns, the scoring columns, the rationale
   * when asked for, and the raw text of malformed records when the input format has such a
   * notion.
   */
  public static Column[] outputColumns(JobOptions o, Dataset<Row> scored) {
    Set<String> columns = new LinkedHashSet<>();
    columns.add(CorpusReader.ID);
    columns.addAll(o.passThrough());
    columns.addAll(SCORE_COLUMNS);
    if (o.rationales()) {
      columns.add(ScoredColumns.RATIONALE);
    }
    if (MalformedRecords.present(scored)) {
      columns.add(MalformedRecords.COLUMN);
    }
    return columns.stream().map(c -> col(c)).toArray(Column[]::new);
  }
}
