package io.adapler.bench;

import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeStats;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.util.ArrayList;
import java.util.HashMap;
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
  private final PlainGraph baseline;
  private Samples baseRate;

  /**
   * @param baseline the plain graph measured in the same slices, or null to leave it out
   */
  SpeedupBench(AdaplerRuntime runtime, BenchCorpus corpus, int callers, GemmPeak gemm,
      PlainGraph baseline) {
    this.runtime = runtime;
    this.corpus = corpus;
    this.callers = callers;
    this.gemm = gemm;
    this.baseline = baseline;
  }

  /** The figures the targets table needs. */
  record Headline(double realisedOverFlops, double efficiency0, double efficiency1,
      double overBaseline0) {}

  private Headline headline;

  Headline headline() {
    return headline;
  }

  List<Section> run(int reps) throws Exception {
    FlopsModel flops = runtime.flops();
    double full = 0;
    long tokens = 0;
    for (EncodedRow e : runtime.encode(corpus.texts())) {
      full += flops.fullFlops(Math.max(1, e.length()));
      tokens += e.length();
    }
    // The rows go in slices, eta 0 and eta 1 alternating slice by slice, so that the machine's
    // drift (it is shared) hits both settings alike within seconds, not minutes.
    int slices = Math.max(1, Math.min(SLICES, corpus.size() / (callers * 10)));
    Interleaved runs = new Interleaved();
    List<ScoringTrial> trials0 = new ArrayList<>();
    List<ScoringTrial> trials1 = new ArrayList<>();
    for (int k = 0; k < slices; k++) {
      BenchCorpus part = corpus.slice(k, slices);
      if (baseline != null) {
        runs.add("base/" + k, new BaselineTrial(baseline, part.shares(callers)));
      }
      trials0.add(ScoringTrial.shared(runtime, part.shares(callers), 0f));
      trials1.add(ScoringTrial.shared(runtime, part.shares(callers), 1f));
      runs.add("eta0/" + k, trials0.get(k)).add("eta1/" + k, trials1.get(k));
    }
    Map<String, Samples> raw = runs.add("gemm", () -> gemm.measure(callers))
        .run(reps, "speedup");
    Map<String, Samples> t = new HashMap<>(Map.of("eta0", sum(raw, "eta0/", slices),
        "eta1", sum(raw, "eta1/", slices), "gemm", raw.get("gemm")));
    if (baseline != null) {
      t.put("base", sum(raw, "base/", slices));
    }
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
    double overBaseline0 = baseline == null ? Double.NaN
        : t.get("base").over(t.get("eta0")).median();
    headline = new Headline(realised.median() / flopsGraph, Samples.of(eff0).median(),
        Samples.of(eff1).median(), overBaseline0);

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
    List<Section> out = new ArrayList<>();
    if (baseline != null) {
      out.add(baselineSection(t, tokens, flops, reps, slices, peakS));
    }
    out.addAll(List.of(new Section("speedup", speed, md1), new Section("efficiency", eff, md2),
        StageBreakdown.section(s0, s1, callers, t.get("eta0").sum(), t.get("eta1").sum())));
    return out;
  }

  /** The baseline's rows/s per repetition, or null when it was not measured. */
  Samples baselineRowsPerSecond() {
    return baseRate;
  }

  /** Ours at eta scale 0 and 1 against the plain graph, same rows, same slices. */
  private Section baselineSection(Map<String, Samples> t, long tokens, FlopsModel flops,
      int reps, int slices, Samples peak) {
    int rows = corpus.size();
    long baseTokens = 0;
    double baseFlops = 0;
    for (TextRow row : corpus.texts()) {
      int n = baseline.tokens(row.text());
      baseTokens += n;
      baseFlops += flops.fullFlops(Math.max(1, n));
    }
    Samples base = t.get("base");
    baseRate = base.inverted(rows);
    Samples r0 = base.over(t.get("eta0"));
    Samples r1 = base.over(t.get("eta1"));
    Samples baseGflops = base.inverted(baseFlops).scaled(1e-9);
    Samples baseOverGemm = base.inverted(baseFlops).over(peak);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("baseline", baseline.dir().toString());
    json.put("rows", rows);
    json.put("tokens_ours", tokens);
    json.put("tokens_baseline", baseTokens);
    json.put("rows_per_second_baseline", baseRate.toJson());
    json.put("tokens_per_second_baseline", base.inverted(baseTokens).toJson());
    json.put("tokens_per_second_eta0", t.get("eta0").inverted(tokens).toJson());
    json.put("tokens_per_second_eta1", t.get("eta1").inverted(tokens).toJson());
    json.put("throughput_eta0_over_baseline", r0.toJson());
    json.put("throughput_eta1_over_baseline", r1.toJson());
    json.put("baseline_gflops_per_second", baseGflops.toJson());
    json.put("baseline_over_gemm", baseOverGemm.toJson());
    String md = String.format("""
        ## Against the baseline: the plain all-MiniLM-L6-v2 graph, one row per call

        The baseline is the encoder graph as published (%s: no CPs, every token through every
        layer), called the way Spark inference libraries call a model: the Hugging Face
        tokenizer on one row (max length %d, the bundle's truncation), one session.run per
        row, %d callers sharing one session with %d intra-op thread(s) each, as our runtime.
        Same %d rows; each of %d repetitions alternates baseline, eta_scale 0 and eta_scale 1
        over %d slices; median (min-max); ratios paired by repetition. Tokens are input tokens
        after truncation, special tokens included (ours %,d, the baseline's tokenizer %,d),
        tokenization counted inside both.

        | run | rows/s | tokens/s | throughput / baseline's |
        |---|---|---|---|
        | baseline (plain graph, per row) | %s | %s | 1.000 |
        | ours, eta_scale 0 (all tokens) | %s | %s | **%s** |
        | ours, eta_scale 1 (trained point) | %s | %s | **%s** |

        The baseline's own rate (the FLOPs model of its rows at full length over its time):
        %s GFLOP/s, %s of the GEMM reference below.
        """, baseline.dir(), baseline.maxLength(), callers,
        runtime.options().threading().intraOpThreads(), rows, reps, slices, tokens, baseTokens,
        base.inverted(rows).format("%.1f"), base.inverted(baseTokens).format("%.0f"),
        t.get("eta0").inverted(rows).format("%.1f"),
        t.get("eta0").inverted(tokens).format("%.0f"), r0.format("%.3f"),
        t.get("eta1").inverted(rows).format("%.1f"),
        t.get("eta1").inverted(tokens).format("%.0f"), r1.format("%.3f"),
        baseGflops.format("%.1f"), baseOverGemm.format("%.2f"));
    return new Section("baseline", json, md);
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
