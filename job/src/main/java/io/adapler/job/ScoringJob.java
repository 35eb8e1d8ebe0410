package io.adapler.job;

import static org.apache.spark.sql.functions.col;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.spark.AdaplerScoring;
import io.adapler.udf.spark.RowStatus;
import io.adapler.udf.spark.ScoreOptions;
import io.adapler.udf.spark.ScoredColumns;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The batch job: read the corpus, score every row, write Parquet and a run summary.
 *
 * <p>Exit codes: 0 done; 2 bad options; 3 the bundle cannot be used; 4 the input cannot be
 * read or lacks a column; 1 anything else. With {@code --parts} the output is committed part by
 * part ({@link PartedRun}), and a rerun resumes it; a run with other options is refused (2).
 */
public final class ScoringJob {
  static final int EXIT_OPTIONS = 2;
  static final int EXIT_BUNDLE = 3;
  static final int EXIT_INPUT = 4;

  /** The output columns after the id and the pass-through columns. */
  static final List<String> SCORE_COLUMNS = List.of(ScoredColumns.LABEL,
      ScoredColumns.LABEL_INDEX, ScoredColumns.PROBABILITIES, ScoredColumns.INPUT_LENGTH,
      ScoredColumns.LAYER_LENGTHS, ScoredColumns.FLOPS_SPEEDUP, ScoredColumns.TRUNCATED,
      ScoredColumns.STATUS, ScoredColumns.ERROR);

  private ScoringJob() {}

  /** Entry point for spark-submit and {@code submit.sh}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the job in the active Spark session (or a new local one) without exiting the JVM:
   * for pipelines and notebooks that call the job as a library.
   *
   * @param args the job's options, as on the command line
   * @param out where progress and the summary go
   * @param err where error messages go
   * @return the exit code: 0 done, 2 bad options, 3 bundle, 4 input, 1 anything else
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    JobOptions options;
    try {
      options = JobOptions.parse(args);
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return EXIT_OPTIONS;
    }
    if (options == null) {
      out.print(JobOption.helpText());
      return 0;
    }
    SparkSession spark = session();
    try {
      RunSummary summary = execute(spark, options, out);
      out.print(summary.toText());
      return 0;
    } catch (OutputConflictException e) {
      err.println("error: " + e.getMessage());
      return EXIT_OPTIONS;
    } catch (BundleLoadException e) {
      err.println("error: bundle " + options.bundle() + ": " + e.getMessage());
      return EXIT_BUNDLE;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return EXIT_INPUT;
    } catch (IOException e) {
      err.println("error: cannot write the summary: " + e);
      return 1;
    } catch (Exception e) {
      if (e instanceof AnalysisException) { // e.g. the input path does not exist
        err.println("error: " + e.getMessage());
        return EXIT_INPUT;
      }
      err.println("error: the job failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static SparkSession session() {
    SparkSession.Builder b = SparkSession.builder().appName("adapler-score");
    if (System.getProperty("spark.master") == null) {
      b = b.master("local[*]").config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /**
   * Scores the corpus into the output directory and writes the summary.
   *
   * @return the run summary
   */
  static RunSummary execute(SparkSession spark, JobOptions o, PrintStream out)
      throws BundleLoadException, IOException, InterruptedException {
    long start = System.nanoTime();
    ModelBundle bundle = BundleLoader.shared().load(o.bundle(),
        spark.sparkContext().hadoopConfiguration());
    int layers = bundle.manifest().geometry().layers();
    Dataset<Row> input = CorpusReader.read(spark, o);

    out.printf("[adapler] scoring %s (%s) with bundle %s at eta scale %s on %s -> %s%n",
        o.input(), o.inputFormat(), bundle.label(), o.etaScale(), o.device(), o.output());
    Map<String, Object> total;
    Map<String, Object> scoredNow;
    PartsSummary parts = null;
    try (ProgressReporter progress =
             ProgressReporter.start(spark.sparkContext(), o.progressSeconds(), out)) {
      if (o.parted()) {
        PartedRun.Result r = new PartedRun(spark, o, layers, out).run(input, bundle);
        total = r.total();
        scoredNow = r.scoredNow();
        parts = r.parts();
      } else {
        Observation observation = new Observation("adapler-summary");
        Dataset<Row> scored = AdaplerScoring.score(input, scoreOptions(o));
        RunMetrics.observe(scored, observation, layers).select(outputColumns(o)).write()
            .mode(o.mode()).parquet(o.output());
        total = observation.getAsJava();
        scoredNow = total;
      }
    }
    RunSummary summary = summarize(total, scoredNow, parts, o, bundle, layers,
        (System.nanoTime() - start) / 1e9);
    if (o.summary()) {
      var path = SummaryReport.write(summary, summaryDir(o.output()),
          spark.sparkContext().hadoopConfiguration());
      out.println("[adapler] output: " + o.output());
      out.println("[adapler] summary: " + path + " and summary.html");
    }
    return summary;
  }

  /** The output's columns: the id, the pass-through columns, then the scoring columns. */
  static Column[] outputColumns(JobOptions o) {
    Set<String> columns = new LinkedHashSet<>();
    columns.add(CorpusReader.ID);
    columns.addAll(o.passThrough());
    columns.addAll(SCORE_COLUMNS);
    return columns.stream().map(c -> col(c)).toArray(Column[]::new);
  }

  static ScoreOptions scoreOptions(JobOptions o) {
    return ScoreOptions.builder(o.bundle()).optTextColumn(o.textColumn())
        .optPairColumn(o.pairs() ? o.pairColumn() : null).optEtaScale(o.etaScale())
        .optDevice(o.device()).optAllowCpuFallback(o.allowCpuFallback())
        .optIntraOpThreads(o.intraOpThreads()).optTokenBudget(o.tokenBudget())
        .optMaxBatchRows(o.maxBatchRows()).optChunkRows(o.chunkRows())
        .optMaxTextChars(o.maxTextChars()).build();
  }

  /** The summary directory sits beside the output, so Parquet readers never see it. */
  static String summaryDir(String output) {
    String trimmed = output.replaceAll("/+$", "");
    return trimmed + "_summary";
  }

  /** The summary of the whole output ({@code m}); throughput counts what this run scored. */
  private static RunSummary summarize(Map<String, Object> m, Map<String, Object> now,
      PartsSummary parts, JobOptions o, ModelBundle bundle, int layers, double seconds) {
    long rows = num(m, "rows");
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RowStatus s : RowStatus.values()) {
      counts.put(s.name(), num(m, s.name()));
    }
    long ok = counts.get(RowStatus.OK.name());
    double[] meanLayers = new double[layers];
    for (int l = 0; l < layers; l++) {
      meanLayers[l] = ok == 0 ? 0 : num(m, "layer_" + l) / (double) ok;
    }
    double full = dbl(m, "flops_full");
    double adaptive = dbl(m, "flops_adaptive");
    long tokens = num(m, "tokens");
    return new RunSummary(bundle.manifest().name(), o.input(), o.output(), o.etaScale(),
        o.device(), rows, counts, num(m, "truncated"), adaptive > 0 ? full / adaptive : 0,
        ok == 0 ? 0 : tokens / (double) ok, meanLayers, seconds, num(now, "rows") / seconds,
        num(now, "tokens") / seconds, parts);
  }

  private static long num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).longValue();
  }

  private static double dbl(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? 0 : ((Number) v).doubleValue();
  }
}
