package io.adapler.bench;

import io.adapler.udf.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's options, {@code --name value} on the command line.
 *
 * @param bundle the model bundle
 * @param data the directory of the SpamAssassin splits
 * @param rows rows sampled from them (at least 2000 for a report)
 * @param reps measured repetitions of the speedup section
 * @param sideReps measured repetitions of the other sections (rounds of the job section)
 * @param seed the sampling seed
 * @param callers concurrent callers (Spark task threads); the machine's cores by default
 * @param sideRows rows of the batching, threading and format sections (they compare many
 *     settings)
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
    int callers, int sideRows, int tokenBudget, int maxBatchRows, Set<String> sections,
    Path out, Path baseline, int jobRows, float jobEtaScale, List<JobVariant> jobVariants,
    List<String> formatBundles) {

  static final Set<String> ALL = Set.of("speedup", "baseline", "batching", "threading", "job",
      "format");
  /** What runs without --sections: all but format, which compares --format-bundles. */
  static final String DEFAULT_SECTIONS = "speedup,baseline,batching,threading,job";
  static final String DEFAULT_BUNDLE = "samples/models/spam-minilm";

  static final String HELP = """
      Usage: ./bench.sh [--name value ...]       the suite (sections below)
             ./bench.sh --soak [--name value ...] the memory soak; ./bench.sh --soak --help
             ./bench.sh --agreement REFERENCE OTHER [LABELLED_JSONL [ETA_SCALES]]
                                                 two exports of a model on labelled rows
        --bundle DIR          model bundle (default samples/models/spam-minilm)
        --data DIR            SpamAssassin splits from prepare-spam-data.sh (default build/spam)
        --rows N              mails sampled from them (default 2000)
        --reps N              repetitions of the speedup section (default 5)
        --side-reps N         repetitions of the other sections, rounds of the job section
                              (default 2)
        --seed N              sampling seed (default 1)
        --callers N           concurrent callers, as Spark task threads (default: cores)
        --side-rows N         rows of the batching, threading and format sections
                              (default rows / 2)
        --token-budget N      the runtime's padded tokens per batch (default: the runtime's)
        --max-batch-rows N    the runtime's rows per batch (default: the runtime's)
        --sections LIST       comma list of speedup,baseline,batching,threading,job,format
                              (default all but format); speedup and baseline are measured
                              together
        --out DIR             results.json and results.md go here (default build/bench)
        --baseline DIR        the plain encoder graph every figure is also a ratio to: its
                              model.onnx and tokenizer.json (default
                              build/backbones/all-minilm-l6-v2, model/scripts/fetch_backbone.sh)
        --job-rows N          mails the job section scores (default 0: all of --data, its
                              files as they are; N writes the first N of each file, in
                              proportion, to files of the same names)
        --job-eta-scale X     eta scale of the job section (default 0)
        --job-variants LIST   the job section's runs, ';'-separated NAME=OPTIONS, where
                              OPTIONS are job options and VAR=value environment variables
                              (default "default": the job's defaults; JAVA_OPTS=a,b
                              replaces the JVM options of conf/local-jvm-options.txt), e.g.
                              "default;p8=--partitions 8;rat=--rationales true"
        --format-bundles LIST comma list of bundles for the format section (default: --bundle)
      """;

  /** Returns the settings, or null when --help was asked for. */
  static BenchSettings parse(String[] args) {
    Flags f = Flags.parse(args, HELP);
    if (f == null) {
      return null;
    }
    String bundle = f.string("bundle", DEFAULT_BUNDLE);
    int rows = f.integer("rows", 2000, 1);
    BenchSettings s = new BenchSettings(
        bundle,
        f.path("data", Path.of("build/spam")),
        rows,
        f.integer("reps", 5, 1),
        f.integer("side-reps", 2, 1),
        f.longInteger("seed", 1),
        f.integer("callers", Runtime.getRuntime().availableProcessors(), 1),
        f.integer("side-rows", Math.max(1, rows / 2), 1, rows),
        f.integer("token-budget", 0, 1),
        f.integer("max-batch-rows", RuntimeOptions.DEFAULT_MAX_BATCH_ROWS, 1),
        f.someOf("sections", DEFAULT_SECTIONS, ALL),
        f.path("out", Path.of("build/bench")),
        f.path("baseline", PlainGraph.DEFAULT_DIR),
        f.integer("job-rows", 0, 0),
        f.number("job-eta-scale", 0f, 0f),
        f.list("job-variants", "default", ";").stream().map(JobVariant::parse).toList(),
        f.list("format-bundles", bundle, ","));
    f.done();
    List<String> names = s.jobVariants().stream().map(JobVariant::name).toList();
    if (Set.copyOf(names).size() != names.size()) {
      throw new IllegalArgumentException("--job-variants: expected distinct names, found "
          + names);
    }
    return s;
  }

  boolean runs(String section) {
    return sections.contains(section);
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
    j.put("token_budget", tokenBudget);
    j.put("max_batch_rows", maxBatchRows);
    j.put("sections", sections.stream().sorted().toList());
    j.put("baseline", baseline.toString());
    j.put("job_rows", jobRows);
    j.put("job_eta_scale", jobEtaScale);
    j.put("job_variants", jobVariants.stream().map(JobVariant::name).toList());
    j.put("format_bundles", formatBundles);
    return j;
  }

  String describe() {
    return String.format("bundle %s, %d SpamAssassin mails from %s (seed %d), %d callers, %d"
        + " repetitions (speedup) and %d (others), batching, threading and format on %d rows,"
        + " batches of at most %s padded tokens and %d rows; baseline %s.",
        bundle, rows, data, seed, callers, reps, sideReps, sideRows,
        tokenBudget == 0 ? "the runtime's default (" + RuntimeOptions.CPU_TOKEN_BUDGET
            + " on CPU, " + RuntimeOptions.LONG_TEXT_CPU_TOKEN_BUDGET + " for bundles of "
            + RuntimeOptions.LONG_TEXT_MAX_LENGTH + "+ tokens)" : String.valueOf(tokenBudget),
        maxBatchRows, baseline);
  }
}
