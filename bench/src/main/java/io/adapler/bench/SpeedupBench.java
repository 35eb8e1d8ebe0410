package io.adapler.bench;

import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeStats;
import io.adapler.udf.tokenize.EncodedRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Realised speedup (eta scale 1 against 0 on the same runtime and rows), the FLOP rate against
 * an in-process GEMM, and where each batch's time goes: all from the same interleaved passes.
 */
final class SpeedupBench {
  private static final int SLICES = 10;
  private final AdaplerRuntime runtime;
  private final BenchCorpus corpus;
  private final int callers;
  private final GemmPeak gemm;

  SpeedupBench(AdaplerRuntime runtime, BenchCorpus corpus, int callers, GemmPeak gemm) {
    this.runtime = runtime;
    this.corpus = corpus;
    this.callers = callers;
    this.gemm = gemm;
  }

  /** The figures the targets table needs. */
  record Headline(double realisedOverFlops, double efficiency0, double efficiency1) {}

  private Headline headline;

  Headline headline() {
    return headline;
  }

  List<Section> run(int reps) throws Exception {
    FlopsModel flops = runtime.flops();
    double full = 0;
    for (EncodedRow e : runtime.encode(corpus.texts())) {
      full += flops.fullFlops(Math.max(1, e.length()));
    }
    // The rows go in slices, eta 0 and eta 1 alternating slice by slice, so that the machine's
    // drift (it is shared) hits both settings alike within seconds, not minutes.
    int slices = Math.max(1, Math.min(SLICES, corpus.size() / (callers * 10)));
    Interleaved runs = new Interleaved();
    List<ScoringTrial> trials0 = new ArrayList<>();
    List<ScoringTrial> trials1 = new ArrayList<>();
    for (int k = 0; k < slices; k++) {
      BenchCorpus part = corpus.slice(k, slices);
      trials0.add(ScoringTrial.shared(runtime, part.shares(callers), 0f));
      trials1.add(ScoringTrial.shared(runtime, part.shares(callers), 1f));
      runs.add("eta0/" + k, trials0.get(k)).add("eta1/" + k, trials1.get(k));
    }
    Map<String, Samples> raw = runs.add("gemm", () -> gemm.measure(callers))
        .run(reps, "speedup");
    Map<String, Samples> t = Map.of("eta0", sum(raw, "eta0/", slices),
        "eta1", sum(raw, "eta1/", slices), "gemm", raw.get("gemm"));
    int rows = corpus.size();
    RuntimeStats s0 = measured(trials0);
    RuntimeStats s1 = measured(trials1);
    double useful0 = s0.usefulFlops() / reps;
    double useful1 = s1.usefulFlops() / reps;
    Samples realised = t.get("eta0").over(t.get("eta1"));
    double flopsProduct = full / useful1;
    double flopsGraph = useful0 / useful1;
    double sessionRealised = s0.sessionNanos() / (double) s1.sessionNanos();
    double[] peak = new double[reps];
    double[] eff0 = new double[reps];
    double[] eff1 = new double[reps];
    double[] padded1 = new double[reps];
    for (int r = 0; r < reps; r++) {
      peak[r] = gemm.rate(t.get("gemm").values()[r], callers);
      eff0[r] = useful0 / t.get("eta0").values()[r] / peak[r];
      eff1[r] = useful1 / t.get("eta1").values()[r] / peak[r];
      padded1[r] = s1.computedFlops() / reps / t.get("eta1").values()[r]
          / peak[r];
    }
    Samples peakS = Samples.of(peak);
    double sessionEff0 = sessionEfficiency(useful0, s0, reps, peakS.median());
    double sessionEff1 = sessionEfficiency(useful1, s1, reps, peakS.median());
    headline = new Headline(realised.median() / flopsGraph, Samples.of(eff0).median(),
        Samples.of(eff1).median());

    Map<String, Object> speed = new LinkedHashMap<>();
    speed.put("rows", rows);
    speed.put("rows_per_second_eta0", t.get("eta0").inverted(rows).toJson());
    speed.put("rows_per_second_eta1", t.get("eta1").inverted(rows).toJson());
    speed.put("realised_speedup", realised.toJson());
    speed.put("realised_speedup_session_only", sessionRealised);
    speed.put("flops_speedup", flopsProduct);
    speed.put("flops_speedup_same_graph", flopsGraph);
    speed.put("realised_over_flops", realised.median() / flopsGraph);
    speed.put("realised_over_flops_speedup", realised.median() / flopsProduct);
    String md1 = String.format("""
        ## Realised speedup (eta_scale 1 against 0)

        %d rows, %d callers sharing one session, %d repetitions; each repetition alternates
        eta_scale 0 and 1 over %d slices of the rows; median (min-max).

        | figure | value |
        |---|---|
        | rows/s at eta_scale 0 (all tokens) | %s |
        | rows/s at eta_scale 1 (trained point) | %s |
        | realised speedup, end to end | %s (spread %.1f%%) |
        | realised speedup, session run only | %.3f |
        | FLOPs speedup, full model / AdapLeR (the job's figure) | %.3f |
        | FLOPs speedup, same graph at eta 0 / eta 1 | %.3f |
        | realised / FLOPs (same graph) | **%.3f** |
        | realised / FLOPs (the job's figure) | %.3f |
        """, rows, callers, reps, slices, t.get("eta0").inverted(rows).format("%.1f"),
        t.get("eta1").inverted(rows).format("%.1f"), realised.format("%.3f"),
        100 * realised.spread(), sessionRealised, flopsProduct, flopsGraph,
        realised.median() / flopsGraph, realised.median() / flopsProduct);

    Map<String, Object> eff = new LinkedHashMap<>();
    eff.put("gemm_size", gemm.size());
    eff.put("gemm_flops_per_second", peakS.toJson());
    eff.put("useful_flops_per_pass_eta0", useful0);
    eff.put("useful_flops_per_pass_eta1", useful1);
    eff.put("efficiency_eta0", Samples.of(eff0).toJson());
    eff.put("efficiency_eta1", Samples.of(eff1).toJson());
    eff.put("efficiency_eta1_padded_work", Samples.of(padded1).toJson());
    eff.put("efficiency_session_only_eta0", sessionEff0);
    eff.put("efficiency_session_only_eta1", sessionEff1);
    String md2 = String.format("""
        ## Efficiency against an in-process GEMM

        Peak: fp32 MatMul %1$dx%1$d x %1$dx%1$d through ONNX Runtime, same threads (%2$d callers,
        one session), measured in the same rounds: %3$s GFLOP/s. Useful FLOPs are the FLOPs
        model of each row's own tokens; padded work counts what the padded tensors cost.

        | figure | eta_scale 0 | eta_scale 1 |
        |---|---|---|
        | useful GFLOP/s, end to end | %4$.1f | %5$.1f |
        | efficiency, end to end | **%6$.1f%%** | **%7$.1f%%** |
        | efficiency, session run only | %8$.1f%% | %9$.1f%% |
        | efficiency of padded work, end to end | %10$.1f%% | %11$.1f%% |
        """, gemm.size(), callers, peakS.scaled(1e-9).format("%.1f"),
        useful0 / t.get("eta0").median() / 1e9, useful1 / t.get("eta1").median() / 1e9,
        100 * Samples.of(eff0).median(), 100 * Samples.of(eff1).median(), 100 * sessionEff0,
        100 * sessionEff1,
        100 * s0.computedFlops() / reps / t.get("eta0").median()
            / peakS.median(),
        100 * Samples.of(padded1).median());
    return List.of(new Section("speedup", speed, md1), new Section("efficiency", eff, md2),
        StageBreakdown.section(s0, s1, callers, t.get("eta0").sum(), t.get("eta1").sum()));
  }

  /** Per repetition, the seconds of all slices of one setting. */
  private static Samples sum(Map<String, Samples> raw, String prefix, int slices) {
    double[] total = new double[raw.get(prefix + 0).values().length];
    for (int k = 0; k < slices; k++) {
      double[] v = raw.get(prefix + k).values();
      for (int r = 0; r < total.length; r++) {
        total[r] += v[r];
      }
    }
    return Samples.of(total);
  }

  private static RuntimeStats measured(List<ScoringTrial> trials) {
    RuntimeStats total = trials.get(0).measured();
    for (int k = 1; k < trials.size(); k++) {
      total = total.plus(trials.get(k).measured());
    }
    return total;
  }

  /** Useful FLOPs over the session's own time (summed over callers, so divided by them). */
  private double sessionEfficiency(double usefulPerPass, RuntimeStats s, int passes,
      double peak) {
    double sessionWall = s.sessionNanos() / 1e9 / passes / callers;
    return usefulPerPass / sessionWall / peak;
  }
}
