package io.adapler.job.options;

/**
 * Every option of the job: its flag, default and documentation, in the order {@code --help}
 * prints them. The same names are the keys of a config file ({@code --config}).
 */
public enum JobOption {
  CONFIG("config", null, "Config file of key = value lines (keys are these option names); "
      + "flags given on the command line override it."),
  INPUT("input", null, "Input path, directory or glob on any Hadoop FileSystem, or a table "
      + "name with --input-format delta, iceberg or table (required)."),
  INPUT_FORMAT("input-format", "", "parquet, json, csv, text, orc, delta (a Delta table: its "
      + "path or its name in the catalog), iceberg (a table in a Spark catalog) or table (any "
      + "table of the session's catalog); empty: a directory holding _delta_log is delta, else "
      + "from the input's "
      + "extension (.json, .jsonl, .ndjson: json; .csv: csv; .txt: text; .orc: orc; also "
      + "compressed, as .jsonl.gz); for a directory or a glob without one, from its files' "
      + "extensions when they all name the same format; else parquet. For json and csv, "
      + "records the reader cannot parse get status ERROR and their raw text in the "
      + "malformed_record column; files without any record give an empty output."),
  INPUT_FILTER("input-filter", "", "A Spark SQL condition on the input's columns that the rows "
      + "to score meet, e.g. \"day = '2026-12-01'\" (pushed down to a table's or a "
      + "directory's partitions); empty: every row."),
  CSV_HEADER("csv-header", "true", "For csv: whether the first line names the columns."),
  TEXT_COLUMN("text-column", "text",
      "Column holding the text to classify (for the text format: 'value')."),
  PAIR_COLUMN("pair-column", "",
      "Second text column for sentence-pair models; empty for single texts."),
  ID_COLUMN("id-column", "",
      "Column that identifies a row; empty: a stable id is generated from the input file "
          + "and the row's position in it. For json and csv it is read as a string, and a "
          + "malformed record without one gets a generated id."),
  PASS_THROUGH("pass-through", "",
      "Comma-separated input columns copied unchanged to the output. For json they keep the "
          + "types Spark infers from the whole input, which costs one more read of it; without "
          + "them json is read once (the columns named here, as strings, checked on its first "
          + "records)."),
  OUTPUT("output", null, "Output Parquet directory, or with --output-format delta a Delta "
      + "table's path or name, or with iceberg a table name (required)."),
  OUTPUT_FORMAT("output-format", "parquet", "parquet (a directory), delta (a Delta table; an "
      + "append carries an application id and version, so that a scheduler's retry of a run "
      + "that committed writes no row twice) or iceberg (a table in a Spark catalog)."),
  PARTITION_BY("partition-by", "", "Comma-separated output columns to partition the output "
      + "by, e.g. a pass-through date column; empty: none."),
  INCREMENTAL("incremental", "false", "Score only the input rows whose id is not in the "
      + "output yet, and append them: a daily run over a growing corpus scores only the new "
      + "rows, and a retried run only what is missing. Needs --id-column."),
  MAX_ERROR_RATE("max-error-rate", "", "Exit with code 6 when the share of ERROR rows among "
      + "the rows scored is above this (0.01: one in a hundred); the output is written "
      + "either way. Empty: never."),
  MODE("mode", "errorifexists", "Save mode: errorifexists, overwrite, append or ignore. "
      + "With --parts: errorifexists resumes an unfinished run with the same options (and "
      + "refuses one with other options), overwrite deletes the output and starts over."),
  PARTS("parts", "0",
      "Commit the output in this many parts as the run goes, so that a rerun with the same "
          + "options (a scheduler's retry) skips the parts already committed and scores only "
          + "the rest; 0 writes all or nothing. Part k holds the rows with "
          + "pmod(xxhash64(id), N) = k - 1; a part is committed when "
          + "_adapler_parts/part-0000k.json exists, the whole output when _SUCCESS does."),
  PARTITIONS("partitions", "0",
      "Repartition the input into this many partitions before scoring; 0 keeps the input's "
          + "when it has at least 4 per core (spark.default.parallelism), else spreads it "
          + "round-robin into 4 per core, so that the cores finish together (Spark splits "
          + "files by bytes: a small corpus in a few files gets a few uneven tasks)."),
  BUNDLE("bundle", null, "Model bundle directory on any Hadoop FileSystem (required)."),
  ETA_SCALE("eta-scale", "",
      "Speed/accuracy knob: 0 keeps every token, 1 is the trained point, above 1 drops more; "
          + "empty: the bundle's calibrated operating point if it has one, else 1."),
  DEVICE("device", "cpu",
      "cpu, cuda (the GPU Spark assigned to the task) or cuda:N (a fixed GPU)."),
  GPU_PER_TASK("gpu-per-task", "1",
      "With --device cuda or gpu: GPUs each scoring task asks for through a resource profile "
          + "on the scoring stage only (0.5: two tasks share a GPU), so reading runs without "
          + "one; needs standalone, YARN or Kubernetes and executors with GPUs. Ignored when "
          + "the Spark conf sets spark.task.resource.gpu.amount (job-wide, every task) or in "
          + "local mode; 0 turns it off."),
  ALLOW_CPU_FALLBACK("allow-cpu-fallback", "false",
      "Run on CPU with a warning when CUDA is asked for but not available."),
  INTRA_OP_THREADS("intra-op-threads", "0",
      "ONNX Runtime threads per session; 0 chooses from the executor's cores."),
  TOKEN_BUDGET("token-budget", "0",
      "Most tokens (rows x padded length) in one batch; 0 chooses by device and model: on CPU"
          + " 1024 (about 8 rows of 128 tokens), 512 for models reading 512 tokens (a long row"
          + " runs alone; both measured fastest there), 8192 on CUDA."),
  MAX_BATCH_ROWS("max-batch-rows", "64", "Most rows in one batch."),
  CHUNK_ROWS("chunk-rows", "1024",
      "Rows tokenized and sorted by length together before batches are cut."),
  MAX_TEXT_CHARS("max-text-chars", "10000000",
      "Texts longer than this many characters get status ERROR instead of being tokenized."),
  RATIONALES("rationales", "false",
      "Add a rationale column: for each OK row, the word pieces that reached the last layer "
          + "(AdapLeR's rationale), as array<struct<token, start, end, segment>>, where "
          + "text.substring(start, end) is the piece's text and segment says which text (0 "
          + "the text column, 1 the pair column); null for rows that are not OK. Off: the "
          + "column is absent. Costs a little throughput (docs/output.md)."),
  SUMMARY_DIR("summary-dir", "", "Directory for summary.json and summary.html; empty: "
      + "<output>_summary beside a path output, or for a table name <table>_summary in the "
      + "session's warehouse directory (spark.sql.warehouse.dir)."),
  SUMMARY("summary", "true",
      "Write summary.json and summary.html next to the output and print the summary."),
  SUMMARY_EXAMPLES("summary-examples", "true",
      "Show a few scored rows in summary.html (per predicted label: the most and the least "
          + "compressed and one picked by a hash of the id), their text coloured by how many "
          + "layers each token ran through. This copies those rows' text into the page: turn it "
          + "off for corpora whose text must not leave the output."),
  PROGRESS_SECONDS("progress-seconds", "10",
      "Print progress (rows scored, rate, ETA) this often; 0 turns it off."),
  HELP("help", null, "Print this help and exit.");

  private final String flag;
  private final String defaultValue;
  private final String doc;

  JobOption(String flag, String defaultValue, String doc) {
    this.flag = flag;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  /** Returns the option's name, used as {@code --name} and as a config key. */
  public String flag() {
    return flag;
  }

  /** Returns the default value, or null when the option has none. */
  public String defaultValue() {
    return defaultValue;
  }

  /** Returns the option's one-paragraph documentation. */
  public String doc() {
    return doc;
  }

  /**
   * Finds an option by name.
   *
   * @param flag a name without the leading dashes
   * @return the option
   * @throws IllegalArgumentException naming the closest choices when there is no such option
   */
  public static JobOption of(String flag) {
    for (JobOption o : values()) {
      if (o.flag.equals(flag)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown option --" + flag + "; run with --help for the list");
  }

  /** Returns the text {@code --help} prints. */
  public static String helpText() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: submit.sh [spark-submit options] --input PATH --output PATH --bundle PATH "
        + "[options]\n\nScores every row of a text corpus with an AdapLeR model bundle and writes "
        + "Parquet:\nid, pass-through columns, label, label_index, probabilities, input_length, "
        + "layer_lengths,\nflops_speedup, truncated, status (OK, EMPTY, NULL, ERROR), error "
        + "(and for json\nand csv input, malformed_record; with --rationales, rationale).\n\n"
        + "Options (--name value or --name=value):\n");
    for (JobOption o : values()) {
      sb.append(String.format("  --%-20s %s%n", o.flag, o.doc));
      if (o.defaultValue != null && !o.defaultValue.isEmpty()) {
        sb.append(String.format("  %-22s default: %s%n", "", o.defaultValue));
      }
    }
    sb.append("\nExit codes: 0 done, 2 bad options, 3 the bundle cannot be used, 4 the input "
        + "cannot be read or lacks a column, 1 anything else.\n");
    return sb.toString();
  }
}
