package io.adapler.udf.spark;

import io.adapler.udf.runtime.Device;
import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link AdaplerScoring} needs to score a DataFrame: the bundle, the input columns, the
 * speed knob, the device and batching. Serializable: it travels to the executors.
 *
 * @param bundle bundle directory on any Hadoop FileSystem
 * @param textColumn the string column to classify
 * @param pairColumn the second string column for sentence-pair models, or null
 * @param etaScale 0 keeps every token, 1 is the trained point, above 1 drops more; null: the
 *     bundle's default (its calibrated operating point, else 1), resolved on the driver
 * @param device {@code cpu}, {@code cuda} (the task's Spark-assigned GPU), {@code cuda:N} or
 *     {@code auto} (the task's GPU when it has one); see {@link SparkDeviceResolver}
 * @param allowCpuFallback run on CPU with a warning when CUDA is unavailable
 * @param intraOpThreads ONNX Runtime threads per session; 0 chooses one per concurrent task
 * @param tokenBudget most padded tokens per batch; 0 chooses by device and bundle (on CPU 1024,
 *     512 for bundles reading 512 tokens; 8192 on CUDA)
 * @param maxBatchRows most rows per batch
 * @param chunkRows rows tokenized and length-sorted together before batches are cut
 * @param maxTextChars longer texts get status ERROR instead of being tokenized
 * @param rationales add the {@link ScoredColumns#RATIONALE} column: the word pieces that
 *     reached the last layer, with their character offsets
 * @param taskGpus GPUs each scoring task asks for through a stage-level resource profile on
 *     the scoring stage only (e.g. 0.5: two tasks share a GPU); 0, the default: no profile, the
 *     tasks get what the job-wide {@code spark.task.resource.gpu.amount} gives. Only used with
 *     device {@code cuda} or {@code gpu}; see {@link GpuStageProfile}
 */
public record ScoreOptions(
    String bundle,
    String textColumn,
    String pairColumn,
    Float etaScale,
    String device,
    boolean allowCpuFallback,
    int intraOpThreads,
    int tokenBudget,
    int maxBatchRows,
    int chunkRows,
    int maxTextChars,
    boolean rationales,
    double taskGpus) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Validates the options; the messages name the option and what it accepts. */
  public ScoreOptions {
    if (bundle == null || bundle.isBlank()) {
      throw new IllegalArgumentException("bundle must name a bundle directory");
    }
    if (textColumn == null || textColumn.isBlank()) {
      throw new IllegalArgumentException("textColumn must name a string column");
    }
    if (pairColumn != null && pairColumn.isBlank()) {
      pairColumn = null;
    }
    if (etaScale != null && (!(etaScale >= 0) || !Float.isFinite(etaScale))) {
      throw new IllegalArgumentException("etaScale must be a finite number >= 0, found " + etaScale);
    }
    if (!Set.of("auto", "cuda", "gpu").contains(String.valueOf(device).strip().toLowerCase(Locale.ROOT))) {
      Device.parse(device); // throws, naming the accepted forms
    }
    if (intraOpThreads < 0 || tokenBudget < 0 || maxBatchRows < 1 || chunkRows < 1
        || maxTextChars < 1) {
      throw new IllegalArgumentException("intraOpThreads and tokenBudget must be >= 0 and "
          + "maxBatchRows, chunkRows, maxTextChars >= 1; found " + intraOpThreads + ", "
          + tokenBudget + ", " + maxBatchRows + ", " + chunkRows + ", " + maxTextChars);
    }
    // Spark takes a fraction of one GPU (tasks share it) or a whole number of GPUs.
    if (!(taskGpus >= 0) || (taskGpus > 1 && taskGpus != Math.rint(taskGpus))) {
      throw new IllegalArgumentException("taskGpus must be 0 (no stage profile), a fraction up"
          + " to 1 or a whole number of GPUs, found " + taskGpus);
    }
  }

  /**
   * Returns these options with the eta scale chosen: this one's, or the bundle's default.
   *
   * @param bundleDefault the bundle's default eta scale
   * @return options whose {@link #etaScale()} is not null
   */
  public ScoreOptions withEtaScaleOr(float bundleDefault) {
    return etaScale != null ? this : new ScoreOptions(bundle, textColumn, pairColumn,
        bundleDefault, device, allowCpuFallback, intraOpThreads, tokenBudget, maxBatchRows,
        chunkRows, maxTextChars, rationales, taskGpus);
  }

  /**
   * Starts a builder for a bundle with the defaults: column {@code text}, the bundle's default
   * eta scale (1, the trained point, unless the bundle carries a calibrated one), CPU.
   *
   * @param bundle bundle directory on any Hadoop FileSystem
   * @return a builder
   */
  public static Builder builder(String bundle) {
    return new Builder(bundle);
  }

  /** Builds {@link ScoreOptions}; every setting but the bundle is optional. */
  public static final class Builder {
    private final String bundle;
    private String textColumn = "text";
    private String pairColumn;
    private Float etaScale; // null: the bundle's default
    private String device = "cpu";
    private boolean allowCpuFallback;
    private int intraOpThreads;
    private int tokenBudget; // 0: by device and bundle
    private int maxBatchRows = 64;
    private int chunkRows = 1024;
    private int maxTextChars = 10_000_000;
    private boolean rationales;
    private double taskGpus; // 0: no stage-level profile

    private Builder(String bundle) {
      this.bundle = bundle;
    }

    /** Sets the text column (default {@code text}). */
    public Builder optTextColumn(String column) {
      this.textColumn = column;
      return this;
    }

    /** Sets the second text column of sentence pairs (default none). */
    public Builder optPairColumn(String column) {
      this.pairColumn = column;
      return this;
    }

    /** Sets the eta scale (default: the bundle's operating point, else 1, the trained point). */
    public Builder optEtaScale(float scale) {
      this.etaScale = scale;
      return this;
    }

    /** Sets the device: {@code cpu} (default), {@code cuda} or {@code cuda:N}. */
    public Builder optDevice(String device) {
      this.device = device;
      return this;
    }

    /** Allows CPU when CUDA is unavailable (default false: fail). */
    public Builder optAllowCpuFallback(boolean allow) {
      this.allowCpuFallback = allow;
      return this;
    }

    /** Sets ONNX Runtime intra-op threads (default 0: one per concurrent task). */
    public Builder optIntraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /** Sets the most padded tokens per batch (default 0: by device and bundle, see the record). */
    public Builder optTokenBudget(int tokens) {
      this.tokenBudget = tokens;
      return this;
    }

    /** Sets the most rows per batch (default 64). */
    public Builder optMaxBatchRows(int rows) {
      this.maxBatchRows = rows;
      return this;
    }

    /** Sets the rows sorted by length together (default 1024). */
    public Builder optChunkRows(int rows) {
      this.chunkRows = rows;
      return this;
    }

    /** Sets the longest text scored; longer ones get ERROR (default 10,000,000 chars). */
    public Builder optMaxTextChars(int chars) {
      this.maxTextChars = chars;
      return this;
    }

    /**
     * Adds the {@code rationale} column: per OK row, the word pieces that reached the last
     * layer with their character offsets (default false: the column is absent).
     */
    public Builder optRationales(boolean rationales) {
      this.rationales = rationales;
      return this;
    }

    /**
     * Asks for this many GPUs per scoring task with a resource profile on the scoring stage
     * only, where the cluster manager supports it (default 0: none; the job-wide
     * {@code spark.task.resource.gpu.amount} applies). Used with device cuda or gpu.
     */
    public Builder optTaskGpus(double gpus) {
      this.taskGpus = gpus;
      return this;
    }

    /** Returns the validated options. */
    public ScoreOptions build() {
      return new ScoreOptions(bundle, textColumn, pairColumn, etaScale, device, allowCpuFallback,
          intraOpThreads, tokenBudget, maxBatchRows, chunkRows, maxTextChars, rationales,
          taskGpus);
    }
  }
}
