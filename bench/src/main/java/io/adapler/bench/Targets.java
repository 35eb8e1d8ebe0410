package io.adapler.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The project's targets beside this run's figures. */
final class Targets {
  static final double REALISED_OVER_FLOPS = 0.95;
  /** Ours at eta scale 0 against the plain graph: the same FLOPs must not cost more. */
  static final double OVER_BASELINE = 0.90;

  private Targets() {}

  /**
   * Builds the table; a figure whose section did not run is NaN and shows as "not run".
   *
   * @param realisedOverFlops the speedup section's realised over FLOPs speedup
   * @param overBaseline0 the bare runtime at eta scale 0 over the baseline (speedup section)
   * @param jobOverBaseline the job section's first run over the baseline
   */
  static Section section(double realisedOverFlops, double overBaseline0,
      double jobOverBaseline) {
    Map<String, Object> json = new LinkedHashMap<>();
    StringBuilder md = new StringBuilder("""
        ## Targets

        | figure | measured | target | met |
        |---|---|---|---|
        """);
    row(json, md, "realised_over_flops", "realised / FLOPs speedup (eta_scale 1 vs 0)",
        realisedOverFlops, "%.3f", ">= 0.95", realisedOverFlops >= REALISED_OVER_FLOPS);
    row(json, md, "runtime_eta0_over_baseline", "bare runtime at eta_scale 0 / baseline"
        + " (plain graph, per row), throughput", overBaseline0, "%.3f", ">= 0.90",
        overBaseline0 >= OVER_BASELINE);
    row(json, md, "job_over_baseline", "the job as a user runs it / baseline, throughput"
        + " (job section)", jobOverBaseline, "%.3f", ">= 0.90",
        jobOverBaseline >= OVER_BASELINE);
    return new Section("targets", json, md.toString());
  }

  private static void row(Map<String, Object> json, StringBuilder md, String key, String label,
      double value, String format, String target, boolean met) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value", Double.isNaN(value) ? null : value);
    m.put("target", target);
    m.put("met", Double.isNaN(value) ? null : met);
    json.put(key, m);
    md.append(String.format("| %s | %s | %s | %s |%n", label,
        Double.isNaN(value) ? "not run" : String.format(format, value), target,
        Double.isNaN(value) ? "-" : met ? "yes" : "no"));
  }
}
