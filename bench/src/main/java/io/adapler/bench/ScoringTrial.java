package io.adapler.bench;

import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeStats;
import io.adapler.udf.tokenize.TextRow;
import java.util.List;

/**
 * One benchmark trial: concurrent callers each score their share of the rows on a runtime (as
 * Spark task threads share an executor's runtime). Keeps the runtime's stage counters of every
 * measured pass; the first pass is the warm-up and is not counted.
 */
final class ScoringTrial implements Interleaved.Trial {
  private final List<AdaplerRuntime> runtimes;
  private final List<List<TextRow>> shares;
  private final float etaScale;
  private RuntimeStats measured;
  private int passes;

  /**
   * Creates the trial.
   *
   * @param runtimes the runtime of each caller (the same one repeated for a shared session)
   * @param shares each caller's rows
   * @param etaScale the eta scale
   */
  ScoringTrial(List<AdaplerRuntime> runtimes, List<List<TextRow>> shares, float etaScale) {
    if (runtimes.size() != shares.size()) {
      throw new IllegalArgumentException(runtimes.size() + " runtimes for " + shares.size()
          + " callers");
    }
    this.runtimes = runtimes;
    this.shares = shares;
    this.etaScale = etaScale;
  }

  /** All callers on one shared runtime. */
  static ScoringTrial shared(AdaplerRuntime runtime, List<List<TextRow>> shares, float eta) {
    return new ScoringTrial(java.util.Collections.nCopies(shares.size(), runtime), shares, eta);
  }

  @Override
  public double seconds() throws Exception {
    List<AdaplerRuntime> distinct = runtimes.stream().distinct().toList();
    List<RuntimeStats> before = distinct.stream().map(AdaplerRuntime::stats).toList();
    double s = Parallel.run(shares.size(), c -> runtimes.get(c).score(shares.get(c), etaScale));
    RuntimeStats pass = null;
    for (int i = 0; i < distinct.size(); i++) {
      RuntimeStats d = distinct.get(i).stats().minus(before.get(i));
      pass = pass == null ? d : pass.plus(d);
    }
    if (passes++ > 0) {
      measured = measured == null ? pass : measured.plus(pass);
    }
    return s;
  }

  /** Returns the counters summed over the measured passes. */
  RuntimeStats measured() {
    if (measured == null) {
      throw new IllegalStateException("no measured pass yet");
    }
    return measured;
  }
}
