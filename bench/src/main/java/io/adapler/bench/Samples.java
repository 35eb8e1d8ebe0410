package io.adapler.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Repeated measurements of one quantity: median, min, max and the spread (max - min) over the
 * median.
 */
record Samples(double[] values) {

  static Samples of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    return new Samples(values.clone());
  }

  double median() {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  double min() {
    return Arrays.stream(values).min().orElseThrow();
  }

  double max() {
    return Arrays.stream(values).max().orElseThrow();
  }

  double sum() {
    return Arrays.stream(values).sum();
  }

  double spread() {
    return (max() - min()) / median();
  }

  /** Element-wise ratio of paired samples (same repetition), e.g. speedups. */
  Samples over(Samples other) {
    double[] r = new double[values.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = values[i] / other.values[i];
    }
    return new Samples(r);
  }

  /** Each value mapped through {@code numerator / value}, e.g. seconds to rows per second. */
  Samples inverted(double numerator) {
    return new Samples(Arrays.stream(values).map(v -> numerator / v).toArray());
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", median());
    m.put("min", min());
    m.put("max", max());
    m.put("values", values.clone());
    return m;
  }

  /** {@code median (min-max)} with the given format. */
  String format(String f) {
    return String.format(f + " (%s-%s)", median(), String.format(f, min()),
        String.format(f, max()));
  }
}
