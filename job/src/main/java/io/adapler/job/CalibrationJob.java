package io.adapler.job;

import io.adapler.job.calibration.CalibratedBundle;
import io.adapler.job.calibration.CalibrationReport;
import io.adapler.job.input.CorpusReader;
import io.adapler.job.input.InputFormatProbe;
import io.adapler.job.options.CalibrationOptions;
import io.adapler.job.options.JobOptions;
import io.adapler.job.output.ScoredRows;
import io.adapler.job.progress.ProgressReporter;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.calibration.CalibrationCurve;
import io.adapler.udf.calibration.CurvePoint;
import io.adapler.udf.spark.AdaplerCalibration;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The calibration mode ({@code submit.sh calibrate}): scores a labelled sample at a grid of
 * eta scales in one pass, writes the speed/accuracy curve and recommends an eta scale; with
 * {@code --write-bundle}, also writes a copy of the bundle whose default is that eta scale.
 *
 * <p>Exit codes as the scoring job's: 0 done (also when no eta scale meets the criterion: the
 * report says so); 2 bad options; 3 the bundle cannot be used; 4 the input cannot be read,
 * lacks a column or has no usable labelled row; 1 anything else.
 */
public final class CalibrationJob {
  private CalibrationJob() {}

  /** Entry point for spark-submit and {@code submit.sh calibrate}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the calibration in the active Spark session (or a new local one).
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CalibrationOptions options;
    try {
      options = CalibrationOptions.parse(args);
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return ScoringJob.EXIT_OPTIONS;
    }
    if (options == null) {
      out.print(CalibrationOptions.helpText());
      return 0;
    }
    SparkSession spark = ScoringJob.session();
    try {
      execute(spark, options, out);
      return 0;
    } catch (Exception e) {
      return JobFailure.report(e, options.job().bundle(), "calibration", err);
    }
  }

  static Optional<CurvePoint> execute(SparkSession spark, CalibrationOptions c, PrintStream out)
      throws BundleLoadException, IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    JobOptions o = InputFormatProbe.settle(c.job(), conf, out);
    ModelBundle bundle = BundleLoader.shared().load(o.bundle(), conf);
    prepareOutput(o, conf);
    out.printf("[adapler] calibrating bundle %s on %s (labels in '%s') at eta scales %s%n",
        bundle.label(), o.input(), c.labelColumn(), java.util.Arrays.toString(c.scales()));
    long start = System.nanoTime();
    CalibrationCurve curve;
    try (ProgressReporter progress =
             ProgressReporter.start(spark.sparkContext(), o.progressSeconds(), out)) {
      var labelled = CorpusReader.spreadCounted(spark, o, CorpusReader.select(spark, o, false),
          progress);
      curve = AdaplerCalibration.sweep(labelled, ScoredRows.scoreOptions(o), c.labelColumn(),
          c.scales(), progress.rowsScored());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Optional<CurvePoint> pick = c.criterion().pick(curve.points());
    CalibrationReport report = new CalibrationReport(bundle.manifest().name(), o.input(),
        c.labelColumn(), c.criterion(), curve, pick.orElse(null), seconds);
    Path json = report.write(o.output(), conf);
    out.print(report.toText());
    out.println("[adapler] curve: " + json + " and calibration.html");
    if (pick.isPresent() && !c.writeBundle().isEmpty()) {
      String written = CalibratedBundle.write(bundle, c.writeBundle(), report, o.mode(), conf);
      ModelBundle check = BundleLoader.shared().load(written, conf);
      out.printf(Locale.ROOT, "[adapler] calibrated bundle: %s (default eta scale %s)%n", written,
          check.manifest().defaultEtaScale());
    } else if (!c.writeBundle().isEmpty()) {
      out.println("[adapler] no bundle written: no eta scale of the grid meets the criterion");
    }
    return pick;
  }

  /** The output directory must be new unless --mode overwrite. */
  private static void prepareOutput(JobOptions o, Configuration conf) throws IOException {
    Path dir = new Path(o.output());
    FileSystem fs = dir.getFileSystem(conf);
    if (fs.exists(dir)) {
      if (!o.mode().equals("overwrite")) {
        throw new IllegalArgumentException("the output " + o.output() + " exists; choose another "
            + "--output or pass --mode overwrite");
      }
      fs.delete(dir, true);
    }
    fs.mkdirs(dir);
  }
}
