package io.adapler.udf.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts rows into batches of a fixed row count in input order, without sorting: what Spark
 * inference peers usually do (a pandas UDF's mini-batches). Each batch is padded to its own
 * longest row, so mixed lengths pad more than {@link TokenBudgetBatcher}; kept as {@link
 * BatchingStrategy#FIXED} for comparison and for callers that need input-order batches.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedSizeBatcher implements Batcher {
  private final int rows;

  /**
   * Creates a batcher.
   *
   * @param rows rows per batch (the last batch may hold fewer), at least 1
   */
  public FixedSizeBatcher(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows per batch must be >= 1, found " + rows);
    }
    this.rows = rows;
  }

  @Override
  public List<Batch> plan(int[] lengths) {
    List<Batch> batches = new ArrayList<>();
    for (int start = 0; start < lengths.length; start += rows) {
      int end = Math.min(lengths.length, start + rows);
      int[] members = new int[end - start];
      int longest = 0;
      for (int r = start; r < end; r++) {
        if (lengths[r] < 0) {
          throw new IllegalArgumentException("row " + r + " has negative length " + lengths[r]);
        }
        members[r - start] = r;
        longest = Math.max(longest, lengths[r]);
      }
      batches.add(new Batch(members, longest));
    }
    return batches;
  }

  /**
   * Returns the rows per batch.
   *
   * @return the batch size
   */
  public int rows() {
    return rows;
  }
}
