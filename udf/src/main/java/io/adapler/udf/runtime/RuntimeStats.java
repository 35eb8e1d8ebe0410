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
    long[] real = new long[realTokens.length];
    long[] computed = new long[computedTokens.length];
    for (int l = 0; l < real.length; l++) {
      real[l] = realTokens[l] - earlier.realTokens[l];
      computed[l] = computedTokens[l] - earlier.computedTokens[l];
    }
    return new RuntimeStats(batches - earlier.batches, rows - earlier.rows,
        tokenizeNanos - earlier.tokenizeNanos, prepareNanos - earlier.prepareNanos,
        sessionNanos - earlier.sessionNanos, outputNanos - earlier.outputNanos, real, computed,
        usefulFlops - earlier.usefulFlops, computedFlops - earlier.computedFlops);
  }

  /**
   * Returns the stats of two spans together (for example repetitions of the same workload).
   *
   * @param other stats of the same runtime's geometry
   * @return the sum
   */
  public RuntimeStats plus(RuntimeStats other) {
    long[] real = new long[realTokens.length];
    long[] computed = new long[computedTokens.length];
    for (int l = 0; l < real.length; l++) {
      real[l] = realTokens[l] + other.realTokens[l];
      computed[l] = computedTokens[l] + other.computedTokens[l];
    }
    return new RuntimeStats(batches + other.batches, rows + other.rows,
        tokenizeNanos + other.tokenizeNanos, prepareNanos + other.prepareNanos,
        sessionNanos + other.sessionNanos, outputNanos + other.outputNanos, real, computed,
        usefulFlops + other.usefulFlops, computedFlops + other.computedFlops);
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
