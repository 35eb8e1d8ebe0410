package io.adapler.udf.flops;

import java.io.Serializable;

/**
 * Sums full and AdapLeR FLOPs over many rows; the corpus speedup is the ratio of the sums, as
 * the paper reports it. Not thread-safe: keep one per thread or task and {@link #merge} them.
 */
public final class SpeedupAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows added. */
  private long rows;

  /** Summed full-model FLOPs. */
  private double fullFlops;

  /** Summed AdapLeR FLOPs. */
  private double adaptiveFlops;

  /**
   * Adds one row.
   *
   * @param full the row's full-model FLOPs
   * @param adaptive the row's AdapLeR FLOPs
   */
  public void add(double full, double adaptive) {
    if (!(full > 0) || !(adaptive > 0)) {
      throw new IllegalArgumentException("FLOPs must be positive, found full=" + full
          + " adaptive=" + adaptive);
    }
    rows++;
    fullFlops += full;
    adaptiveFlops += adaptive;
  }

  /**
   * Adds everything another accumulator holds.
   *
   * @param other the accumulator to add
   */
  public void merge(SpeedupAccumulator other) {
    rows += other.rows;
    fullFlops += other.fullFlops;
    adaptiveFlops += other.adaptiveFlops;
  }

  /**
   * Returns the corpus speedup, total full FLOPs over total AdapLeR FLOPs.
   *
   * @return the speedup, or 1 when no rows were added
   */
  public double speedup() {
    return rows == 0 ? 1.0 : fullFlops / adaptiveFlops;
  }

  /**
   * Returns the number of rows added.
   *
   * @return rows
   */
  public long rows() {
    return rows;
  }

  /**
   * Returns the summed full-model FLOPs.
   *
   * @return FLOPs
   */
  public double fullFlops() {
    return fullFlops;
  }

  /**
   * Returns the summed AdapLeR FLOPs.
   *
   * @return FLOPs
   */
  public double adaptiveFlops() {
    return adaptiveFlops;
  }
}
