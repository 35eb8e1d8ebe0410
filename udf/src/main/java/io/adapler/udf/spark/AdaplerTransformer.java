package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} for notebooks and pipelines: appends the AdapLeR scoring
 * columns ({@link ScoredColumns}) to a DataFrame. Same work as {@link AdaplerScoring}, with
 * typed Params.
 *
 * <pre>{@code
 * new AdaplerTransformer().setBundle("dbfs:/models/spam").setTextCol("body").transform(df)
 * }</pre>
 *
 * <p>Saves and loads with Spark ML's writers and readers, alone ({@link #save}, {@link #load})
 * or inside a saved {@code PipelineModel}. What is saved is the uid and the Params, the set ones
 * apart from the defaults, not the model: the bundle must still be at its path when the stage
 * is loaded and used.
 */
public final class AdaplerTransformer extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;

  /** Bundle directory on any Hadoop FileSystem. */
  private final Param<String> bundleP;
  /** The string column to classify. */
  private final Param<String> textColP;
  /** The second string column of sentence pairs; empty for single texts. */
  private final Param<String> pairColP;
  /** 0 keeps every token, 1 is the trained point, above 1 drops more. */
  private final FloatParam etaScaleP;
  /** cpu, cuda, cuda:N or auto. */
  private final Param<String> deviceP;
  /** Run on CPU with a warning when CUDA is unavailable. */
  private final BooleanParam allowCpuFallbackP;
  /** Most padded tokens per batch. */
  private final IntParam tokenBudgetP;
  /** Most rows per batch. */
  private final IntParam maxBatchRowsP;
  /** Add the rationale column. */
  private final BooleanParam rationalesP;

  /** Creates a transformer with a random uid. */
  public AdaplerTransformer() {
    this(Identifiable$.MODULE$.randomUID("adapler"));
  }

  /** Creates a transformer with the given uid (used by {@link #copy}). */
  public AdaplerTransformer(String uid) {
    this.uid = uid;
    bundleP = new Param<>(this, "bundle", "model bundle directory on any Hadoop FileSystem");
    textColP = new Param<>(this, "textCol", "the string column to classify");
    pairColP = new Param<>(this, "pairCol", "second string column of sentence pairs, or empty");
    etaScaleP = new FloatParam(this, "etaScale",
        "0 keeps every token, 1 is the trained point, above 1 drops more; unset: the bundle's "
            + "calibrated operating point, else 1",
        ParamValidators.gtEq(0));
    deviceP = new Param<>(this, "device", "cpu, cuda (the task's GPU), cuda:N or auto");
    allowCpuFallbackP = new BooleanParam(this, "allowCpuFallback",
        "run on CPU with a warning when CUDA is unavailable");
    tokenBudgetP = new IntParam(this, "tokenBudget",
        "most padded tokens per batch; 0 chooses by device and bundle (on CPU 1024, 512 for"
            + " bundles reading 512 tokens; 8192 on CUDA)",
        ParamValidators.gtEq(0));
    maxBatchRowsP = new IntParam(this, "maxBatchRows", "most rows per batch",
        ParamValidators.gtEq(1));
    rationalesP = new BooleanParam(this, "rationales", "add a rationale column: per OK row, "
        + "the word pieces that reached the last layer, with character offsets into the text");
    setDefault(textColP, "text");
    setDefault(pairColP, "");
    setDefault(etaScaleP, 1f);
    setDefault(deviceP, "cpu");
    setDefault(allowCpuFallbackP, false);
    setDefault(tokenBudgetP, 0);
    setDefault(maxBatchRowsP, 64);
    setDefault(rationalesP, false);
  }

  // Spark ML finds a stage's Params through its public no-argument methods returning Param.

  /** Returns the bundle Param. */
  public Param<String> bundle() {
    return bundleP;
  }

  /** Returns the textCol Param. */
  public Param<String> textCol() {
    return textColP;
  }

  /** Returns the pairCol Param. */
  public Param<String> pairCol() {
    return pairColP;
  }

  /** Returns the etaScale Param. */
  public FloatParam etaScale() {
    return etaScaleP;
  }

  /** Returns the device Param. */
  public Param<String> device() {
    return deviceP;
  }

  /** Returns the allowCpuFallback Param. */
  public BooleanParam allowCpuFallback() {
    return allowCpuFallbackP;
  }

  /** Returns the tokenBudget Param. */
  public IntParam tokenBudget() {
    return tokenBudgetP;
  }

  /** Returns the maxBatchRows Param. */
  public IntParam maxBatchRows() {
    return maxBatchRowsP;
  }

  /** Returns the rationales Param. */
  public BooleanParam rationales() {
    return rationalesP;
  }

  public AdaplerTransformer setBundle(String value) {
    return (AdaplerTransformer) set(bundleP, value);
  }

  public AdaplerTransformer setTextCol(String value) {
    return (AdaplerTransformer) set(textColP, value);
  }

  public AdaplerTransformer setPairCol(String value) {
    return (AdaplerTransformer) set(pairColP, value);
  }

  public AdaplerTransformer setEtaScale(float value) {
    return (AdaplerTransformer) set(etaScaleP, value);
  }

  public AdaplerTransformer setDevice(String value) {
    return (AdaplerTransformer) set(deviceP, value);
  }

  public AdaplerTransformer setAllowCpuFallback(boolean value) {
    return (AdaplerTransformer) set(allowCpuFallbackP, value);
  }

  public AdaplerTransformer setTokenBudget(int value) {
    return (AdaplerTransformer) set(tokenBudgetP, value);
  }

  public AdaplerTransformer setMaxBatchRows(int value) {
    return (AdaplerTransformer) set(maxBatchRowsP, value);
  }

  public AdaplerTransformer setRationales(boolean value) {
    return (AdaplerTransformer) set(rationalesP, value);
  }

  /** Returns the options these Params describe. */
  public ScoreOptions scoreOptions() {
    if (!isDefined(bundleP)) {
      throw new IllegalArgumentException("AdaplerTransformer " + uid + ": set the bundle first "
          + "(setBundle(\"path/to/bundle\"))");
    }
    ScoreOptions.Builder b = ScoreOptions.builder($(bundleP)).optTextColumn($(textColP))
        .optPairColumn($(pairColP)).optDevice($(deviceP))
        .optAllowCpuFallback((Boolean) $(allowCpuFallbackP))
        .optTokenBudget((Integer) $(tokenBudgetP)).optMaxBatchRows((Integer) $(maxBatchRowsP))
        .optRationales((Boolean) $(rationalesP));
    if (isSet(etaScaleP)) { // unset: the bundle's default, not this Param's declared 1
      b.optEtaScale((Float) $(etaScaleP));
    }
    return b.build();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return AdaplerScoring.outputSchema(schema, scoreOptions());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    try {
      return AdaplerScoring.score((Dataset<Row>) dataset, scoreOptions());
    } catch (BundleLoadException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public AdaplerTransformer copy(ParamMap extra) {
    return (AdaplerTransformer) defaultCopy(extra);
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * Returns a writer of this stage's metadata: class, uid, and the Params set and defaulted,
   * kept apart so that an unset etaScale stays unset (the bundle's default) when loaded.
   */
  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  /**
   * Returns a reader of a saved stage. {@code PipelineModel.load} finds it by calling this
   * static method reflectively on the class named in the stage's metadata.
   *
   * @return a reader that fails, naming both classes, on metadata of another class
   */
  public static MLReader<AdaplerTransformer> read() {
    return new AdaplerTransformerReader();
  }

  /**
   * Loads a stage saved with {@link #save} (or {@code write().overwrite().save}).
   *
   * @param path the directory written, on any Hadoop FileSystem
   * @return the stage, with its uid and Params as they were saved
   */
  public static AdaplerTransformer load(String path) {
    return read().load(path);
  }
}
