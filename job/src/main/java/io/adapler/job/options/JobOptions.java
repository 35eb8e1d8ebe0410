package io.adapler.job.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The job's validated options. Built from a config file and command-line flags (flags win),
 * with every value checked before any Spark work starts.
 */
public record JobOptions(
    String input,
    String inputFormat,
    boolean csvHeader,
    String textColumn,
    String pairColumn,
    String idColumn,
    List<String> passThrough,
    String output,
    String mode,
    int partitions,
    String bundle,
    Float etaScale,
    String device,
    double gpuPerTask,
    boolean allowCpuFallback,
    int intraOpThreads,
    int tokenBudget,
    int maxBatchRows,
    int chunkRows,
    int maxTextChars,
    boolean summary,
    int progressSeconds,
    int parts,
    boolean rationales,
    boolean summaryExamples,
    boolean inputFormatNamed) {

  static final Set<String> FORMATS = Set.of("parquet", "json", "csv", "text", "orc");
  static final Set<String> MODES = Set.of("errorifexists", "overwrite", "append", "ignore");
  /** Part numbers are five digits in file names. */
  static final int MAX_PARTS = 99_999;

  /**
   * Parses command-line arguments.
   *
   * @param args {@code --name value} or {@code --name=value} pairs
   * @return the options, or null when {@code --help} was asked for
   * @throws IllegalArgumentException naming the option and the accepted values
   */
  public static JobOptions parse(String... args) {
    Map<JobOption, String> flags = new EnumMap<>(JobOption.class);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a
            + "'; options look like --name value (run with --help)");
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (JobOption.of(name) == JobOption.HELP) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
      flags.put(JobOption.of(name), value);
    }
    if (flags.containsKey(JobOption.HELP)) {
      return null;
    }
    Map<JobOption, String> values = new EnumMap<>(JobOption.class);
    for (JobOption o : JobOption.values()) {
      if (o.defaultValue() != null) {
        values.put(o, o.defaultValue());
      }
    }
    if (flags.containsKey(JobOption.CONFIG)) {
      values.putAll(readConfig(Path.of(flags.get(JobOption.CONFIG))));
    }
    values.putAll(flags);
    return fromValues(values);
  }

  /** Reads {@code key = value} lines; {@code #} starts a comment. */
  static Map<JobOption, String> readConfig(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file.toAbsolutePath() + ": " + e, e);
    }
    Map<JobOption, String> values = new EnumMap<>(JobOption.class);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected key = value, found '"
            + line + "'");
      }
      try {
        values.put(JobOption.of(line.substring(0, eq).strip()), line.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + (n + 1) + ": " + e.getMessage(), e);
      }
    }
    return values;
  }

  private static JobOptions fromValues(Map<JobOption, String> v) {
    int parts = integer(v, JobOption.PARTS, 0);
    String mode = oneOf(v, JobOption.MODE, MODES);
    if (parts > MAX_PARTS) {
      throw new IllegalArgumentException("--parts must be at most " + MAX_PARTS + ", found "
          + parts);
    }
    if (parts > 0 && !mode.equals("errorifexists") && !mode.equals("overwrite")) {
      // append would mix two runs' parts, ignore would skip the resume: neither is defined.
      throw new IllegalArgumentException("--parts works with --mode errorifexists (resume an "
          + "unfinished run) or overwrite (start over), found --mode " + mode);
    }
    // Named: by the option, or by the input's extension; else Parquet for now, and
    // InputFormatProbe looks at the files once Spark's file system settings are known.
    String fromName = formatOfExtension(required(v, JobOption.INPUT));
    boolean named = !v.get(JobOption.INPUT_FORMAT).isBlank() || fromName != null;
    if (v.get(JobOption.INPUT_FORMAT).isBlank()) {
      v.put(JobOption.INPUT_FORMAT, fromName != null ? fromName : "parquet");
    }
    String format = oneOf(v, JobOption.INPUT_FORMAT, FORMATS);
    String text = v.get(JobOption.TEXT_COLUMN);
    if (format.equals("text") && text.equals(JobOption.TEXT_COLUMN.defaultValue())) {
      text = "value"; // Spark's text source has a single column named value
    }
    return new JobOptions(
        required(v, JobOption.INPUT), format, bool(v, JobOption.CSV_HEADER), nonEmpty(text),
        v.get(JobOption.PAIR_COLUMN), v.get(JobOption.ID_COLUMN), list(v.get(JobOption.PASS_THROUGH)),
        required(v, JobOption.OUTPUT), mode,
        integer(v, JobOption.PARTITIONS, 0), required(v, JobOption.BUNDLE), etaScale(v),
        v.get(JobOption.DEVICE).strip(), gpuPerTask(v), bool(v, JobOption.ALLOW_CPU_FALLBACK),
        integer(v, JobOption.INTRA_OP_THREADS, 0), integer(v, JobOption.TOKEN_BUDGET, 0),
        integer(v, JobOption.MAX_BATCH_ROWS, 1), integer(v, JobOption.CHUNK_ROWS, 1),
        integer(v, JobOption.MAX_TEXT_CHARS, 1), bool(v, JobOption.SUMMARY),
        integer(v, JobOption.PROGRESS_SECONDS, 0), parts, bool(v, JobOption.RATIONALES),
        bool(v, JobOption.SUMMARY_EXAMPLES), named);
  }

  /** These options reading the input as {@code format} (named: the files said so). */
  public JobOptions withInputFormat(String format) {
    return new JobOptions(input, format, csvHeader, textColumn, pairColumn, idColumn,
        passThrough, output, mode, partitions, bundle, etaScale, device, gpuPerTask,
        allowCpuFallback, intraOpThreads, tokenBudget, maxBatchRows, chunkRows, maxTextChars,
        summary, progressSeconds, parts, rationales, summaryExamples, true);
  }

  /**
   * The input format a path's or file name's extension names (a glob's too: {@code
   * corpus/*.jsonl}), or null when it names none, as for a directory. Without it a JSON Lines
   * file read as Parquet failed with Spark's "is not a Parquet file" deep in a task.
   */
  public static String formatOfExtension(String path) {
    String name = path.strip().toLowerCase(Locale.ROOT);
    name = name.substring(name.lastIndexOf('/') + 1);
    // Spark's text-based readers decompress these by their suffix: corpus.jsonl.gz is json.
    name = name.replaceFirst("\\.(gz|bz2|deflate|lz4|snappy|zst|xz)$", "");
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    return switch (name.substring(dot + 1)) {
      case "json", "jsonl", "ndjson" -> "json";
      case "csv" -> "csv";
      case "orc" -> "orc";
      case "txt" -> "text";
      case "parquet" -> "parquet";
      default -> null;
    };
  }

  private static String required(Map<JobOption, String> v, JobOption o) {
    String s = v.get(o);
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("--" + o.flag() + " is required: " + o.doc());
    }
    return s.strip();
  }

  private static String nonEmpty(String column) {
    if (column.isBlank()) {
      throw new IllegalArgumentException("--text-column must name a column");
    }
    return column.strip();
  }

  private static String oneOf(Map<JobOption, String> v, JobOption o, Set<String> allowed) {
    String s = v.get(o).strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException("--" + o.flag() + " must be one of " + allowed.stream()
          .sorted().toList() + ", found '" + v.get(o) + "'");
    }
    return s;
  }

  private static boolean bool(Map<JobOption, String> v, JobOption o) {
    String s = v.get(o).strip().toLowerCase(Locale.ROOT);
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException("--" + o.flag() + " must be true or false, found '"
          + v.get(o) + "'");
    }
    return s.equals("true");
  }

  private static int integer(Map<JobOption, String> v, JobOption o, int min) {
    try {
      int n = Integer.parseInt(v.get(o).strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException("--" + o.flag() + " must be an integer >= " + min
        + ", found '" + v.get(o) + "'");
  }

  /** GPUs per scoring task: 0, a fraction up to 1, or a whole number (as Spark takes them). */
  private static double gpuPerTask(Map<JobOption, String> v) {
    try {
      double g = Double.parseDouble(v.get(JobOption.GPU_PER_TASK).strip());
      if (g >= 0 && (g <= 1 || g == Math.rint(g)) && Double.isFinite(g)) {
        return g;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--gpu-per-task must be 0, a fraction up to 1 (tasks "
        + "share a GPU) or a whole number of GPUs, found '" + v.get(JobOption.GPU_PER_TASK)
        + "'");
  }

  /** The eta scale asked for, or null for the bundle's default. */
  private static Float etaScale(Map<JobOption, String> v) {
    if (v.get(JobOption.ETA_SCALE).isBlank()) {
      return null;
    }
    try {
      float s = Float.parseFloat(v.get(JobOption.ETA_SCALE).strip());
      if (s >= 0 && Float.isFinite(s)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--eta-scale must be a number >= 0, found '"
        + v.get(JobOption.ETA_SCALE) + "'");
  }

  private static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
    return List.copyOf(out);
  }

  /** Returns whether the rows are sentence pairs. */
  public boolean pairs() {
    return !pairColumn.isBlank();
  }

  /** Returns whether the output is committed in parts, so that a rerun can resume. */
  public boolean parted() {
    return parts > 0;
  }

  /** Returns whether the id is generated rather than read from a column. */
  public boolean generatedId() {
    return idColumn.isBlank();
  }
}
