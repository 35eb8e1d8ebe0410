package io.adapler.bench;

import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeStats;
import io.adapler.udf.tokenize.EncodedRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Realised speedup (eta scale 1 against 0 on the same runtime and rows), both against the
 * baseline, and where each batch's time goes: all from the same interleaved passes.
 */
final class SpeedupBench {
  private static final int SLICES = 10;
  private final AdaplerRuntime runtime;
  private final BenchCorpus corpus;
  private final int callers;
  private final PlainGraph baseline;

  /**
   * @param baseline the plain graph measured in the same slices, or null to leave it out
   */
  SpeedupBench(AdaplerRuntime runtime, BenchCorpus corpus, int callers, PlainGraph baseline) {
    this.runtime = runtime;
    this.corpus = corpus;
    this.callers = callers;
    this.baseline = baseline;
  }

  /** The figures the targets table needs. */
  record Headline(double realisedOverFlops, double overBaseline0) {}

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
    Map<String, Samples> raw = runs.run(reps, "speedup");
    Map<String, Samples> t = new HashMap<>(Map.of("eta0", sum(raw, "eta0/", slices),
        "eta1", sum(raw, "eta1/", slices)));
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
    double overBaseline0 = baseline == null ? Double.NaN
        : t.get("base").over(t.get("eta0")).median();
    headline = new Headline(realised.median() / flopsGraph, overBaseline0);

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

    List<Section> out = new ArrayList<>();
    if (baseline != null) {
      out.add(baselineSection(t, tokens, reps, slices));
    }
    out.addAll(List.of(new Section("speedup", speed, md1),
        StageBreakdown.section(s0, s1, callers, t.get("eta0").sum(), t.get("eta1").sum())));
    return out;
  }

  /** Ours at eta scale 0 and 1 against the plain graph, same rows, same slices. */
  private Section baselineSection(Map<String, Samples> t, long tokens, int reps, int slices) {
    int rows = corpus.size();
    long baseTokens = BaselineTrial.tokens(baseline, corpus.texts());
    Samples base = t.get("base");
    Samples baseRate = base.inverted(rows);
    Samples r0 = base.over(t.get("eta0"));
    Samples r1 = base.over(t.get("eta1"));
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
        """, baseline.dir(), baseline.maxLength(), callers,
        runtime.options().threading().intraOpThreads(), rows, reps, slices, tokens, baseTokens,
        baseRate.format("%.1f"), base.inverted(baseTokens).format("%.0f"),
        t.get("eta0").inverted(rows).format("%.1f"),
        t.get("eta0").inverted(tokens).format("%.0f"), r0.format("%.3f"),
        t.get("eta1").inverted(rows).format("%.1f"),
        t.get("eta1").inverted(tokens).format("%.0f"), r1.format("%.3f"));
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
}
