package io.adapler.bench;

import io.adapler.udf.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The suite's options, {@code --name value} on the command line.
 *
 * @param bundle the model bundle
 * @param data the directory of the SpamAssassin splits
 * @param rows rows sampled from them (at least 2000 for a report)
 * @param reps measured repetitions of the speedup section
 * @param sideReps measured repetitions of the batching, threading and Spark sections
 * @param seed the sampling seed
 * @param callers concurrent callers (Spark task threads); the machine's cores by default
 * @param sideRows rows of the batching and threading sections (they compare many settings)
 * @param gemmSize M = K = N of the reference matrix product
 * @param gemmCalls products per caller in one GEMM measurement
 * @param tokenBudget the runtime's token budget per batch, 0 for the runtime's default
 * @param maxBatchRows the runtime's row cap per batch
 * @param sections which sections run
 * @param out where results.json and results.md go
 * @param baseline the plain encoder graph's directory (model.onnx, tokenizer.json)
 * @param jobRows mails the job section scores, 0 for all of {@code data} as its files are
 * @param jobEtaScale the eta scale of the job section
 * @param jobVariants the job section's runs: extra options and environment per run
 * @param formatBundles the bundles the format section compares
 */
record BenchSettings(String bundle, Path data, int rows, int reps, int sideReps, long seed,
    int callers, int sideRows, int gemmSize, int gemmCalls, int tokenBudget,
    int maxBatchRows, Set<String> sections,
    Path out, Path baseline, int jobRows, float jobEtaScale, List<JobBench.Variant> jobVariants,
    List<String> formatBundles) {

  static final Set<String> ALL = Set.of("speedup", "baseline", "batching", "threading",
      "spark", "rationales", "job", "format");
  /** What runs without --sections: all but format, which needs --format-bundles. */
  static final String DEFAULT_SECTIONS =
      "speedup,baseline,batching,threading,spark,rationales,job";

  static final String HELP = """
      Usage: ./bench.sh [--name value ...]
        --bundle DIR          model bundle (default samples/models/spam-minilm)
        --data DIR            SpamAssassin splits from prepare-spam-data.sh (default build/spam)
        --rows N              mails sampled from them (default 2000)
        --reps N              repetitions of the speedup section (default 5)
        --side-reps N         repetitions of the other sections (default 2)
        --seed N              sampling seed (default 1)
        --callers N           concurrent callers, as Spark task threads (default: cores)
        --side-rows N         rows of the batching, threading and rationales sections
                              (default rows / 2)
        --gemm-size N         the reference GEMM is N x N by N x N (default 1024)
        --gemm-calls N        GEMMs per caller per measurement (default 20)
        --token-budget N      the runtime's padded tokens per batch (default: the runtime's)
        --max-batch-rows N    the runtime's rows per batch (default: the runtime's)
        --sections LIST       comma list of speedup,baseline,batching,threading,spark,
                              rationales,job,format (default all but format); speedup and
                              baseline are measured together
        --out DIR             results.json and results.md go here (default build/bench)
        --baseline DIR        the plain encoder graph every figure is also a ratio to: its
                              model.onnx and tokenizer.json (default
                              build/backbones/all-minilm-l6-v2, model/scripts/fetch_backbone.sh)
        --job-rows N          mails the job section scores (default 0: all of --data, its
                              files as they are; N writes the first N of the seed's order to
                              one JSON Lines file)
        --job-eta-scale X     eta scale of the job section (default 0)
        --job-variants LIST   the job section's runs, ';'-separated NAME=OPTIONS, where
                              OPTIONS are job options and VAR=value environment variables
                              (default "default": the job's defaults; JAVA_OPTS=a,b
                              replaces the JVM options of conf/local-jvm-options.txt), e.g.
                              "default;p8=--partitions 8;c2=JAVA_OPTS=-Xmx4g"
        --format-bundles LIST comma list of bundles for the format section (default: --bundle)
      """;

  /** Returns the settings, or null when --help was asked for. */
  static BenchSettings parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        return null;
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, found '" + args[i]
            + "'\n" + HELP);
      }
      m.put(args[i].substring(2), args[++i]);
    }
    int rows = positive(m, "rows", 2000);
    BenchSettings s = new BenchSettings(
        m.getOrDefault("bundle", "samples/models/spam-minilm"),
        Path.of(m.getOrDefault("data", "build/spam")),
        rows,
        positive(m, "reps", 5),
        positive(m, "side-reps", 2),
        Long.parseLong(m.getOrDefault("seed", "1")),
        positive(m, "callers", Runtime.getRuntime().availableProcessors()),
        positive(m, "side-rows", Math.max(1, rows / 2)),
        positive(m, "gemm-size", 1024),
        positive(m, "gemm-calls", 20),
        m.containsKey("token-budget") ? positive(m, "token-budget", 0) : 0,
        positive(m, "max-batch-rows", RuntimeOptions.DEFAULT_MAX_BATCH_ROWS),
        Set.of(m.getOrDefault("sections", DEFAULT_SECTIONS).split(",")),
        Path.of(m.getOrDefault("out", "build/bench")),
        Path.of(m.getOrDefault("baseline", PlainGraph.DEFAULT_DIR.toString())),
        m.containsKey("job-rows") ? nonNegative(m, "job-rows") : 0,
        etaScale(m.getOrDefault("job-eta-scale", "0")),
        Arrays.stream(m.getOrDefault("job-variants", "default").split(";"))
            .filter(v -> !v.isBlank()).map(JobBench.Variant::parse).toList(),
        List.of(m.getOrDefault("format-bundles", m.getOrDefault("bundle",
            "samples/models/spam-minilm")).split(",")));
    m.keySet().removeAll(Set.of("bundle", "data", "rows", "reps", "side-reps", "seed",
        "callers", "side-rows", "gemm-size", "gemm-calls", "token-budget", "max-batch-rows",
        "sections", "out", "baseline", "job-rows", "job-eta-scale", "job-variants",
        "format-bundles"));
    if (!m.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + m.keySet() + "\n" + HELP);
    }
    if (!ALL.containsAll(s.sections())) {
      throw new IllegalArgumentException("--sections: expected some of " + ALL + ", found "
          + s.sections());
    }
    if (s.sideRows() > rows) {
      throw new IllegalArgumentException("--side-rows " + s.sideRows()
          + " is more than --rows " + rows);
    }
    return s;
  }

  private static int nonNegative(Map<String, String> m, String key) {
    return "0".equals(m.get(key)) ? 0 : positive(m, key, 0);
  }

  private static float etaScale(String v) {
    try {
      float f = Float.parseFloat(v);
      if (f >= 0 && Float.isFinite(f)) {
        return f;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--job-eta-scale: expected a number >= 0, found '" + v
        + "'");
  }

  boolean runs(String section) {
    return sections.contains(section);
  }

  private static int positive(Map<String, String> m, String key, int fallback) {
    String v = m.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--" + key + ": expected a positive integer, found '" + v
        + "'");
  }

  Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("bundle", bundle);
    j.put("data", data.toString());
    j.put("rows", rows);
    j.put("reps", reps);
    j.put("side_reps", sideReps);
    j.put("seed", seed);
    j.put("callers", callers);
    j.put("side_rows", sideRows);
    j.put("gemm_size", gemmSize);
    j.put("gemm_calls", gemmCalls);
    j.put("token_budget", tokenBudget);
    j.put("max_batch_rows", maxBatchRows);
    j.put("sections", sections.stream().sorted().toList());
    j.put("baseline", baseline.toString());
    j.put("job_rows", jobRows);
    j.put("job_eta_scale", jobEtaScale);
    j.put("job_variants", jobVariants.stream().map(JobBench.Variant::name).toList());
    j.put("format_bundles", formatBundles);
    return j;
  }

  String describe() {
    return String.format("bundle %s, %d SpamAssassin mails from %s (seed %d), %d callers, %d"
        + " repetitions (speedup) and %d (others), batching and threading on %d rows, GEMM %d^3 x %d calls,"
        + " batches of at most %s padded tokens and %d rows; baseline %s.",
        bundle, rows, data, seed, callers, reps, sideReps, sideRows, gemmSize, gemmCalls,
        tokenBudget == 0 ? "the runtime's default (" + RuntimeOptions.CPU_TOKEN_BUDGET
            + " on CPU)" : String.valueOf(tokenBudget), maxBatchRows, baseline);
  }
}
