package io.adapler.job.output;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import io.adapler.job.progress.ProgressReporter;
import io.adapler.job.report.ExampleRows;
import io.adapler.job.report.Reconciliation;
import io.adapler.job.report.RunMetrics;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.spark.RowStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One write of all the rows to score into the output: with {@code --incremental} only the rows
 * whose id the output does not hold yet, appended; then the counts that reconcile rows in with
 * rows out. A Delta append that Delta skips as a retry of a committed run is told apart from a
 * commit by the table's version, and reconciled against the rows the output already holds.
 */
public final class TableRun {
  /**
   * What the run did.
   *
   * @param metrics the sums the write observed (empty when nothing was written)
   * @param examples the summary page's example rows
   * @param reconciliation rows in against rows out
   */
  public record Result(Map<String, Object> metrics, List<ExampleRows.Candidate> examples,
      Reconciliation reconciliation) {}

  private final SparkSession spark;
  private final JobOptions o;
  private final OutputTable table;
  private final PrintStream out;

  /** A run of these options into the output they name, printing to {@code out}. */
  public TableRun(SparkSession spark, JobOptions o, PrintStream out) {
    this.spark = spark;
    this.o = o;
    this.table = new OutputTable(spark, o);
    this.out = out;
  }

  /**
   * Scores the selected rows (those not yet in the output, for incremental runs) and writes
   * them.
   *
   * @param selected the corpus as {@link CorpusReader#select} read it
   * @param layers the model's layers, for the summary's sums
   * @param labels the model's labels, for the example rows (0: no examples)
   */
  public Result run(Dataset<Row> selected, float etaScale, int layers, int labels,
      ProgressReporter progress) throws IOException, BundleLoadException, InterruptedException {
    boolean incremental = o.tables().incremental();
    Optional<Dataset<Row>> present = incremental ? table.ids() : Optional.empty();
    long considered = -1;
    Dataset<Row> toScore = selected;
    if (present.isPresent()) {
      considered = selected.count();
      toScore = selected.join(present.get(), selected.col(CorpusReader.ID)
          .equalTo(present.get().col(CorpusReader.ID)), "left_anti");
    }
    String mode = incremental ? "append" : o.mode();
    if (!mode.equals("overwrite") && table.holdsThisRun()) {
      return alreadyWritten(selected);
    }
    long before = mode.equals("append") ? table.count() : 0;
    Observation observation = new Observation("adapler-summary");
    Observation picks = new Observation("adapler-examples");
    Dataset<Row> input = CorpusReader.spreadCounted(spark, o, toScore, progress);
    Dataset<Row> scored = ScoredRows.score(input, o, etaScale, progress.rowsScored());
    Dataset<Row> observed = RunMetrics.observe(scored, observation, layers);
    if (labels > 0) {
      observed = ExampleRows.observe(observed, picks, o, labels);
    }
    long version = table.write(observed.select(ScoredRows.outputColumns(o, scored)), mode);
    if (version >= 0 && !incremental && table.deltaVersion() == version) {
      return alreadyWritten(selected); // Delta skipped the append: a committed attempt's retry
    }
    Map<String, Object> metrics = RunMetrics.awaitAfterWrite(observation,
        () -> countOutput() == before, o.output(), out);
    List<ExampleRows.Candidate> examples = labels > 0 && !metrics.isEmpty()
        ? ExampleRows.await(picks, labels, RunMetrics.WAIT) : List.of();
    long written = RunMetrics.rows(metrics);
    long read = progress.rowsRead();
    if (read < 0) { // the count job did not finish beside the scoring: count now
      read = toScore.count();
    }
    long skipped = considered < 0 ? 0 : considered - read;
    long committed = mode.equals("ignore") ? -1 : table.count() - before;
    return new Result(metrics, examples, Reconciliation.of(read, skipped, written, committed,
        RunMetrics.status(metrics, RowStatus.ERROR), o.tables().maxErrorRate()));
  }

  /**
   * Delta skipped the append: a committed attempt of this run wrote it. Every selected row
   * must then be in the output; the rows that are not count as read and not written.
   */
  private Result alreadyWritten(Dataset<Row> selected) throws IOException {
    out.printf("[adapler] %s already holds this run's append (Delta application id %s, "
        + "version 1): an earlier attempt committed it, so nothing was written. Scoring the "
        + "same input again needs other options, or --incremental for a growing input.%n",
        o.output(), table.deltaAppId());
    Dataset<Row> ids = table.ids().orElseThrow();
    long considered = selected.count();
    long held = selected.join(ids, selected.col(CorpusReader.ID)
        .equalTo(ids.col(CorpusReader.ID)), "left_semi").count();
    return new Result(Map.of(), List.of(), Reconciliation.of(considered - held, held, 0, 0, 0,
        o.tables().maxErrorRate()));
  }

  private long countOutput() {
    try {
      return table.count();
    } catch (IOException e) {
      throw new IllegalStateException("cannot count the rows of " + o.output() + ": " + e, e);
    }
  }
}
