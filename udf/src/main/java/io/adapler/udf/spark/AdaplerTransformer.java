package io.adapler.udf.spark;

import io.adapler.udf.bundle.BundleLoadException;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
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
 */
public final class AdaplerTransformer extends Transformer {
  private static final long serialVersionUID = 1L;

  private final String uid;

  /** Bundle directory on any Hadoop FileSystem. */
  public final Param<String> bundle;
  /** The string column to classify. */
  public final Param<String> textCol;
  /** The second string column of sentence pairs; empty for single texts. */
  public final Param<String> pairCol;
  /** 0 keeps every token, 1 is the trained point, above 1 drops more. */
  public final FloatParam etaScale;
  /** cpu, cuda, cuda:N or auto. */
  public final Param<String> device;
  /** Run on CPU with a warning when CUDA is unavailable. */
  public final BooleanParam allowCpuFallback;
  /** Most padded tokens per batch. */
  public final IntParam tokenBudget;
  /** Most rows per batch. */
  public final IntParam maxBatchRows;

  /** Creates a transformer with a random uid. */
  public AdaplerTransformer() {
    this(Identifiable$.MODULE$.randomUID("adapler"));
  }

  /** Creates a transformer with the given uid (used by {@link #copy}). */
  public AdaplerTransformer(String uid) {
    this.uid = uid;
    bundle = new Param<>(this, "bundle", "model bundle directory on any Hadoop FileSystem");
    textCol = new Param<>(this, "textCol", "the string column to classify");
    pairCol = new Param<>(this, "pairCol", "second string column of sentence pairs, or empty");
    etaScale = new FloatParam(this, "etaScale",
        "0 keeps every token, 1 is the trained point, above 1 drops more",
        ParamValidators.gtEq(0));
    device = new Param<>(this, "device", "cpu, cuda (the task's GPU), cuda:N or auto");
    allowCpuFallback = new BooleanParam(this, "allowCpuFallback",
        "run on CPU with a warning when CUDA is unavailable");
    tokenBudget = new IntParam(this, "tokenBudget", "most padded tokens per batch",
        ParamValidators.gtEq(1));
    maxBatchRows = new IntParam(this, "maxBatchRows", "most rows per batch",
        ParamValidators.gtEq(1));
    setDefault(textCol, "text");
    setDefault(pairCol, "");
    setDefault(etaScale, 1f);
    setDefault(device, "cpu");
    setDefault(allowCpuFallback, false);
    setDefault(tokenBudget, 8192);
    setDefault(maxBatchRows, 64);
  }

  public AdaplerTransformer setBundle(String value) {
    return (AdaplerTransformer) set(bundle, value);
  }

  public AdaplerTransformer setTextCol(String value) {
    return (AdaplerTransformer) set(textCol, value);
  }

  public AdaplerTransformer setPairCol(String value) {
    return (AdaplerTransformer) set(pairCol, value);
  }

  public AdaplerTransformer setEtaScale(float value) {
    return (AdaplerTransformer) set(etaScale, value);
  }

  public AdaplerTransformer setDevice(String value) {
    return (AdaplerTransformer) set(device, value);
  }

  public AdaplerTransformer setAllowCpuFallback(boolean value) {
    return (AdaplerTransformer) set(allowCpuFallback, value);
  }

  public AdaplerTransformer setTokenBudget(int value) {
    return (AdaplerTransformer) set(tokenBudget, value);
  }

  public AdaplerTransformer setMaxBatchRows(int value) {
    return (AdaplerTransformer) set(maxBatchRows, value);
  }

  /** Returns the options these Params describe. */
  public ScoreOptions scoreOptions() {
    if (!isDefined(bundle)) {
      throw new IllegalArgumentException("AdaplerTransformer " + uid + ": set the bundle first "
          + "(setBundle(\"path/to/bundle\"))");
    }
    return ScoreOptions.builder($(bundle)).optTextColumn($(textCol)).optPairColumn($(pairCol))
        .optEtaScale((Float) $(etaScale)).optDevice($(device))
        .optAllowCpuFallback((Boolean) $(allowCpuFallback))
        .optTokenBudget((Integer) $(tokenBudget)).optMaxBatchRows((Integer) $(maxBatchRows))
        .build();
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
}
