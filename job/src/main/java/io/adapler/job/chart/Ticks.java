package io.adapler.job.chart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Round tick values: on a log speedup axis, powers of two (1x, 2x, 4x, ...) or, on a short
 * range, the halves and quarters between them, or round steps on a range shorter still; on a
 * linear axis, multiples of 1, 2, 2.5 or 5
 * times a power of ten. Never more than {@link #MAX} ticks.
 */
final class Ticks {
  /** The most tick labels one axis carries. */
  static final int MAX = 8;
  private static final double[][] OCTAVE_SETS = {{1}, {1, 1.5}, {1, 1.25, 1.5, 1.75}};
  private static final double[] STEPS = {1, 2, 2.5, 5};

  private Ticks() {}

  /**
   * Ticks for a log-scale speedup axis over [lo, hi]: the coarsest octave set that puts at
   * least three ticks in the range, thinned to at most {@link #MAX}; on a range too short for
   * that, round linear steps.
   */
  static List<Double> logSpeedup(double lo, double hi) {
    for (double[] set : OCTAVE_SETS) {
      List<Double> ticks = new ArrayList<>();
      int k0 = (int) Math.floor(StrictMath.log(lo) / StrictMath.log(2));
      int k1 = (int) Math.ceil(StrictMath.log(hi) / StrictMath.log(2));
      for (int k = k0; k <= k1; k++) {
        for (double m : set) {
          double v = m * StrictMath.pow(2, k);
          if (v >= lo - 1e-12 && v <= hi + 1e-12) {
            ticks.add(v);
          }
        }
      }
      if (ticks.size() >= 3) {
        return thin(ticks);
      }
    }
    return inside(lo, hi, 5);
  }

  /** The multiples of the smallest round step that puts at most {@code most} ticks in [lo, hi]. */
  private static List<Double> inside(double lo, double hi, int most) {
    for (int e = (int) Math.floor(StrictMath.log10(Math.max(hi - lo, 1e-9) / most)) - 1; ; e++) {
      for (double m : STEPS) {
        double step = m * StrictMath.pow(10, e);
        List<Double> ticks = new ArrayList<>();
        for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-12; i++) {
          ticks.add(round(i * step));
        }
        if (ticks.size() <= most) {
          return ticks;
        }
      }
    }
  }

  /** Every n-th tick so that at most {@link #MAX} remain, keeping the first (1x on most charts). */
  private static List<Double> thin(List<Double> ticks) {
    int every = (ticks.size() + MAX - 1) / MAX;
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < ticks.size(); i += every) {
      out.add(ticks.get(i));
    }
    return out;
  }

  /**
   * Linear ticks covering [lo, hi]: the smallest round step giving at most {@code most} ticks
   * from the multiple at or below lo to the one at or above hi (so the axis ends on ticks).
   */
  static List<Double> linear(double lo, double hi, int most) {
    double span = Math.max(hi - lo, 1e-9);
    for (int e = (int) Math.floor(StrictMath.log10(span / most)) - 1; ; e++) {
      for (double m : STEPS) {
        double step = m * StrictMath.pow(10, e);
        long a = (long) Math.floor(lo / step + 1e-9);
        long b = (long) Math.ceil(hi / step - 1e-9);
        if (b - a + 1 <= most) {
          List<Double> ticks = new ArrayList<>();
          for (long i = a; i <= b; i++) {
            ticks.add(round(i * step));
          }
          return ticks;
        }
      }
    }
  }

  /** A tick value as it prints: no trailing zeros, no float noise ("0.95", "16", "1.25"). */
  static String format(double v) {
    String s = new BigDecimal(round(v)).setScale(6, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  /** The ticks as they print, all with the decimals the finest of them needs ("0.90", "0.95"). */
  static List<String> formatAll(List<Double> ticks) {
    int decimals = 0;
    for (double v : ticks) {
      decimals = Math.max(decimals, Math.max(0, new BigDecimal(format(v)).scale()));
    }
    List<String> out = new ArrayList<>();
    for (double v : ticks) {
      out.add(new BigDecimal(format(v)).setScale(decimals, java.math.RoundingMode.HALF_EVEN)
          .toPlainString());
    }
    return out;
  }

  /** Removes the float noise of step multiples (0.1 * 3 = 0.30000000000000004). */
  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
