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
 * batches and returns results in the input order.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenBudgetBatcher {
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
   * Plans batches, runs each, and returns the results in input order.
   *
   * @param lengths each row's token count
   * @param runner computes one result per row of a batch, in the batch's row order
   * @param <R> the result type
   * @param <E> the runner's checked exception
   * @return one result per input row, in input order
   * @throws E when the runner fails
   */
  public <R, E extends Exception> List<R> run(int[] lengths, BatchRunner<R, E> runner) throws E {
    Object[] results = new Object[lengths.length];
    for (Batch batch : plan(lengths)) {
      List<R> out = runner.run(batch);
      if (out.size() != batch.size()) {
        throw new IllegalStateException("batch runner returned " + out.size()
            + " results for a batch of " + batch.size() + " rows");
      }
      for (int k = 0; k < batch.size(); k++) {
        results[batch.rows()[k]] = out.get(k);
      }
    }
    @SuppressWarnings("unchecked")
    List<R> list = (List<R>) Arrays.asList(results);
    return list;
  }

  /**
   * Runs one batch.
   *
   * @param <R> the result type
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface BatchRunner<R, E extends Exception> {
    /**
     * Computes the results of a batch.
     *
     * @param batch the batch
     * @return one result per row of the batch, in the batch's row order
     * @throws E when the batch fails
     */
    List<R> run(Batch batch) throws E;
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
