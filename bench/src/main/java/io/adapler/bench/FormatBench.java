package io.adapler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numeric formats side by side: several bundles (e.g. the same model exported fp16-stored,
 * fused fp32 and int8) in the bare runtime at eta scale 0 and 1, interleaved with the baseline
 * on the same rows, with the CPU's instruction sets (which decide what int8 and bf16 kernels
 * can do). Works on any bundles; only their paths are given.
 */
final class FormatBench {
  private FormatBench() {}

  static Section run(List<String> bundles, RuntimeOptions options, PlainGraph baseline,
      BenchCorpus corpus, int callers, int reps, Path work) throws Exception {
    List<AdaplerRuntime> opened = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> formats = new ArrayList<>();
    try {
      Interleaved runs = new Interleaved();
      runs.add("baseline", new BaselineTrial(baseline, corpus.shares(callers)));
      BundleLoader loader = new BundleLoader(work.resolve("format-bundles"));
      for (int i = 0; i < bundles.size(); i++) {
        ModelBundle b = loader.load(bundles.get(i));
        AdaplerRuntime rt = AdaplerRuntime.open(b, options);
        opened.add(rt);
        String label = i + ": " + bundles.get(i);
        labels.add(label);
        formats.add(numerics(Path.of(bundles.get(i))));
        runs.add(label + " @0", ScoringTrial.shared(rt, corpus.shares(callers), 0f));
        runs.add(label + " @1", ScoringTrial.shared(rt, corpus.shares(callers), 1f));
      }
      Map<String, Samples> t = runs.run(reps, "format");
      int n = corpus.size();
      Samples base = t.get("baseline");
      List<String> flags = Machine.cpuFlags();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("rows", n);
      json.put("cpu_flags", flags);
      json.put("rows_per_second_baseline", base.inverted(n).toJson());
      List<Map<String, Object>> list = new ArrayList<>();
      StringBuilder md = new StringBuilder(String.format("""
          ## Numeric formats: bundles against the baseline

          Same %d rows, %d callers, bare runtime (tokenization included), %d interleaved
          repetitions after a warm-up round; ratio: throughput over the baseline's (the plain
          all-MiniLM-L6-v2 graph, one row per call), paired by repetition. CPU: %s; flags
          %s.

          | bundle | numerics | rows/s, eta_scale 0 | / baseline | rows/s, eta_scale 1 | / baseline |
          |---|---|---|---|---|---|
          | baseline (plain graph, per row) | fp32 | %s | 1.000 | | |
          """, n, callers, reps, Machine.cpuModel(), flags.isEmpty() ? "(none of "
          + Machine.FLAGS_OF_INTEREST + ")" : String.join(", ", flags),
          base.inverted(n).format("%.1f")));
      for (int i = 0; i < labels.size(); i++) {
        String l = labels.get(i);
        Samples s0 = t.get(l + " @0");
        Samples s1 = t.get(l + " @1");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle", bundles.get(i));
        m.put("numerics", formats.get(i));
        m.put("rows_per_second_eta0", s0.inverted(n).toJson());
        m.put("rows_per_second_eta1", s1.inverted(n).toJson());
        m.put("eta0_over_baseline", base.over(s0).toJson());
        m.put("eta1_over_baseline", base.over(s1).toJson());
        list.add(m);
        md.append(String.format("| %s | %s | %s | **%s** | %s | **%s** |%n", bundles.get(i),
            formats.get(i), s0.inverted(n).format("%.1f"), base.over(s0).format("%.3f"),
            s1.inverted(n).format("%.1f"), base.over(s1).format("%.3f")));
      }
      json.put("bundles", list);
      return new Section("format", json, md.toString());
    } finally {
      opened.forEach(AdaplerRuntime::close);
    }
  }

  /** What adapler.json says of the graph's numbers: weights_dtype and format, if any. */
  static String numerics(Path bundle) {
    try {
      JsonNode graph = new ObjectMapper().readTree(bundle.resolve("adapler.json").toFile())
          .path("graph");
      String dtype = graph.path("weights_dtype").asText("?");
      return graph.has("format") ? dtype + " " + graph.get("format") : dtype;
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
