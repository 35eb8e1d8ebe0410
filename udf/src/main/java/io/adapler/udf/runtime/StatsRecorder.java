package io.adapler.udf.runtime;

import io.adapler.udf.flops.FlopsModel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable, thread-safe counters behind {@link RuntimeStats}. Cheap enough to stay on in
 * production: a few {@code nanoTime} calls and adds per batch.
 */
final class StatsRecorder {
  private final FlopsModel flops;
  private final LongAdder batches = new LongAdder();
  private final LongAdder rows = new LongAdder();
  private final LongAdder tokenize = new LongAdder();
  private final LongAdder prepare = new LongAdder();
  private final LongAdder session = new LongAdder();
  private final LongAdder output = new LongAdder();
  private final AtomicLongArray real;
  private final AtomicLongArray computed;
  private final DoubleAdder usefulFlops = new DoubleAdder();
  private final DoubleAdder computedFlops = new DoubleAdder();

  StatsRecorder(FlopsModel flops) {
    this.flops = flops;
    this.real = new AtomicLongArray(flops.layers());
    this.computed = new AtomicLongArray(flops.layers());
  }

  void tokenized(long nanos) {
    tokenize.add(nanos);
  }

  void prepared(long nanos) {
    prepare.add(nanos);
  }

  void ran(long nanos) {
    session.add(nanos);
  }

  void output(long nanos) {
    output.add(nanos);
  }

  /** Counts a finished batch: per layer, its rows' tokens against the tensor width. */
  void batch(List<RowResult> results) {
    int layers = real.length();
    int[] width = new int[layers];
    for (RowResult r : results) {
      int[] lengths = r.layerLengths();
      for (int l = 0; l < layers; l++) {
        real.addAndGet(l, lengths[l]);
        width[l] = Math.max(width[l], lengths[l]);
      }
      usefulFlops.add(r.adaptiveFlops());
    }
    for (int l = 0; l < layers; l++) {
      computed.addAndGet(l, (long) width[l] * results.size());
    }
    if (!results.isEmpty()) {
      // Every row of the batch runs at the batch's widths: padding costs FLOPs like real tokens.
      computedFlops.add(results.size() * flops.adaptiveFlops(width));
    }
    batches.increment();
    rows.add(results.size());
  }

  RuntimeStats snapshot() {
    long[] r = new long[real.length()];
    long[] c = new long[computed.length()];
    for (int l = 0; l < r.length; l++) {
      r[l] = real.get(l);
      c[l] = computed.get(l);
    }
    return new RuntimeStats(batches.sum(), rows.sum(), tokenize.sum(), prepare.sum(),
        session.sum(), output.sum(), r, c, usefulFlops.sum(), computedFlops.sum());
  }
}
