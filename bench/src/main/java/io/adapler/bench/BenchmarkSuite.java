package io.adapler.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite, on one bundle and a sample of real SpamAssassin mails: the runtime
 * against the baseline (the plain encoder graph, one row per call) and realised against FLOPs
 * speedup, per-stage time and padding, batching, threading, the job as a user runs it (cold
 * JVMs, with variants) and numeric formats. Every figure is a ratio of things measured
 * interleaved in this run. Prints Markdown as it goes and writes {@code results.json} and
 * {@code results.md}.
 *
 * <p>Run with {@code ./bench.sh} (which prepares the data and the classpath); options: {@link
 * BenchSettings}.
 */
public final class BenchmarkSuite {
  private BenchmarkSuite() {}

  public static void main(String[] args) throws Exception {
    BenchSettings s;
    try {
      s = BenchSettings.parse(args);
    } catch (IllegalArgumentException e) { // a usage error: the message says it all
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
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
    double overBaseline0 = Double.NaN;
    double jobOverBaseline = Double.NaN;
    RuntimeOptions defaults = RuntimeOptions.builder().optRationales(false)
        .optTokenBudget(s.tokenBudget()).optMaxBatchRows(s.maxBatchRows()).build();
    BenchCorpus side = corpus.head(s.sideRows());
    try (AdaplerRuntime runtime = AdaplerRuntime.open(bundle, defaults);
         PlainGraph baseline = new PlainGraph(s.baseline(),
             bundle.manifest().tokenizer().maxLength(), runtime.options().threading())) {
      System.out.printf("[bench] baseline: %s, max length %d, intra-op %d per caller%n",
          s.baseline(), baseline.maxLength(), runtime.options().threading().intraOpThreads());
      if (s.runs("speedup") || s.runs("baseline")) {
        SpeedupBench bench = new SpeedupBench(runtime, corpus, s.callers(), baseline);
        sections.addAll(print(bench.run(s.reps())));
        realisedOverFlops = bench.headline().realisedOverFlops();
        overBaseline0 = bench.headline().overBaseline0();
      }
      if (s.runs("batching")) {
        sections.addAll(print(List.of(BatchingBench.run(bundle, runtime, side, s.callers(),
            s.sideReps()))));
      }
      if (s.runs("threading")) {
        sections.addAll(print(List.of(ThreadingBench.run(bundle, runtime, side, s.callers(),
            s.sideReps()))));
      }
      if (s.runs("job")) {
        JobBench.Result r = JobBench.run(s, baseline, work);
        sections.addAll(print(List.of(r.section())));
        jobOverBaseline = r.defaultOverBaseline();
      }
      if (s.runs("format")) {
        sections.addAll(print(List.of(FormatBench.run(s.formatBundles(), defaults, baseline,
            side, s.callers(), s.sideReps(), work))));
      }
    }
    write(s, machine, Targets.section(realisedOverFlops, overBaseline0, jobOverBaseline),
        sections);
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
