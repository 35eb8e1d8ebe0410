package io.adapler.udf.testing;

import io.adapler.udf.tokenize.TextRow;
import java.util.List;

/**
 * One line of a fixture's {@code golden.jsonl}, written by the PyTorch reference.
 *
 * @param id the row id
 * @param text the text
 * @param textPair the second text or null
 * @param inputIds the reference tokenizer's ids
 * @param tokenTypeIds the reference tokenizer's token types
 * @param truncated whether the reference truncated the row
 * @param inputLength the number of tokens
 * @param runs the one-row reference loop's results, one per eta scale
 */
public record GoldenRow(
    int id,
    String text,
    String textPair,
    long[] inputIds,
    long[] tokenTypeIds,
    boolean truncated,
    int inputLength,
    List<Run> runs) {

  /**
   * One reference run.
   *
   * @param etaScale the eta scale
   * @param logits the logits
   * @param layerLengths tokens processed per layer
   * @param keptPositions positions reaching the last layer
   * @param tokenLayers per token position, the number of layers whose kept set holds it
   */
  public record Run(float etaScale, float[] logits, int[] layerLengths, int[] keptPositions,
      int[] tokenLayers) {}

  /** Returns the row as runtime input. */
  public TextRow textRow() {
    return new TextRow(text, textPair);
  }

  /** Returns the run at an eta scale. */
  public Run run(float etaScale) {
    return runs.stream()
        .filter(r -> r.etaScale() == etaScale)
        .findFirst()
        .orElseThrow(() -> new AssertionError("golden row " + id + " has no run at " + etaScale));
  }
}
