package io.adapler.bench;

import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.CpuThreading;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Intra-op threads against concurrent callers: one session shared by N task threads (the
 * default), the same with more intra-op threads, a single caller, and one session per caller.
 */
final class ThreadingBench {
  private ThreadingBench() {}

  /** One setting: the runtime of each caller. */
  record Setting(String name, List<AdaplerRuntime> perCaller) {
    static Setting shared(String name, AdaplerRuntime rt, int callers) {
      return new Setting(name, Collections.nCopies(callers, rt));
    }
  }

  /**
   * Measures the default (callers sharing {@code shared1}, one intra-op thread each: the
   * baseline of the ratios) against more intra-op threads, a session per caller and a single
   * caller; the other settings get runtimes of their own.
   *
   * @param shared1 the runtime with the default threading
   */
  static Section run(ModelBundle bundle, AdaplerRuntime shared1, BenchCorpus rows, int callers,
      int reps) throws Exception {
    List<AdaplerRuntime> opened = new ArrayList<>();
    try {
      AdaplerRuntime sharedN = open(bundle, shared1, CpuThreading.forCores(callers), opened);
      List<AdaplerRuntime> separate = new ArrayList<>(List.of(shared1));
      for (int c = 1; c < callers; c++) {
        separate.add(open(bundle, shared1, CpuThreading.defaults(), opened));
      }
      List<Setting> settings = List.of(
          Setting.shared(callers + " callers, 1 shared session, intra-op 1 (default)", shared1,
              callers),
          Setting.shared(callers + " callers, 1 shared session, intra-op " + callers, sharedN,
              callers),
          new Setting(callers + " callers, a session each, intra-op 1", separate),
          Setting.shared("1 caller, intra-op " + callers, sharedN, 1),
          Setting.shared("1 caller, intra-op 1", shared1, 1));
      return measure(settings, rows, reps);
    } finally {
      opened.forEach(AdaplerRuntime::close);
    }
  }

  /** Opens a runtime like {@code base} but with other thread settings. */
  private static AdaplerRuntime open(ModelBundle bundle, AdaplerRuntime base,
      CpuThreading threading, List<AdaplerRuntime> opened) throws Exception {
    AdaplerRuntime rt = AdaplerRuntime.open(bundle,
        base.options().toBuilder().optThreading(threading).build());
    opened.add(rt);
    return rt;
  }

  /** Measures every setting; the first one is the baseline the ratios are taken against. */
  private static Section measure(List<Setting> settings, BenchCorpus corpus, int reps)
      throws Exception {
    Interleaved runs = new Interleaved();
    for (Setting s : settings) {
      runs.add(s.name(), new ScoringTrial(s.perCaller(), corpus.shares(s.perCaller().size()),
          1f));
    }
    Map<String, Samples> t = runs.run(reps, "threading");
    int rows = corpus.size();
    Samples base = t.get(settings.get(0).name());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows", rows);
    List<Map<String, Object>> list = new ArrayList<>();
    StringBuilder md = new StringBuilder(String.format("""
        ## Threading: intra-op threads against concurrent callers

        %d rows at eta_scale 1, %d interleaved repetitions, %d cores. Ratio: throughput over
        the first setting's, paired by repetition.

        | setting | rows/s | ratio |
        |---|---|---|
        """, rows, reps, Runtime.getRuntime().availableProcessors()));
    for (Setting s : settings) {
      Samples sec = t.get(s.name());
      Samples ratio = base.over(sec);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("setting", s.name());
      m.put("callers", s.perCaller().size());
      m.put("sessions", s.perCaller().stream().distinct().count());
      m.put("intra_op_threads", s.perCaller().get(0).options().threading().intraOpThreads());
      m.put("rows_per_second", sec.inverted(rows).toJson());
      m.put("ratio_to_first", ratio.toJson());
      list.add(m);
      md.append(String.format("| %s | %s | %s |%n", s.name(), sec.inverted(rows).format("%.1f"),
          ratio.format("%.3f")));
    }
    json.put("settings", list);
    return new Section("threading", json, md.toString());
  }
}
