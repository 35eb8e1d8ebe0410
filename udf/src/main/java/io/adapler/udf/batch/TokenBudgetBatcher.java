package io.adapler.udf.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts a chunk of rows into batches by a token budget and a row cap.
 *
 * <p>Rows are sorted by length (stable: equal lengths keep their input order), then taken
 * greedily: a row joins the current batch while {@code (rows + 1) * longest <= tokenBudget} and
 * {@code rows < maxRows}. A row longer than the budget sits alone in its batch. Each batch is
 * padded only to its own longest row, so sorting keeps padding small. {@link #run} executes the
 * batches and returns results in the input order. This is {@link BatchingStrategy#TOKEN_BUDGET},
 * the default.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenBudgetBatcher implements Batcher {
  private final int tokenBudget;
  private final int maxRows;

  /**
   * Creates a batcher.
   *
   * @param tokenBudget the most padded tokens per batch (rows times padded length), at least 1
   * @param maxRows the most rows per batch, at least 1
   */
  public TokenBudgetBatcher(int tokenBudget, int maxRows) {
    if (tokenBudget < 1) {
      throw new IllegalArgumentException("tokenBudget must be >= 1, found " + tokenBudget);
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, found " + maxRows);
    }
    this.tokenBudget = tokenBudget;
    this.maxRows = maxRows;
  }

  /**
   * Plans batches for rows of the given lengths.
   *
   * @param lengths each row's token count (0 allowed)
   * @return batches covering every row exactly once, shortest rows first
   */
  @Override
  public List<Batch> plan(int[] lengths) {
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] < 0) {
        throw new IllegalArgumentException("row " + i + " has negative length " + lengths[i]);
      }
    }
    Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt(i -> lengths[i])); // stable merge sort
    List<Batch> batches = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      while (end < order.length
          && end - start < maxRows
          && (long) (end - start + 1) * lengths[order[end]] <= tokenBudget) {
        end++;
      }
      int[] rows = new int[end - start];
      for (int k = start; k < end; k++) {
        rows[k - start] = order[k];
      }
      batches.add(new Batch(rows, lengths[order[end - 1]]));
      start = end;
    }
    return batches;
  }

  /**
   * Returns the token budget.
   *
   * @return padded tokens per batch
   */
  public int tokenBudget() {
    return tokenBudget;
  }

  /**
   * Returns the row cap.
   *
   * @return rows per batch
   */
  public int maxRows() {
    return maxRows;
  }
}
