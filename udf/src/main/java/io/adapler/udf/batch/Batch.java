package io.adapler.udf.batch;

/**
 * One batch of a plan: which input rows it holds and the length they are padded to.
 *
 * @param rows indices into the input, in the batch's order (ascending length, ties in input
 *     order); treat as read-only
 * @param paddedLength the longest row of this batch, the length every row is padded to
 */
public record Batch(int[] rows, int paddedLength) {

  /**
   * Returns the number of rows.
   *
   * @return the batch size
   */
  public int size() {
    return rows.length;
  }

  /**
   * Returns the padded token count, rows times padded length.
   *
   * @return the tokens the batch costs
   */
  public long paddedTokens() {
    return (long) rows.length * paddedLength;
  }
}
