package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.BundleManifest;
import io.adapler.udf.calibration.CalibrationCurve;
import io.adapler.udf.calibration.SweepTally;
import java.util.Arrays;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.util.LongAccumulator;

/**
 * The calibration sweep: scores labelled rows at every eta scale of a grid in ONE pass over
 * the data (each row is read and tokenized once, then run once per scale) and returns the
 * speed/accuracy curve.
 *
 * <pre>{@code
 * CalibrationCurve curve = AdaplerCalibration.sweep(labelled,
 *     ScoreOptions.builder("hdfs:///models/spam").optTextColumn("body").build(),
 *     "label", new float[] {0f, 0.5f, 1f, 1.5f, 2f});
 * }</pre>
 */
public final class AdaplerCalibration {
  private AdaplerCalibration() {}

  /**
   * Scores the rows at every eta scale and returns the curve.
   *
   * @param labelled rows with the options' text column and a label column
   * @param options bundle, columns, device and batching (the eta scale is ignored)
   * @param labelColumn the true class: a string equal to one of the bundle's labels, or an
   *     integer class index
   * @param scales the grid; eta scale 0 (the full model) is added when missing
   * @return the curve, one point per distinct scale, ascending
   * @throws BundleLoadException when the bundle cannot be used
   * @throws IllegalArgumentException for a missing or mistyped column, a bad grid, or when no
   *     row could be scored
   */
  public static CalibrationCurve sweep(Dataset<Row> labelled, ScoreOptions options,
      String labelColumn, float[] scales) throws BundleLoadException {
    return sweep(labelled, options, labelColumn, scales, null);
  }

  /**
   * As {@link #sweep(Dataset, ScoreOptions, String, float[])}, and the tasks add the rows they
   * have run at every scale to {@code rowsScored}, chunk by chunk, for a progress report.
   *
   * @param rowsScored a registered accumulator, or null for no count
   */
  public static CalibrationCurve sweep(Dataset<Row> labelled, ScoreOptions options,
      String labelColumn, float[] scales, LongAccumulator rowsScored)
      throws BundleLoadException {
    AdaplerScoring.checkTextColumns(labelled.schema(), options);
    if (!Arrays.asList(labelled.schema().fieldNames()).contains(labelColumn)) {
      throw new IllegalArgumentException("the label column '" + labelColumn + "' is not in the "
          + "input; its columns are " + Arrays.toString(labelled.schema().fieldNames()));
    }
    DataType type = labelled.schema().apply(labelColumn).dataType();
    boolean isIndex = type instanceof IntegralType;
    if (!isIndex && !type.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("the label column '" + labelColumn + "' must hold the "
          + "bundle's labels as strings or class indexes as integers, found "
          + type.simpleString());
    }
    BundleManifest m = BundleLoader.shared().load(options.bundle(),
        labelled.sparkSession().sparkContext().hadoopConfiguration()).manifest();
    float[] grid = grid(scales);
    SweepPartition fn = new SweepPartition(options.withEtaScaleOr(1f), grid, m.labels(),
        m.geometry().layers(), labelled.schema(), labelColumn, isIndex, rowsScored);
    SweepTally total = labelled.mapPartitions(fn, Encoders.javaSerialization(SweepTally.class))
        .collectAsList().stream().reduce(SweepTally::plus)
        .orElse(new SweepTally(grid, m.labels().size(), m.geometry().layers()));
    return CalibrationCurve.of(total);
  }

  /** The distinct scales, ascending, with 0 added. */
  static float[] grid(float[] scales) {
    TreeSet<Float> set = new TreeSet<>();
    set.add(0f);
    for (float s : scales) {
      if (!(s >= 0) || Float.isInfinite(s)) {
        throw new IllegalArgumentException("eta scales must be finite numbers >= 0, found " + s);
      }
      set.add(s);
    }
    float[] out = new float[set.size()];
    int i = 0;
    for (float s : set) {
      out[i++] = s;
    }
    return out;
  }
}
