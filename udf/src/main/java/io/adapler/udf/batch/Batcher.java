package io.adapler.udf.batch;

import java.util.Arrays;
import java.util.List;

/**
 * Cuts a chunk of rows into batches, a named {@link BatchingStrategy}. Each batch is padded to
 * its own longest row; {@link #run} executes the batches and returns results in input order.
 */
public interface Batcher {

  /**
   * Plans batches for rows of the given lengths.
   *
   * @param lengths each row's token count (0 allowed)
   * @return batches covering every row exactly once
   */
  List<Batch> plan(int[] lengths);

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
  default <R, E extends Exception> List<R> run(int[] lengths, BatchRunner<R, E> runner)
      throws E {
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
  interface BatchRunner<R, E extends Exception> {
    /**
     * Computes the results of a batch.
     *
     * @param batch the batch
     * @return one result per row of the batch, in the batch's row order
     * @throws E when the batch fails
     */
    List<R> run(Batch batch) throws E;
  }
}
