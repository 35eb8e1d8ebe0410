package io.adapler.udf.runtime;

import io.adapler.udf.batch.BatchingStrategy;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.ModelBundle;
import java.util.ArrayList;
import java.util.List;

/**
 * Runtimes of one bundle that cut batches differently, for tests that a row's result does not
 * depend on its batch company: one per row cap (with a budget too large to matter), then one
 * cut by a 200-token budget rather than the row cap, then fixed unsorted batches of 10 in input
 * order (mixed lengths share a batch and pad more).
 */
final class BatchingVariants {
  private BatchingVariants() {}

  /** Opens the variants in that order; the caller closes them. */
  static List<AdaplerRuntime> open(ModelBundle bundle, int... rowCaps)
      throws BundleLoadException {
    List<AdaplerRuntime> out = new ArrayList<>();
    for (int rows : rowCaps) {
      out.add(AdaplerRuntime.open(bundle, RuntimeOptions.builder()
          .optMaxBatchRows(rows).optTokenBudget(1 << 20).build()));
    }
    out.add(AdaplerRuntime.open(bundle, RuntimeOptions.builder()
        .optMaxBatchRows(64).optTokenBudget(200).build()));
    out.add(AdaplerRuntime.open(bundle, RuntimeOptions.builder()
        .optBatching(BatchingStrategy.FIXED).optMaxBatchRows(10).build()));
    return out;
  }
}
