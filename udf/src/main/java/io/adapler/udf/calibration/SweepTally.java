package io.adapler.udf.calibration;

import io.adapler.udf.runtime.RowResult;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What scoring labelled rows at every eta scale of a grid adds up to: per scale a confusion
 * matrix, the AdapLeR FLOPs and the tokens each layer processed; the full model's FLOPs and the
 * input tokens (the same at every scale); and the rows left out, by reason. Tallies of
 * partitions add up with {@link #plus}. Every counted row is counted at every scale, so all
 * points of a curve are measured on the same rows.
 */
public final class SweepTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] scales;
  private final int classes;
  private final long[][] confusion;   // [scale][gold * classes + predicted]
  private final double[] adaptiveFlops;
  private final long[][] layerTokens; // [scale][layer]
  private double fullFlops;
  private long inputTokens;
  private long rows;
  private final Map<String, Long> skipped = new TreeMap<>();

  /**
   * Creates an empty tally.
   *
   * @param scales the eta scales of the grid
   * @param classes the model's classes
   * @param layers the model's layers
   */
  public SweepTally(float[] scales, int classes, int layers) {
    this.scales = scales.clone();
    this.classes = classes;
    this.confusion = new long[scales.length][classes * classes];
    this.adaptiveFlops = new double[scales.length];
    this.layerTokens = new long[scales.length][layers];
  }

  /**
   * Counts one row scored at every scale of the grid.
   *
   * @param gold the row's true class index
   * @param results the row's result at each scale, in grid order
   */
  public void add(int gold, RowResult[] results) {
    if (results.length != scales.length) {
      throw new IllegalArgumentException(results.length + " results for " + scales.length + " scales");
    }
    for (int s = 0; s < scales.length; s++) {
      RowResult r = results[s];
      confusion[s][gold * classes + r.labelIndex()]++;
      adaptiveFlops[s] += r.adaptiveFlops();
      for (int l = 0; l < r.layerLengths().length; l++) {
        layerTokens[s][l] += r.layerLengths()[l];
      }
    }
    fullFlops += results[0].fullFlops();
    inputTokens += results[0].inputLength();
    rows++;
  }

  /** Counts a row left out of the curve, with the reason. */
  public void skip(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  /** Returns the sum of two tallies over the same grid. */
  public SweepTally plus(SweepTally o) {
    if (!Arrays.equals(scales, o.scales) || classes != o.classes) {
      throw new IllegalArgumentException("tallies of different grids cannot be added");
    }
    SweepTally t = new SweepTally(scales, classes, layerTokens[0].length);
    for (int s = 0; s < scales.length; s++) {
      for (int k = 0; k < confusion[s].length; k++) {
        t.confusion[s][k] = confusion[s][k] + o.confusion[s][k];
      }
      for (int l = 0; l < layerTokens[s].length; l++) {
        t.layerTokens[s][l] = layerTokens[s][l] + o.layerTokens[s][l];
      }
      t.adaptiveFlops[s] = adaptiveFlops[s] + o.adaptiveFlops[s];
    }
    t.fullFlops = fullFlops + o.fullFlops;
    t.inputTokens = inputTokens + o.inputTokens;
    t.rows = rows + o.rows;
    t.skipped.putAll(skipped);
    o.skipped.forEach((k, v) -> t.skipped.merge(k, v, Long::sum));
    return t;
  }

  float[] scales() {
    return scales.clone();
  }

  int classes() {
    return classes;
  }

  long[] confusion(int scale) {
    return confusion[scale].clone();
  }

  double adaptiveFlops(int scale) {
    return adaptiveFlops[scale];
  }

  long[] layerTokens(int scale) {
    return layerTokens[scale].clone();
  }

  double fullFlops() {
    return fullFlops;
  }

  long inputTokens() {
    return inputTokens;
  }

  /** Returns the rows counted at every scale. */
  public long rows() {
    return rows;
  }

  /** Returns the rows left out, by reason. */
  public Map<String, Long> skipped() {
    return Map.copyOf(skipped);
  }
}
