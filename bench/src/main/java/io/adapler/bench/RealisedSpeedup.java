package io.adapler.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of a run's FLOPs saving reaches its rows/s: each run's throughput over a reference
 * run's (the one that saves the fewest FLOPs, eta_scale 0 when it is among them), paired by
 * round, against the ratio of the two runs' FLOPs speedups (each the job's summary figure, a
 * ratio of sums over the corpus). 1.0 would be every saved FLOP turned into time saved.
 */
final class RealisedSpeedup {
  /** One run: its name, throughput per round and corpus FLOPs speedup. */
  record Run(String name, Samples rowsPerSecond, double flopsSpeedup) {}

  /** One run's figures against the reference. */
  record Row(Run run, double flopsOverReference, Samples realised, double realisedOverFlops) {}

  private RealisedSpeedup() {}

  /** The reference: the run with the lowest FLOPs speedup (the first such run). */
  static Run reference(List<Run> runs) {
    Run ref = runs.get(0);
    for (Run r : runs) {
      if (r.flopsSpeedup() < ref.flopsSpeedup()) {
        ref = r;
      }
    }
    return ref;
  }

  /** Each run against the reference, in the order given. */
  static List<Row> rows(List<Run> runs) {
    Run ref = reference(runs);
    List<Row> out = new ArrayList<>();
    for (Run r : runs) {
      Samples realised = r.rowsPerSecond().over(ref.rowsPerSecond());
      double flops = r.flopsSpeedup() / ref.flopsSpeedup();
      out.add(new Row(r, flops, realised, realised.median() / flops));
    }
    return out;
  }

  /** The markdown table, with a paragraph naming the reference. */
  static String markdown(List<Run> runs) {
    StringBuilder md = new StringBuilder(String.format("""

        Realised against FLOPs: each run's rows/s over %s's (the run that saves the fewest
        FLOPs), paired by round, against its FLOPs speedup over that run's (the job summary's
        corpus figures). What does not shrink with the FLOPs (the tokenizer, Spark's per-row
        work, the fixed costs before the scoring) keeps this below 1; a run of another bundle
        or numeric format (int8) folds its kernels' own speed into it.

        | run | FLOPs speedup (summary) | FLOPs over the reference's | realised (rows/s over the reference's) | realised / FLOPs |
        |---|---|---|---|---|
        """, reference(runs).name()));
    for (Row r : rows(runs)) {
      md.append(String.format("| %s | %.2fx | %.2fx | %s | **%.2f** |%n", r.run().name(),
          r.run().flopsSpeedup(), r.flopsOverReference(), r.realised().format("%.2f"),
          r.realisedOverFlops()));
    }
    return md.toString();
  }

  /** The figures for results.json, per run. */
  static List<Map<String, Object>> toJson(List<Run> runs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows(runs)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", r.run().name());
      m.put("flops_over_reference", r.flopsOverReference());
      m.put("realised", r.realised().toJson());
      m.put("realised_over_flops", r.realisedOverFlops());
      out.add(m);
    }
    return out;
  }
}
