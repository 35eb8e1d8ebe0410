package io.adapler.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.adapler.job.output.PartStore.PartCommit;
import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import io.adapler.job.progress.ProgressReporter;
import io.adapler.job.report.ExampleRows;
import io.adapler.job.report.Reconciliation;
import io.adapler.job.report.PartsSummary;
import io.adapler.job.report.RunMetrics;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.spark.RowStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run that commits its output in parts ({@code --parts N}), so that a rerun after a crash
 * scores only what is missing. Part k holds the rows whose {@code pmod(xxhash64(id), N)} is
 * k - 1: the id is stable for the same input and options, so every attempt puts a row in the
 * same part. Parts are scored one after the other; each is written by Spark to a temporary
 * directory, its files moved into the output, and then its commit marker written with its
 * summary sums ({@link PartStore}). Whatever an attempt killed midway left of an uncommitted
 * part is deleted before the part is redone.
 */
public final class PartedRun {
  /**
   * What the run added up.
   *
   * @param total the sums over the whole output (every committed part)
   * @param scoredNow the sums over the parts this run scored
   * @param parts how many parts were skipped and scored
   * @param examples the summary page's example rows, chosen among the parts this run scored
   */
  public record Result(Map<String, Object> total, Map<String, Object> scoredNow, PartsSummary parts,
      List<ExampleRows.Candidate> examples) {}

  private final SparkSession spark;
  private final JobOptions o;
  private final int layers;
  private final float etaScale;
  private final PrintStream out;
  private final PartStore store;
  private final ProgressReporter progress;
  private final List<ExampleRows.Candidate> picked = new ArrayList<>();
  private final int labels;

  /** A run of the job's options over the output directory, printing to {@code out}. */
  public PartedRun(SparkSession spark, JobOptions o, int layers, int labels, float etaScale,
      PrintStream out, ProgressReporter progress) throws IOException {
    this.labels = labels;
    this.progress = progress;
    this.spark = spark;
    this.o = o;
    this.layers = layers;
    this.etaScale = etaScale;
    this.out = out;
    this.store = new PartStore(o.output(), spark.sparkContext().hadoopConfiguration());
  }

  /**
   * Scores the parts not yet committed and commits them, then writes {@code _SUCCESS}.
   *
   * @param input the corpus as {@link CorpusReader} read it
   * @throws OutputConflictException when the output holds a run with other options
   */
  public Result run(Dataset<Row> input, ModelBundle bundle)
      throws IOException, BundleLoadException {
    start(RunFingerprint.of(o, bundle, etaScale, input));
    int n = o.parts();
    Set<String> present = store.outputFiles();
    Map<String, Object> total = new LinkedHashMap<>();
    Map<String, Object> now = new LinkedHashMap<>();
    int skipped = 0;
    for (int k = 1; k <= n; k++) {
      Optional<PartCommit> done = store.commit(k);
      if (done.isPresent() && present.containsAll(done.get().files())) {
        skipped++;
        total = RunMetrics.plus(total, done.get().metrics());
        progress.alreadyScored(rowsOf(done.get().metrics()));
        out.printf("[adapler] part %d/%d already committed, skipped%n", k, n);
        continue;
      }
      if (done.isPresent()) {
        out.printf("[adapler] part %d/%d: files of its commit are missing, scoring it again%n",
            k, n);
      }
      PartCommit c = score(input, k);
      total = RunMetrics.plus(total, c.metrics());
      now = RunMetrics.plus(now, c.metrics());
      out.printf("[adapler] part %d/%d committed (%,d rows, %.1f s)%n", k, n,
          rowsOf(c.metrics()), c.seconds());
    }
    store.markSuccess();
    long rowsNow = rowsOf(now);
    return new Result(total, now, new PartsSummary(n, skipped, n - skipped, rowsNow),
        ExampleRows.merge(picked));
  }

  private static long rowsOf(Map<String, Object> metrics) {
    return ((Number) metrics.getOrDefault("rows", 0L)).longValue();
  }

  /** Checks the output against this run's fingerprint, or starts it afresh. */
  private void start(RunFingerprint mine) throws IOException {
    if (o.mode().equals("overwrite")) {
      store.deleteOutput();
    } else if (store.outputHasContent()) {
      Optional<RunFingerprint> theirs = store.manifest();
      if (theirs.isEmpty()) {
        throw new OutputConflictException("the output " + o.output() + " already exists and "
            + "was not written with --parts (no " + PartStore.DIR + "/manifest.json); pass "
            + "--mode overwrite to replace it, or choose another --output");
      }
      List<String> diff = mine.differencesFrom(theirs.get());
      if (!diff.isEmpty()) {
        throw new OutputConflictException("the output " + o.output() + " holds parts of a run "
            + "with other options, so it cannot be resumed:\n  " + String.join("\n  ", diff)
            + "\nrerun with the options it was started with, or pass --mode overwrite to "
            + "start over");
      }
      out.printf("[adapler] resuming %s: same options as the run that started it%n", o.output());
      return;
    }
    store.writeManifest(mine);
  }

  /** Scores one part into its temporary directory, moves its files up and commits it. */
  private PartCommit score(Dataset<Row> input, int k) throws IOException, BundleLoadException {
    long start = System.nanoTime();
    store.clear(k);
    Dataset<Row> rows = input.filter(
        pmod(xxhash64(col(CorpusReader.ID)), lit(o.parts())).equalTo(k - 1));
    Observation observation = new Observation("adapler-part-" + k);
    Dataset<Row> scored = ScoredRows.score(rows, o, etaScale,
        progress.rowsScored());
    Dataset<Row> observed = RunMetrics.observe(scored, observation, layers);
    Observation picks = new Observation("adapler-examples-" + k);
    boolean examples = o.summary() && o.summaryExamples();
    if (examples) {
      observed = ExampleRows.observe(observed, picks, o, labels);
    }
    spark.sparkContext().setJobDescription("adapler part " + k + "/" + o.parts());
    try {
      observed.select(ScoredRows.outputColumns(o, scored)).write().mode("overwrite")
          .parquet(store.tempDir(k));
      Map<String, Object> metrics = new LinkedHashMap<>(
          RunMetrics.awaitAfterWrite(observation,
              () -> spark.read().parquet(store.tempDir(k)).isEmpty(), store.tempDir(k), out));
      if (examples && !metrics.isEmpty()) {
        picked.addAll(ExampleRows.await(picks, labels, RunMetrics.WAIT));
      }
      List<String> files = store.moveIn(k);
      PartCommit c = new PartCommit(k, o.parts(), files, metrics,
          (System.nanoTime() - start) / 1e9);
      store.writeCommit(c);
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while part " + k + " was written", e);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * Rows in against rows out for a parted run: the input's rows (counted beside the scoring,
   * or now) against the rows of every committed part, and the rows the output holds.
   */
  public static Reconciliation reconcile(Result r, long rowsRead, Dataset<Row> selected,
      JobOptions o) {
    long read = rowsRead >= 0 ? rowsRead : selected.count();
    long written = RunMetrics.rows(r.total());
    long held = selected.sparkSession().read().parquet(o.output()).count();
    return Reconciliation.of(read, 0, written, held, RunMetrics.status(r.total(),
        RowStatus.ERROR), o.tables().maxErrorRate());
  }
}
