package io.adapler.udf.runtime;

import java.util.List;

/**
 * The runtime's answer for one row. Arrays are not copied: treat them as read-only.
 *
 * @param labelIndex the index of the most probable class
 * @param label the most probable class's label
 * @param probabilities softmax of the logits, one per class
 * @param logits the classifier logits
 * @param inputLength real tokens after truncation, special tokens included
 * @param layerLengths tokens processed by each layer
 * @param truncated whether truncation removed tokens from the input
 * @param fullFlops FLOPs of the full model on this row
 * @param adaptiveFlops FLOPs of AdapLeR on this row
 * @param keptPositions token positions that reached the last layer, ascending
 * @param rationale the kept word pieces with character offsets (special tokens left out);
 *     empty when rationales are off or the row was given as ids
 * @param tokenLayers for each of the row's tokens, how many encoder layers ran on it: the
 *     number of layers for the tokens that reached the last layer ({@code [CLS]} always), 0
 *     for a token dropped before the first layer; empty when rationales are off or the
 *     bundle's graph has no {@code token_layers} output
 */
public record RowResult(
    int labelIndex,
    String label,
    float[] probabilities,
    float[] logits,
    int inputLength,
    int[] layerLengths,
    boolean truncated,
    double fullFlops,
    double adaptiveFlops,
    int[] keptPositions,
    List<RationaleToken> rationale,
    int[] tokenLayers) {

  /**
   * Returns this row's FLOPs speedup, full over AdapLeR.
   *
   * @return the speedup (at least about 1 minus the Contribution Predictors' cost)
   */
  public double flopsSpeedup() {
    return fullFlops / adaptiveFlops;
  }
}
