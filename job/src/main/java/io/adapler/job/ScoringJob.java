package io.adapler.job;

import static org.apache.spark.sql.functions.col;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.input.InputFormatProbe;
import io.adapler.job.options.JobOption;
import io.adapler.job.options.JobOptions;
import io.adapler.job.output.OutputTable;
import io.adapler.job.output.PartedRun;
import io.adapler.job.output.ScoredRows;
import io.adapler.job.output.TableRun;
import io.adapler.job.progress.ProgressReporter;
import io.adapler.job.report.ExampleRows;
import io.adapler.job.report.ExampleTokens;
import io.adapler.job.report.PartsSummary;
import io.adapler.job.report.Reconciliation;
import io.adapler.job.report.RunMetrics;
import io.adapler.job.report.RunSummary;
import io.adapler.job.report.SummaryReport;
import io.adapler.job.report.TokenHeatmap;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.InferenceException;
import io.adapler.udf.spark.AdaplerScoring;
import io.adapler.udf.spark.GpuStageProfile;
import io.adapler.udf.spark.ScoreOptions;
import io.adapler.udf.spark.ScoredColumns;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

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
      Reconciliation r = summary.reconciliation();
      if (r != null && r.exitCode() != 0) {
        err.println("error: " + r.verdict() + ": " + String.join("; ", r.problems())
            + " (the output and the summary are written; exit code " + r.exitCode() + ")");
        return r.exitCode();
      }
      return 0;
    } catch (Exception e) {
      return JobFailure.report(e, options.bundle(), "job", err);
    }
  }

  static SparkSession session() {
    SparkSession.Builder b = SparkSession.builder().appName("adapler-score");
    if (System.getProperty("spark.master") == null) {
      b = b.master("local[*]").config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
      for (Map.Entry<String, String> e : deltaConf().entrySet()) {
        b = b.config(e.getKey(), e.getValue());
      }
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /**
   * What a local session needs for Delta tables, when Delta is on the classpath (it is for
   * submit.sh): its SQL extension and catalog. Clusters configure their own.
   */
  public static Map<String, String> deltaConf() {
    try {
      Class.forName("io.delta.sql.DeltaSparkSessionExtension", false,
          ScoringJob.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return Map.of();
    }
    return Map.of("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
  }

  /**
   * Scores the corpus into the output directory and writes the summary.
   *
   * @return the run summary
   */
  static RunSummary execute(SparkSession spark, JobOptions options, PrintStream out)
      throws BundleLoadException, IOException, InterruptedException {
    long start = System.nanoTime();
    JobOptions o = InputFormatProbe.settle(options,
        spark.sparkContext().hadoopConfiguration(), out);
    ModelBundle bundle = BundleLoader.shared().load(o.bundle(),
        spark.sparkContext().hadoopConfiguration());
    int layers = bundle.manifest().geometry().layers();
    int labels = bundle.manifest().labels().size();
    boolean examples = o.summary() && o.summaryExamples();
    float etaScale = o.etaScale() != null ? o.etaScale() : bundle.manifest().defaultEtaScale();
    // The session opens (~0.7 s) while Spark reads the schema and plans: one core idles then.
    AdaplerScoring.openInBackground(bundle, ScoredRows.scoreOptions(o).withEtaScaleOr(etaScale));
    Dataset<Row> selected = CorpusReader.select(spark, o, true);
    // The Spark version is the cluster's, not the one built against: one jar serves 4.0 to 4.2.
    out.printf("[adapler] scoring %s (%s) with bundle %s at eta scale %s%s on %s, Spark %s"
        + " -> %s%n",
        o.input(), o.inputFormat(), bundle.label(), etaScale,
        o.etaScale() == null && bundle.manifest().operatingPoint() != null
            ? " (the bundle's calibrated operating point)" : "", o.device(), spark.version(),
        o.output());
    if (!o.device().startsWith("cpu")) {
      out.println("[adapler] GPUs: " + GpuStageProfile.decide(ScoredRows.scoreOptions(o),
          spark.sparkContext().conf()).reason());
    }
    Map<String, Object> total;
    Map<String, Object> scoredNow;
    PartsSummary parts = null;
    Reconciliation reconciliation;
    List<ExampleRows.Candidate> picked;
    try (ProgressReporter progress =
             ProgressReporter.start(spark.sparkContext(), o.progressSeconds(), out)) {
      if (o.parted()) {
        // Count the rows as read: counting the repartitioned rows would shuffle them again.
        progress.expect(selected);
        PartedRun.Result r = new PartedRun(spark, o, layers, labels, etaScale, out, progress)
            .run(CorpusReader.spread(spark, o, selected), bundle);
        total = r.total();
        scoredNow = r.scoredNow();
        parts = r.parts();
        picked = r.examples();
        reconciliation = PartedRun.reconcile(r, progress.rowsRead(), selected, o);
      } else {
        TableRun.Result r = new TableRun(spark, o, out)
            .run(selected, etaScale, layers, examples ? labels : 0, progress);
        total = r.metrics();
        scoredNow = total;
        picked = r.examples();
        reconciliation = r.reconciliation();
      }
    }
    RunSummary summary = RunMetrics.summarize(total, scoredNow, parts, o, bundle, layers, etaScale,
        (System.nanoTime() - start) / 1e9).withReconciliation(reconciliation);
    if (o.summary()) {
      String[] section = examplesSection(picked, bundle, etaScale, out);
      var path = SummaryReport.write(summary, section[0], section[1], summaryDir(spark, o),
          spark.sparkContext().hadoopConfiguration());
      out.println("[adapler] output: " + o.output());
      out.println("[adapler] summary: " + path + " and summary.html");
    }
    return summary;
  }

  /**
   * The summary page's examples as {css, html}: the picked rows scored again on the driver
   * with their token layers. A failure here costs the page its examples, never the run.
   */
  static String[] examplesSection(List<ExampleRows.Candidate> picked, ModelBundle bundle,
      float etaScale, PrintStream out) {
    try {
      long start = System.nanoTime();
      int layers = bundle.manifest().geometry().layers();
      List<ExampleTokens.Example> examples = ExampleTokens.score(picked, bundle, etaScale);
      if (examples.isEmpty()) {
        return new String[] {"", ""};
      }
      String[] section = {TokenHeatmap.css(layers),
          TokenHeatmap.section(examples, layers, bundle.manifest().hasTokenLayers())};
      out.printf(Locale.ROOT, "[adapler] summary.html: %d example rows, scored again on"
          + " the driver in %.2f s%n", examples.size(), (System.nanoTime() - start) / 1e9);
      return section;
    } catch (BundleLoadException | InferenceException | RuntimeException e) {
      out.println("[adapler] summary.html has no example rows: " + e.getMessage());
      return new String[] {"", ""};
    }
  }

  /**
   * Where the summary goes: {@code --summary-dir}, else beside a path output, else (a table
   * name) in the session's warehouse directory.
   */
  static String summaryDir(SparkSession spark, JobOptions o) {
    if (!o.tables().summaryDir().isEmpty()) {
      return o.tables().summaryDir();
    }
    if (new OutputTable(spark, o).byName()) {
      return spark.conf().get("spark.sql.warehouse.dir").replaceAll("/+$", "") + "/"
          + o.output().replaceAll("[^A-Za-z0-9_.-]", "_") + "_summary";
    }
    return summaryDir(o.output());
  }

  /** The summary directory sits beside the output, so Parquet readers never see it. */
  static String summaryDir(String output) {
    String trimmed = output.replaceAll("/+$", "");
    return trimmed + "_summary";
  }
}
