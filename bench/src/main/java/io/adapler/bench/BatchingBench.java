package io.adapler.bench;

import io.adapler.udf.batch.BatchingStrategy;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.runtime.RuntimeStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token-budget batching of length-sorted rows at several budgets against fixed batches of 10
 * rows in input order (what Spark inference peers do), same rows, same model, eta scale 1.
 */
final class BatchingBench {
  private BatchingBench() {}

  /** Budgets compared with the runtime's own (when it is not among them). */
  private static final int[] BUDGETS = {8192, 1024, 512, 128};

  /** One batching setting; the last one given is the baseline of the ratios. */
  record Setting(String name, AdaplerRuntime runtime) {}

  /**
   * Measures the runtime's settings, the other {@link #BUDGETS} and fixed batches of 10 rows
   * in input order (the baseline of the ratios), each on a runtime of its own but the first.
   */
  static Section run(ModelBundle bundle, AdaplerRuntime runtime, BenchCorpus corpus,
      int callers, int reps) throws Exception {
    List<AdaplerRuntime> opened = new ArrayList<>();
    try {
      RuntimeOptions o = runtime.options();
      List<Setting> settings = new ArrayList<>();
      settings.add(new Setting(budgetName(runtime) + " (this run's)", runtime));
      for (int budget : BUDGETS) {
        if (budget != runtime.tokenBudget()) {
          AdaplerRuntime other = AdaplerRuntime.open(bundle,
              o.toBuilder().optTokenBudget(budget).build());
          opened.add(other);
          settings.add(new Setting(budgetName(other), other));
        }
      }
      opened.add(AdaplerRuntime.open(bundle, o.toBuilder().optMaxBatchRows(10)
          .optBatching(BatchingStrategy.FIXED).build()));
      settings.add(new Setting("fixed 10 rows, input order", opened.get(opened.size() - 1)));
      return measure(settings, corpus, callers, reps);
    } finally {
      opened.forEach(AdaplerRuntime::close);
    }
  }

  private static String budgetName(AdaplerRuntime r) {
    return "sorted, budget " + r.tokenBudget() + " tokens, cap " + r.options().maxBatchRows()
        + " rows";
  }

  private static Section measure(List<Setting> settings, BenchCorpus corpus, int callers,
      int reps) throws Exception {
    Interleaved runs = new Interleaved();
    List<ScoringTrial> trials = new ArrayList<>();
    for (Setting s : settings) {
      ScoringTrial t = ScoringTrial.shared(s.runtime(), corpus.shares(callers), 1f);
      trials.add(t);
      runs.add(s.name(), t);
    }
    Map<String, Samples> t = runs.run(reps, "batching");
    int rows = corpus.size();
    Setting base = settings.get(settings.size() - 1);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows", rows);
    json.put("baseline", base.name());
    List<Map<String, Object>> list = new ArrayList<>();
    StringBuilder md = new StringBuilder(String.format("""
        ## Batching: token budget (length-sorted) against fixed batches (input order)

        Same %d rows at eta_scale 1, %d callers, %d interleaved repetitions. Ratio: throughput
        over "%s", paired by repetition.

        | setting | rows/s | ratio | rows/batch | padding, layer 0 | padding, last layer | padded / useful FLOPs |
        |---|---|---|---|---|---|---|
        """, rows, callers, reps, base.name()));
    for (int i = 0; i < settings.size(); i++) {
      Setting s = settings.get(i);
      RuntimeStats st = trials.get(i).measured();
      int last = st.realTokens().length - 1;
      Samples sec = t.get(s.name());
      Samples ratio = t.get(base.name()).over(sec);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("setting", s.name());
      m.put("strategy", s.runtime().options().batching().id());
      m.put("token_budget", s.runtime().tokenBudget());
      m.put("max_batch_rows", s.runtime().options().maxBatchRows());
      m.put("rows_per_second", sec.inverted(rows).toJson());
      m.put("ratio_to_baseline", ratio.toJson());
      m.put("rows_per_batch", st.rows() / (double) st.batches());
      m.put("padding_layer0", st.paddingFraction(0));
      m.put("padding_last_layer", st.paddingFraction(last));
      m.put("padded_over_useful_flops", st.computedFlops() / st.usefulFlops());
      list.add(m);
      md.append(String.format("| %s | %s | %s | %.1f | %.1f%% | %.1f%% | %.3f |%n", s.name(),
          sec.inverted(rows).format("%.1f"), ratio.format("%.3f"),
          st.rows() / (double) st.batches(), 100 * st.paddingFraction(0),
          100 * st.paddingFraction(last), st.computedFlops() / st.usefulFlops()));
    }
    json.put("settings", list);
    return new Section("batching", json, md.toString());
  }
}
