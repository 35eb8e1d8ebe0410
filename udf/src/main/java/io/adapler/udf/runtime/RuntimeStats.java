package io.adapler.udf.runtime;

import java.util.Arrays;

/**
 * Where a runtime's time went, summed over every call since it opened: a snapshot taken by
 * {@link AdaplerRuntime#stats()}. Subtract two snapshots ({@link #minus}) to measure a span of
 * calls. With concurrent callers the stage times add up across threads (CPU-side seconds, not
 * wall time).
 *
 * <p>Per layer it counts the real tokens (those of a row) and the computed ones (the batch's
 * rows times the tensor's width at that layer, which the graph cuts to the longest kept row):
 * the difference is padding.
 *
 * @param batches batches run
 * @param rows rows scored
 * @param tokenizeNanos time in the tokenizer
 * @param prepareNanos time building the input tensors (padding, masks, native buffers)
 * @param sessionNanos time inside ONNX Runtime's {@code run}
 * @param outputNanos time copying outputs out and decoding them (softmax, FLOPs, rationales)
 * @param realTokens per layer, tokens that belong to a row
 * @param computedTokens per layer, tokens the layer computed (real plus padding)
 * @param usefulFlops FLOPs model of the rows' own tokens (sum of each row's AdapLeR FLOPs)
 * @param computedFlops FLOPs model of the padded tensors the graph actually ran
 */
public record RuntimeStats(
    long batches,
    long rows,
    long tokenizeNanos,
    long prepareNanos,
    long sessionNanos,
    long outputNanos,
    long[] realTokens,
    long[] computedTokens,
    double usefulFlops,
    double computedFlops) {

  /**
   * Returns the stats of the calls between an earlier snapshot and this one.
   *
   * @param earlier a snapshot of the same runtime taken before this one
   * @return the difference
   */
  public RuntimeStats minus(RuntimeStats earlier) {
    return combine(earlier, -1);
  }

  /**
   * Returns the stats of two spans together (for example repetitions of the same workload).
   *
   * @param other stats of the same runtime's geometry
   * @return the sum
   */
  public RuntimeStats plus(RuntimeStats other) {
    return combine(other, 1);
  }

  /** This plus {@code sign} times {@code other}, field by field. */
  private RuntimeStats combine(RuntimeStats other, int sign) {
    long[] real = new long[realTokens.length];
    long[] computed = new long[computedTokens.length];
    for (int l = 0; l < real.length; l++) {
      real[l] = realTokens[l] + sign * other.realTokens[l];
      computed[l] = computedTokens[l] + sign * other.computedTokens[l];
    }
    return new RuntimeStats(batches + sign * other.batches, rows + sign * other.rows,
        tokenizeNanos + sign * other.tokenizeNanos, prepareNanos + sign * other.prepareNanos,
        sessionNanos + sign * other.sessionNanos, outputNanos + sign * other.outputNanos, real,
        computed, usefulFlops + sign * other.usefulFlops,
        computedFlops + sign * other.computedFlops);
  }

  /**
   * Returns the share of a layer's computed tokens that belong to no row.
   *
   * @param layer the layer index
   * @return 1 - real / computed, 0 when nothing was computed
   */
  public double paddingFraction(int layer) {
    long computed = computedTokens[layer];
    return computed == 0 ? 0 : 1 - realTokens[layer] / (double) computed;
  }

  /**
   * Returns the summed time of all stages.
   *
   * @return tokenize + prepare + session + output, in nanoseconds
   */
  public long totalNanos() {
    return tokenizeNanos + prepareNanos + sessionNanos + outputNanos;
  }

  @Override
  public String toString() {
    return "RuntimeStats[batches=" + batches + ", rows=" + rows + ", tokenize="
        + tokenizeNanos / 1_000_000 + " ms, prepare=" + prepareNanos / 1_000_000
        + " ms, session=" + sessionNanos / 1_000_000 + " ms, output=" + outputNanos / 1_000_000
        + " ms, real tokens=" + Arrays.toString(realTokens) + ", computed tokens="
        + Arrays.toString(computedTokens) + "]";
  }
}
