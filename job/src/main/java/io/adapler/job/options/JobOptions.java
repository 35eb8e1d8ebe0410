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
    boolean inputFormatNamed,
    TableOptions tables) {

  static final Set<String> FORMATS = Set.of("parquet", "json", "csv", "text", "orc", "delta",
      "iceberg", "table");
  /** Formats read by table name (or a table's path): no files to probe, no schema to name. */
  public static final Set<String> TABLE_FORMATS = Set.of("delta", "iceberg", "table");
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
    int parts = OptionValues.integer(v, JobOption.PARTS, 0);
    String mode = OptionValues.oneOf(v, JobOption.MODE, MODES);
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
    String input = OptionValues.required(v, JobOption.INPUT);
    String fromName = formatOfExtension(input);
    boolean named = !v.get(JobOption.INPUT_FORMAT).isBlank() || fromName != null;
    if (v.get(JobOption.INPUT_FORMAT).isBlank()) {
      v.put(JobOption.INPUT_FORMAT, fromName != null ? fromName : "parquet");
    }
    String format = OptionValues.oneOf(v, JobOption.INPUT_FORMAT, FORMATS);
    String text = v.get(JobOption.TEXT_COLUMN);
    if (format.equals("text") && text.equals(JobOption.TEXT_COLUMN.defaultValue())) {
      text = "value"; // Spark's text source has a single column named value
    }
    String idColumn = v.get(JobOption.ID_COLUMN);
    return new JobOptions(input, format, OptionValues.bool(v, JobOption.CSV_HEADER),
        OptionValues.nonEmpty(text), v.get(JobOption.PAIR_COLUMN), idColumn,
        OptionValues.list(v.get(JobOption.PASS_THROUGH)),
        OptionValues.required(v, JobOption.OUTPUT), mode,
        OptionValues.integer(v, JobOption.PARTITIONS, 0),
        OptionValues.required(v, JobOption.BUNDLE), OptionValues.etaScale(v),
        v.get(JobOption.DEVICE).strip(), OptionValues.gpuPerTask(v),
        OptionValues.bool(v, JobOption.ALLOW_CPU_FALLBACK),
        OptionValues.integer(v, JobOption.INTRA_OP_THREADS, 0),
        OptionValues.integer(v, JobOption.TOKEN_BUDGET, 0),
        OptionValues.integer(v, JobOption.MAX_BATCH_ROWS, 1),
        OptionValues.integer(v, JobOption.CHUNK_ROWS, 1),
        OptionValues.integer(v, JobOption.MAX_TEXT_CHARS, 1),
        OptionValues.bool(v, JobOption.SUMMARY),
        OptionValues.integer(v, JobOption.PROGRESS_SECONDS, 0), parts,
        OptionValues.bool(v, JobOption.RATIONALES),
        OptionValues.bool(v, JobOption.SUMMARY_EXAMPLES), named,
        TableOptions.from(v, mode, parts, idColumn.isBlank()));
  }

  /** These options reading the input as {@code format} (named: the files said so). */
  public JobOptions withInputFormat(String format) {
    return new JobOptions(input, format, csvHeader, textColumn, pairColumn, idColumn,
        passThrough, output, mode, partitions, bundle, etaScale, device, gpuPerTask,
        allowCpuFallback, intraOpThreads, tokenBudget, maxBatchRows, chunkRows, maxTextChars,
        summary, progressSeconds, parts, rationales, summaryExamples, true, tables);
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

  /** Returns whether the rows are sentence pairs. */
  public boolean pairs() {
    return !pairColumn.isBlank();
  }

  /** Returns whether the output is committed in parts, so that a rerun can resume. */
  public boolean parted() {
    return parts > 0;
  }

  /** Returns whether the input is a table read by name or by its path, not files. */
  public boolean tableInput() {
    return TABLE_FORMATS.contains(inputFormat);
  }

  /** Returns whether the id is generated rather than read from a column. */
  public boolean generatedId() {
    return idColumn.isBlank();
  }
}
