package io.adapler.udf.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The speed/accuracy curve of a bundle on labelled rows: one {@link CurvePoint} per eta scale,
 * in ascending eta scale, all measured on the same rows.
 *
 * @param points the points, ascending in eta scale
 * @param rows rows counted at every eta scale
 * @param skipped rows left out, by reason (null text, no usable label, empty, too long, error)
 * @param meanInputLength mean input tokens of the counted rows
 */
public record CalibrationCurve(List<CurvePoint> points, long rows, Map<String, Long> skipped,
    double meanInputLength) {

  /**
   * Computes the curve from a tally.
   *
   * @param t the tally of all partitions
   * @return the curve
   * @throws IllegalArgumentException when no row could be counted
   */
  public static CalibrationCurve of(SweepTally t) {
    if (t.rows() == 0) {
      throw new IllegalArgumentException("no labelled row could be scored (left out: "
          + t.skipped() + ")");
    }
    float[] scales = t.scales();
    List<CurvePoint> points = new ArrayList<>();
    for (int s = 0; s < scales.length; s++) {
      long[] m = t.confusion(s);
      long[] tokens = t.layerTokens(s);
      double[] mean = new double[tokens.length];
      for (int l = 0; l < tokens.length; l++) {
        mean[l] = tokens[l] / (double) t.rows();
      }
      // The decimal the grid was given in (1.1, not the float's 1.100000023841858).
      double scale = Double.parseDouble(Float.toString(scales[s]));
      points.add(new CurvePoint(scale, accuracy(m, t.classes()), f1(m, t.classes()),
          t.fullFlops() / t.adaptiveFlops(s), mean));
    }
    points.sort(Comparator.comparingDouble(CurvePoint::etaScale));
    return new CalibrationCurve(List.copyOf(points), t.rows(), t.skipped(),
        t.inputTokens() / (double) t.rows());
  }

  static double accuracy(long[] m, int c) {
    long right = 0;
    long all = 0;
    for (int g = 0; g < c; g++) {
      for (int p = 0; p < c; p++) {
        all += m[g * c + p];
        right += g == p ? m[g * c + p] : 0;
      }
    }
    return all == 0 ? 0 : right / (double) all;
  }

  /** F1 of class 1 for two classes, the mean F1 over classes for more (as the trainer). */
  static double f1(long[] m, int c) {
    if (c == 2) {
      return f1Of(m, c, 1);
    }
    double sum = 0;
    for (int k = 0; k < c; k++) {
      sum += f1Of(m, c, k);
    }
    return sum / c;
  }

  private static double f1Of(long[] m, int c, int k) {
    long tp = m[k * c + k];
    long fp = 0;
    long fn = 0;
    for (int o = 0; o < c; o++) {
      if (o != k) {
        fp += m[o * c + k];
        fn += m[k * c + o];
      }
    }
    return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
  }

  /** Returns the point at eta scale 0 (the full-length model), if the grid has it. */
  public CurvePoint full() {
    return points.stream().filter(p -> p.etaScale() == 0).findFirst()
        .orElseThrow(() -> new IllegalStateException("the curve has no eta scale 0"));
  }
}
