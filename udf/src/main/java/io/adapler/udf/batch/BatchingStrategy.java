package io.adapler.udf.batch;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a chunk of rows is cut into batches, chosen by name. */
public enum BatchingStrategy {
  /** Sort by length, cut by a token budget and a row cap ({@link TokenBudgetBatcher}). */
  TOKEN_BUDGET("token-budget"),
  /** Fixed row count, input order, no sorting ({@link FixedSizeBatcher}). */
  FIXED("fixed");

  private final String id;

  BatchingStrategy(String id) {
    this.id = id;
  }

  /**
   * Returns the strategy's name, as {@link #parse} accepts it.
   *
   * @return {@code token-budget} or {@code fixed}
   */
  public String id() {
    return id;
  }

  /**
   * Creates the batcher.
   *
   * @param tokenBudget most padded tokens per batch (token-budget only)
   * @param maxRows most rows per batch (for fixed: exactly this many, except the last)
   * @return the batcher
   */
  public Batcher create(int tokenBudget, int maxRows) {
    return this == FIXED ? new FixedSizeBatcher(maxRows) : new TokenBudgetBatcher(tokenBudget,
        maxRows);
  }

  /**
   * Finds a strategy by name.
   *
   * @param id {@code token-budget} or {@code fixed}
   * @return the strategy
   */
  public static BatchingStrategy parse(String id) {
    for (BatchingStrategy s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown batching strategy '" + id + "': expected one of "
        + Arrays.stream(values()).map(BatchingStrategy::id).collect(Collectors.joining(", ")));
  }
}
