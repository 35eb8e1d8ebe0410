package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.CpuThreading;
import io.adapler.udf.runtime.Device;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.runtime.RuntimeRegistry;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Scores one partition with the executor's shared runtime: reads rows in chunks, gives each
 * row a status, tokenizes and scores the chunk (the runtime sorts it by length and cuts batches
 * by the token budget), and returns the rows in their input order with the scoring columns
 * appended. A failure is narrowed down by splitting the failing rows in halves until only the
 * rows that fail on their own get ERROR. Never one runtime per partition: the runtime comes
 * from the per-JVM {@link RuntimeRegistry}. When given a row counter, adds each chunk's rows to it
 * once the chunk is scored, so that a progress report can count rows scored, not rows read.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);

  private final ScoreOptions options;
  private final int textIndex;
  private final int pairIndex;
  private final LongAccumulator rowsScored;

  /**
   * @param rowsScored counts the rows this scorer has given a result, or null for no count
   */
  PartitionScorer(ScoreOptions options, StructType inputSchema, LongAccumulator rowsScored) {
    this.options = options;
    this.rowsScored = rowsScored;
    this.textIndex = inputSchema.fieldIndex(options.textColumn());
    this.pairIndex = options.pairColumn() == null ? -1 : inputSchema.fieldIndex(options.pairColumn());
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws BundleLoadException {
    if (!input.hasNext()) {
      return input;
    }
    logTaskGpus();
    AdaplerRuntime runtime = runtime(options, executorHadoopConf());
    return new Iterator<>() {
      private Iterator<Row> scored = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        return scored.hasNext() || input.hasNext();
      }

      @Override
      public Row next() {
        if (!scored.hasNext()) {
          if (!input.hasNext()) {
            throw new NoSuchElementException();
          }
          List<Row> chunk = new ArrayList<>(options.chunkRows());
          while (input.hasNext() && chunk.size() < options.chunkRows()) {
            chunk.add(input.next());
          }
          scored = scoreChunk(runtime, chunk).iterator();
          if (rowsScored != null) {
            rowsScored.add(chunk.size());
          }
        }
        return scored.next();
      }
    };
  }

  /** Logs the GPU addresses Spark gave the scoring task, so that a run shows who had one. */
  private void logTaskGpus() {
    TaskContext task = TaskContext.get();
    if (task != null) {
      ResourceInformation gpu = task.resourcesJMap().get(SparkDeviceResolver.GPU_RESOURCE);
      LOG.info("scoring task (device {}) has GPU addresses {}", options.device(),
          gpu == null ? "[]" : List.of(gpu.addresses()));
    }
  }

  /** Returns the shared runtime for the options on the current task's device. */
  static AdaplerRuntime runtime(ScoreOptions options, Configuration conf)
      throws BundleLoadException {
    ModelBundle bundle = BundleLoader.shared().load(options.bundle(), conf);
    return RuntimeRegistry.shared().get(bundle, runtimeOptions(options,
        SparkDeviceResolver.resolveForCurrentTask(options.device(), options.allowCpuFallback())));
  }

  /**
   * The runtime options of the tasks, on a device: the driver opens its CPU check runtime with
   * these too, so that in local mode, where the tasks share the driver's runtime, the job's
   * batching and threading options apply (with the defaults there, they were ignored).
   */
  static RuntimeOptions runtimeOptions(ScoreOptions options, Device device) {
    return RuntimeOptions.builder()
        .optDevice(device)
        .optAllowCpuFallback(options.allowCpuFallback())
        .optThreading(options.intraOpThreads() == 0 ? CpuThreading.defaults()
            : CpuThreading.forCores(options.intraOpThreads()))
        .optTokenBudget(options.tokenBudget())
        .optMaxBatchRows(options.maxBatchRows())
        // Rationales are asked for per call (scoreChunk), so the runtime's default is moot and
        // jobs with and without them share one runtime.
        .optRationales(false)
        .build();
  }

  /** A Hadoop configuration carrying the job's {@code spark.hadoop.*} settings. */
  static Configuration executorHadoopConf() {
    Configuration conf = new Configuration();
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      for (Tuple2<String, String> kv : env.conf().getAllWithPrefix("spark.hadoop.")) {
        conf.set(kv._1(), kv._2());
      }
    }
    return conf;
  }

  List<Row> scoreChunk(AdaplerRuntime runtime, List<Row> chunk) {
    Row[] out = new Row[chunk.size()];
    List<Integer> pending = new ArrayList<>();
    List<TextRow> texts = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      Row row = chunk.get(i);
      String text = row.isNullAt(textIndex) ? null : row.getString(textIndex);
      String pair = pairIndex < 0 || row.isNullAt(pairIndex) ? null : row.getString(pairIndex);
      int chars = (text == null ? 0 : text.length()) + (pair == null ? 0 : pair.length());
      if (text == null || (pairIndex >= 0 && pair == null)) {
        out[i] = unscored(row, RowStatus.NULL, null);
      } else if (chars > options.maxTextChars()) {
        out[i] = unscored(row, RowStatus.ERROR, "text has " + chars
            + " characters, more than the limit of " + options.maxTextChars()
            + " (max-text-chars)");
      } else {
        pending.add(i);
        texts.add(pair == null ? TextRow.of(text) : TextRow.pair(text, pair));
      }
    }
    List<EncodedRow> encoded = encode(runtime, chunk, texts, pending, out);
    List<Integer> toScore = new ArrayList<>();
    List<EncodedRow> toScoreRows = new ArrayList<>();
    int specials = pairIndex < 0 ? 2 : 3;
    for (int k = 0; k < pending.size(); k++) {
      int i = pending.get(k);
      EncodedRow e = encoded.get(k);
      if (e == null) {
        continue; // tokenization failed: out[i] already says why
      }
      if (e.length() <= specials) {
        out[i] = unscored(chunk.get(i), RowStatus.EMPTY, null);
      } else {
        toScore.add(i);
        toScoreRows.add(e);
      }
    }
    score(runtime, chunk, toScore, toScoreRows, out);
    return List.of(out);
  }

  /** Tokenizes all rows at once; if that fails, row by row, so only bad rows get ERROR. */
  private List<EncodedRow> encode(AdaplerRuntime runtime, List<Row> chunk,
      List<TextRow> texts, List<Integer> rows, Row[] out) {
    try {
      return runtime.encode(texts);
    } catch (RuntimeException whole) {
      List<EncodedRow> encoded = new ArrayList<>(texts.size());
      for (int k = 0; k < texts.size(); k++) {
        try {
          encoded.add(runtime.encode(List.of(texts.get(k))).get(0));
        } catch (RuntimeException e) {
          encoded.add(null);
          out[rows.get(k)] = unscored(chunk.get(rows.get(k)), RowStatus.ERROR,
              "tokenization failed: " + e);
        }
      }
      return encoded;
    }
  }

  /** A row without a prediction; its rationale (when asked for) is null too. */
  private Row unscored(Row input, RowStatus status, String error) {
    return ScoredColumns.unscored(input, status, error, options.rationales());
  }

  /** Scores rows; on failure splits them in halves until the failing rows stand alone. */
  private void score(AdaplerRuntime runtime, List<Row> chunk, List<Integer> rows,
      List<EncodedRow> encoded, Row[] out) {
    if (rows.isEmpty()) {
      return;
    }
    try {
      List<RowResult> results = runtime.scoreEncoded(encoded, options.etaScale(),
          options.rationales());
      for (int k = 0; k < rows.size(); k++) {
        out[rows.get(k)] = ScoredColumns.scored(chunk.get(rows.get(k)), results.get(k),
            options.rationales());
      }
    } catch (Exception e) {
      if (rows.size() == 1) {
        out[rows.get(0)] = unscored(chunk.get(rows.get(0)), RowStatus.ERROR,
            String.valueOf(e.getMessage()));
        return;
      }
      int half = rows.size() / 2;
      score(runtime, chunk, rows.subList(0, half), encoded.subList(0, half), out);
      score(runtime, chunk, rows.subList(half, rows.size()),
          encoded.subList(half, encoded.size()), out);
    }
  }
}
