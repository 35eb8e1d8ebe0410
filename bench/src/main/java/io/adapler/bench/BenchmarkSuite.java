package io.adapler.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.adapler.udf.batch.BatchingStrategy;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.CpuThreading;
import io.adapler.udf.runtime.RuntimeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite: realised against FLOPs speedup, efficiency against an in-process GEMM,
 * per-stage time and padding, batching, threading, Spark overhead and the cost of rationales,
 * on one bundle and a sample of real SpamAssassin mails. Every figure is a ratio of things measured interleaved in
 * this run. Prints Markdown as it goes and writes {@code results.json} and {@code results.md}.
 *
 * <p>Run with {@code ./bench.sh} (which prepares the data and the classpath); options: {@link
 * BenchSettings}.
 */
public final class BenchmarkSuite {
  private BenchmarkSuite() {}

  public static void main(String[] args) throws Exception {
    BenchSettings s = BenchSettings.parse(args);
    if (s == null) {
      System.out.print(BenchSettings.HELP);
      return;
    }
    Files.createDirectories(s.out());
    Path work = Files.createTempDirectory(s.out(), "work");
    try {
      run(s, work);
    } finally {
      try (var files = Files.walk(work)) { // scratch: a bundle copy and Parquet files
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(BenchSettings s, Path work) throws Exception {
    ModelBundle bundle = new BundleLoader(work.resolve("bundle-cache")).load(s.bundle());
    BenchCorpus corpus = BenchCorpus.sample(s.data(), s.rows(), s.seed());
    Map<String, Object> machine = Machine.describe(bundle);
    System.out.printf("[bench] %s, %d rows, %d callers, %d repetitions -> %s%n",
        bundle.label(), corpus.size(), s.callers(), s.reps(), s.out());

    List<Section> sections = new ArrayList<>();
    double realisedOverFlops = Double.NaN;
    double eff0 = Double.NaN;
    double eff1 = Double.NaN;
    double overhead = Double.NaN;
    RuntimeOptions defaults = RuntimeOptions.builder().optRationales(false)
        .optTokenBudget(s.tokenBudget()).optMaxBatchRows(s.maxBatchRows()).build();
    double overBaseline0 = Double.NaN;
    double jobOverBaseline = Double.NaN;
    try (AdaplerRuntime runtime = AdaplerRuntime.open(bundle, defaults);
         PlainGraph baseline = new PlainGraph(s.baseline(),
             bundle.manifest().tokenizer().maxLength(), runtime.options().threading())) {
      System.out.printf("[bench] baseline: %s, max length %d, intra-op %d per caller%n",
          s.baseline(), baseline.maxLength(), runtime.options().threading().intraOpThreads());
      if (s.runs("speedup") || s.runs("baseline")) {
        try (GemmPeak gemm = new GemmPeak(defaults.threading(), s.gemmSize(), s.gemmCalls())) {
          SpeedupBench bench = new SpeedupBench(runtime, corpus, s.callers(), gemm, baseline);
          sections.addAll(print(bench.run(s.reps())));
          realisedOverFlops = bench.headline().realisedOverFlops();
          eff0 = bench.headline().efficiency0();
          eff1 = bench.headline().efficiency1();
          overBaseline0 = bench.headline().overBaseline0();
        }
      }
      if (s.runs("batching")) {
        sections.addAll(print(List.of(batching(bundle, runtime, corpus.head(s.sideRows()), s))));
      }
      if (s.runs("threading")) {
        sections.addAll(print(List.of(threading(bundle, runtime, corpus.head(s.sideRows()),
            s.callers(), s.sideReps()))));
      }
      if (s.runs("spark")) {
        SparkOverheadBench.Result r = SparkOverheadBench.run(s.bundle(), runtime, baseline,
            corpus, s.callers(), s.sideReps(), work);
        sections.addAll(print(List.of(r.section())));
        overhead = r.overhead();
      }
      if (s.runs("rationales")) {
        sections.addAll(print(List.of(RationalesBench.run(s.bundle(), bundle, runtime,
            corpus.head(s.sideRows()), s.callers(), s.sideReps(), work))));
      }
      if (s.runs("job")) {
        JobBench.Result r = JobBench.run(s, baseline, work);
        sections.addAll(print(List.of(r.section())));
        jobOverBaseline = r.defaultOverBaseline();
      }
      if (s.runs("format")) {
        sections.addAll(print(List.of(FormatBench.run(s.formatBundles(), defaults, baseline,
            corpus.head(s.sideRows()), s.callers(), s.sideReps(), work))));
      }
    }
    Section targets = Targets.section(realisedOverFlops, eff0, eff1, overhead, overBaseline0,
        jobOverBaseline);
    write(s, machine, targets, sections);
  }

  /** The runtime's settings, smaller token budgets, and fixed batches of 10 (the baseline). */
  private static Section batching(ModelBundle bundle, AdaplerRuntime runtime,
      BenchCorpus corpus, BenchSettings s) throws Exception {
    List<AdaplerRuntime> opened = new ArrayList<>();
    try {
      RuntimeOptions o = runtime.options();
      List<BatchingBench.Setting> settings = new ArrayList<>();
      settings.add(new BatchingBench.Setting(budgetName(o) + " (this run's)", runtime));
      for (int budget : new int[] {8192, 1024, 512, 128}) {
        if (budget != o.tokenBudget()) {
          RuntimeOptions other = o.toBuilder().optTokenBudget(budget).build();
          AdaplerRuntime rt = AdaplerRuntime.open(bundle, other);
          opened.add(rt);
          settings.add(new BatchingBench.Setting(budgetName(other), rt));
        }
      }
      AdaplerRuntime fixed = AdaplerRuntime.open(bundle, o.toBuilder().optMaxBatchRows(10)
          .optBatching(BatchingStrategy.FIXED).build());
      opened.add(fixed);
      settings.add(new BatchingBench.Setting("fixed 10 rows, input order", fixed));
      return BatchingBench.run(settings, corpus, s.callers(), s.sideReps());
    } finally {
      opened.forEach(AdaplerRuntime::close);
    }
  }

  private static String budgetName(RuntimeOptions o) {
    return "sorted, budget " + o.tokenBudget() + " tokens, cap " + o.maxBatchRows() + " rows";
  }

  private static Section threading(ModelBundle bundle, AdaplerRuntime shared1,
      BenchCorpus rows, int callers, int reps) throws Exception {
    List<AdaplerRuntime> opened = new ArrayList<>();
    try {
      AdaplerRuntime sharedN =
          open(bundle, shared1.options(), CpuThreading.forCores(callers), opened);
      List<AdaplerRuntime> separate = new ArrayList<>();
      separate.add(shared1);
      for (int c = 1; c < callers; c++) {
        separate.add(open(bundle, shared1.options(), CpuThreading.defaults(), opened));
      }
      List<ThreadingBench.Setting> settings = new ArrayList<>();
      settings.add(ThreadingBench.Setting.shared(callers + " callers, 1 shared session, intra-op 1"
          + " (default)", shared1, callers));
      settings.add(ThreadingBench.Setting.shared(callers + " callers, 1 shared session, intra-op "
          + callers, sharedN, callers));
      settings.add(new ThreadingBench.Setting(callers + " callers, a session each, intra-op 1",
          separate));
      settings.add(ThreadingBench.Setting.shared("1 caller, intra-op " + callers, sharedN, 1));
      settings.add(ThreadingBench.Setting.shared("1 caller, intra-op 1", shared1, 1));
      return ThreadingBench.run(settings, rows, reps);
    } finally {
      opened.forEach(AdaplerRuntime::close);
    }
  }

  /** Opens a runtime like {@code base} but with other thread settings. */
  private static AdaplerRuntime open(ModelBundle bundle, RuntimeOptions base,
      CpuThreading threading, List<AdaplerRuntime> opened) throws Exception {
    AdaplerRuntime rt = AdaplerRuntime.open(bundle,
        base.toBuilder().optThreading(threading).build());
    opened.add(rt);
    return rt;
  }

  private static List<Section> print(List<Section> sections) {
    for (Section s : sections) {
      System.out.println();
      System.out.print(s.markdown());
    }
    System.out.flush();
    return sections;
  }

  private static void write(BenchSettings s, Map<String, Object> machine, Section targets,
      List<Section> sections) throws Exception {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("settings", s.toJson());
    json.put("targets", targets.json());
    for (Section sec : sections) {
      json.put(sec.key(), sec.json());
    }
    Path jsonFile = s.out().resolve("results.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(),
        json);
    StringBuilder md = new StringBuilder("# adapler-spark benchmarks\n\n");
    md.append(Machine.markdown(machine)).append('\n');
    md.append("Settings: ").append(s.describe()).append("\n\n");
    md.append(targets.markdown());
    for (Section sec : sections) {
      md.append('\n').append(sec.markdown());
    }
    Path mdFile = s.out().resolve("results.md");
    Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(targets.markdown());
    System.out.printf("%n[bench] wrote %s and %s (ONNX Runtime %s)%n", jsonFile, mdFile,
        OrtEnvironment.getEnvironment().getVersion());
  }
}
