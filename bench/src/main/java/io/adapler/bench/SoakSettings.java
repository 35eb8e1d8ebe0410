package io.adapler.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory soak's options, {@code --name value} on the command line.
 *
 * @param bundle the model bundle
 * @param data the SpamAssassin splits (a directory) or one {@code .jsonl} file of mails
 * @param rows rows scored: the mails cycled, each copy with its own id
 * @param partitions Spark partitions (tasks) of the scoring stage; progress is seen per task
 * @param samples memory samples taken over the run, evenly spaced in rows
 * @param warmupFraction the share of rows before the baseline sample (JIT, arenas, caches)
 * @param window samples whose median makes the baseline and the final figure
 * @param maxGrowth the largest resident-memory growth after warm-up that passes
 * @param maxChars each text cut to this many characters, 0 for whole mails (short rows for CI)
 * @param callers Spark task threads (local[callers]): one executor, driver in the same JVM
 * @param seed the order of the mails
 * @param out where soak.json and soak.md go, and the scratch Parquet
 */
record SoakSettings(String bundle, Path data, int rows, int partitions, int samples,
    double warmupFraction, int window, double maxGrowth, int maxChars, int callers, long seed,
    Path out) {

  static final String HELP = """
      Usage: ./bench.sh --soak [--name value ...]
        --bundle DIR          model bundle (default samples/models/spam-minilm;
                              samples/models/tiny-random is the fast one)
        --data PATH           SpamAssassin splits directory, or one .jsonl of id and text
                              (default build/spam)
        --rows N              rows scored, the mails cycled with unique ids (default 50000)
        --partitions N        tasks of the scoring stage (default rows / 250)
        --samples N           memory samples over the run (default 25)
        --warmup PCT          percent of rows before the baseline sample (default 20)
        --window N            samples in the baseline and final medians (default 3)
        --max-growth PCT      resident memory growth after warm-up that passes (default 5)
        --max-chars N         cut each text to N characters, 0 keeps whole mails (default 0)
        --callers N           Spark task threads, local[N] (default 2)
        --seed N              order of the mails (default 1)
        --out DIR             soak.json, soak.md and scratch files (default build/soak)
      """;

  /** Returns the settings, or null when --help was asked for. */
  static SoakSettings parse(String[] args) {
    Flags f = Flags.parse(args, HELP);
    if (f == null) {
      return null;
    }
    int rows = f.integer("rows", 50_000, 1);
    SoakSettings s = new SoakSettings(
        f.string("bundle", BenchSettings.DEFAULT_BUNDLE),
        f.path("data", Path.of("build/spam")),
        rows,
        f.integer("partitions", Math.max(1, rows / 250), 1),
        f.integer("samples", 25, 4),
        f.integer("warmup", 20, 0, 99) / 100.0,
        f.integer("window", 3, 1),
        f.integer("max-growth", 5, 0) / 100.0,
        f.integer("max-chars", 0, 0),
        f.integer("callers", 2, 1),
        f.longInteger("seed", 1),
        f.path("out", Path.of("build/soak")));
    f.done();
    int after = (int) Math.floor(s.samples() * (1 - s.warmupFraction()));
    if (after < 2 * s.window()) {
      throw new IllegalArgumentException("--samples " + s.samples() + " leaves " + after
          + " samples after warm-up; expected at least 2 x --window (" + 2 * s.window() + ")");
    }
    return s;
  }

  /** Rows between two samples. */
  long sampleEvery() {
    return Math.max(1, rows / samples);
  }

  Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("bundle", bundle);
    j.put("data", data.toString());
    j.put("rows", rows);
    j.put("partitions", partitions);
    j.put("samples", samples);
    j.put("warmup_fraction", warmupFraction);
    j.put("window", window);
    j.put("max_growth", maxGrowth);
    j.put("max_chars", maxChars);
    j.put("callers", callers);
    j.put("seed", seed);
    return j;
  }
}
