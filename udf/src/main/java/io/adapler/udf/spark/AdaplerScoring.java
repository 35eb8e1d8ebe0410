package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.Device;
import io.adapler.udf.runtime.RuntimeRegistry;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The DataFrame API: scores every row of a Dataset with an AdapLeR bundle.
 *
 * <pre>{@code
 * Dataset<Row> scored = AdaplerScoring.score(df, ScoreOptions.builder("hdfs:///models/spam")
 *     .optTextColumn("body").build());
 * }</pre>
 *
 * <p>The result has every input column followed by {@link ScoredColumns#SCHEMA}: label,
 * label_index, probabilities, input_length, layer_lengths, flops_speedup, truncated, status,
 * error, flops_full, flops_adaptive, and with {@link ScoreOptions#rationales()} a last column,
 * {@link ScoredColumns#RATIONALE}. Exactly one output row per input row. The schema and the
 * bundle are checked on the driver before any task runs.
 *
 * <p>With device cuda and {@link ScoreOptions#taskGpus()} set, the scoring stage alone asks
 * for GPUs ({@link GpuStageProfile}); the result is then a DataFrame over the scored RDD, and
 * with adaptive execution on, Spark may run the stages before the input's last shuffle when
 * this is called (to plan the RDD) rather than when the result is written.
 */
public final class AdaplerScoring {
  private AdaplerScoring() {}

  /**
   * Starts opening the CPU runtime that {@link #score} checks the bundle with, on a daemon
   * thread, so that a caller can overlap it with Spark's planning and reading; {@code score}
   * then finds it open, or waits for it. A failure is left for {@code score} to report.
   *
   * @param bundle the verified bundle
   * @param options the options {@code score} will be called with
   */
  public static void openInBackground(ModelBundle bundle, ScoreOptions options) {
    Thread t = new Thread(() -> {
      try {
        RuntimeRegistry.shared().get(bundle, PartitionScorer.runtimeOptions(options,
            Device.cpu()));
      } catch (BundleLoadException | RuntimeException e) {
        // score() opens it again and reports what went wrong.
      }
    }, "adapler-runtime-open");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Checks the input schema and the bundle, then returns the lazily scored Dataset.
   *
   * @param input rows with the options' text column (and pair column) of type string
   * @param options bundle, columns, eta scale, device, batching
   * @return the input columns plus the scoring columns
   * @throws BundleLoadException when the bundle is missing, corrupt or does not match its graph
   * @throws IllegalArgumentException when a column is missing or not a string
   */
  public static Dataset<Row> score(Dataset<Row> input, ScoreOptions options)
      throws BundleLoadException {
    return score(input, options, null);
  }

  /**
   * As {@link #score(Dataset, ScoreOptions)}, and the tasks add the rows they have given a
   * result (any status) to {@code rowsScored}, chunk by chunk, for a progress report. The
   * counter must be registered on the driver; like any accumulator updated in a transformation,
   * its driver value counts rows again when a task is rerun, so read it per successful task
   * (a {@code SparkListener}), not as a total.
   *
   * @param rowsScored a registered accumulator, or null for no count
   */
  public static Dataset<Row> score(Dataset<Row> input, ScoreOptions options,
      LongAccumulator rowsScored) throws BundleLoadException {
    StructType out = outputSchema(input.schema(), options);
    ModelBundle bundle = BundleLoader.shared().load(options.bundle(),
        input.sparkSession().sparkContext().hadoopConfiguration());
    checkPairs(bundle, options);
    checkRationales(bundle, options);
    // Opening a CPU session here checks the graph against the manifest before any task runs;
    // in local mode the tasks then share this very runtime, so it gets their options.
    RuntimeRegistry.shared().get(bundle, PartitionScorer.runtimeOptions(options, Device.cpu()));
    ScoreOptions resolved = options.withEtaScaleOr(bundle.manifest().defaultEtaScale());
    PartitionScorer scorer = new PartitionScorer(resolved, input.schema(), rowsScored);
    GpuStageProfile.Decision gpus =
        GpuStageProfile.decide(resolved, input.sparkSession().sparkContext().conf());
    if (!gpus.applies()) {
      return input.mapPartitions(scorer, Encoders.row(out));
    }
    // A resource profile is an RDD property: score on the RDD and turn it back into rows.
    // Spark runs everything pipelined with the scoring (up to the previous shuffle, and the
    // write after it) in the scoring stage, with the profile.
    JavaRDD<Row> scored = input.toJavaRDD().mapPartitions(scorer::call)
        .withResources(gpus.profile());
    return input.sparkSession().createDataFrame(scored, out);
  }

  /**
   * Returns the scored schema for an input schema, checking the text columns first.
   *
   * @param input the input schema
   * @param options the scoring options
   * @return the input columns followed by the scoring columns
   */
  public static StructType outputSchema(StructType input, ScoreOptions options) {
    checkTextColumns(input, options);
    return ScoredColumns.append(input, options.rationales());
  }

  /** The text (and pair) column must be there and hold strings. */
  static void checkTextColumns(StructType input, ScoreOptions options) {
    checkStringColumn(input, options.textColumn(), "text");
    if (options.pairColumn() != null) {
      checkStringColumn(input, options.pairColumn(), "pair");
    }
  }

  private static void checkStringColumn(StructType schema, String name, String role) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in the "
          + "input; its columns are " + Arrays.toString(schema.fieldNames()));
    }
    DataType type = schema.apply(name).dataType();
    if (!type.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("the " + role + " column '" + name + "' must be a "
          + "string, found " + type.simpleString() + "; cast it first (e.g. col(\"" + name
          + "\").cast(\"string\")) or choose another column");
    }
  }

  private static void checkRationales(ModelBundle bundle, ScoreOptions options) {
    if (options.rationales() && !bundle.manifest().hasKeptPositions()) {
      throw new IllegalArgumentException("rationales were asked for, but the graph of bundle "
          + bundle.label() + " has no kept_positions output; re-export it with the model/ "
          + "exporter or turn rationales off");
    }
  }

  private static void checkPairs(ModelBundle bundle, ScoreOptions options) {
    boolean bundlePairs = bundle.manifest().tokenizer().pairInputs();
    if (options.pairColumn() != null && !bundlePairs) {
      throw new IllegalArgumentException("a pair column ('" + options.pairColumn() + "') was "
          + "given, but bundle " + bundle.label() + " was trained on single texts "
          + "(tokenizer.pair_inputs is false); drop the pair column");
    }
  }
}
