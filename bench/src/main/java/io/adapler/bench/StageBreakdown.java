package io.adapler.bench;

import io.adapler.udf.runtime.RuntimeStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-batch time by stage and padding per layer, from the runtime's counters. */
final class StageBreakdown {
  private StageBreakdown() {}

  /**
   * Builds the section.
   *
   * @param s0 counters of the measured passes at eta scale 0
   * @param s1 the same at eta scale 1
   * @param callers concurrent callers (stage times add up over their threads)
   * @param wall0 wall seconds of the eta-0 passes together
   * @param wall1 wall seconds of the eta-1 passes together
   */
  static Section section(RuntimeStats s0, RuntimeStats s1, int callers, double wall0,
      double wall1) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("eta0", stages(s0, callers, wall0));
    json.put("eta1", stages(s1, callers, wall1));
    StringBuilder md = new StringBuilder("""
        ## Where the time goes

        Per batch, summed over caller threads; "outside the stages" is callers x wall time
        minus the stages (batch planning, threads waiting for the slowest caller).

        | stage | eta_scale 0: ms/batch | share | eta_scale 1: ms/batch | share |
        |---|---|---|---|---|
        """);
    String[] names = {"tokenization", "tensor preparation", "session run", "output handling",
        "outside the stages"};
    double[] a = nanos(s0, callers, wall0);
    double[] b = nanos(s1, callers, wall1);
    double ta = callers * wall0 * 1e9;
    double tb = callers * wall1 * 1e9;
    for (int i = 0; i < names.length; i++) {
      md.append(String.format("| %s | %.2f | %.1f%% | %.2f | %.1f%% |%n", names[i],
          a[i] / s0.batches() / 1e6, 100 * a[i] / ta, b[i] / s1.batches() / 1e6,
          100 * b[i] / tb));
    }
    md.append(String.format("%nBatches: %.1f rows on average at eta_scale 0, %.1f at 1.%n",
        s0.rows() / (double) s0.batches(), s1.rows() / (double) s1.batches()));
    md.append("""

        Padding per layer: the share of computed tokens that belong to no row (the graph cuts
        each layer's tensor to the batch's longest kept row).

        | layer | eta_scale 0: real tokens/row | padding | eta_scale 1: real tokens/row | padding |
        |---|---|---|---|---|
        """);
    for (int l = 0; l < s0.realTokens().length; l++) {
      md.append(String.format("| %d | %.1f | %.1f%% | %.1f | %.1f%% |%n", l,
          s0.realTokens()[l] / (double) s0.rows(), 100 * s0.paddingFraction(l),
          s1.realTokens()[l] / (double) s1.rows(), 100 * s1.paddingFraction(l)));
    }
    md.append(String.format("%nPadded FLOPs / useful FLOPs: %.3f at eta_scale 0, %.3f at 1.%n",
        s0.computedFlops() / s0.usefulFlops(), s1.computedFlops() / s1.usefulFlops()));
    return new Section("breakdown", json, md.toString());
  }

  private static double[] nanos(RuntimeStats s, int callers, double wall) {
    double outside = callers * wall * 1e9 - s.totalNanos();
    return new double[] {s.tokenizeNanos(), s.prepareNanos(), s.sessionNanos(), s.outputNanos(),
        outside};
  }

  private static Map<String, Object> stages(RuntimeStats s, int callers, double wall) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batches", s.batches());
    m.put("rows", s.rows());
    double[] n = nanos(s, callers, wall);
    String[] keys = {"tokenize_ms_per_batch", "prepare_ms_per_batch", "session_ms_per_batch",
        "output_ms_per_batch", "outside_ms_per_batch"};
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], n[i] / s.batches() / 1e6);
    }
    List<Double> padding = new ArrayList<>();
    List<Double> real = new ArrayList<>();
    for (int l = 0; l < s.realTokens().length; l++) {
      padding.add(s.paddingFraction(l));
      real.add(s.realTokens()[l] / (double) s.rows());
    }
    m.put("real_tokens_per_row_by_layer", real);
    m.put("padding_fraction_by_layer", padding);
    m.put("padded_over_useful_flops", s.computedFlops() / s.usefulFlops());
    return m;
  }
}
