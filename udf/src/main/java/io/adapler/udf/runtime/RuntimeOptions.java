package io.adapler.udf.runtime;

import io.adapler.udf.batch.BatchingStrategy;

/**
 * How a runtime runs: device, CPU fallback, CPU threads, batching limits and outputs.
 *
 * @param device the device to run on
 * @param allowCpuFallback whether an unavailable CUDA device falls back to the CPU (with a
 *     warning) instead of failing
 * @param threading CPU thread settings (also used for CPU-side work of a CUDA session)
 * @param tokenBudget most padded tokens per batch (rows times the batch's longest row); 0 for
 *     the default of the device and the bundle's max length ({@link #defaultTokenBudget}),
 *     resolved when a runtime opens ({@link AdaplerRuntime#tokenBudget()})
 * @param maxBatchRows most rows per batch (for {@link BatchingStrategy#FIXED}: the batch size)
 * @param batching how rows are cut into batches
 * @param rationales whether calls that do not choose report the tokens that reach the last
 *     layer, with offsets; {@link AdaplerRuntime#scoreEncoded(java.util.List, float, boolean)}
 *     chooses per call, so this is not part of a runtime's identity in a {@link
 *     RuntimeRegistry}
 */
public record RuntimeOptions(
    Device device,
    boolean allowCpuFallback,
    CpuThreading threading,
    int tokenBudget,
    int maxBatchRows,
    BatchingStrategy batching,
    boolean rationales) {

  /**
   * Default {@link #tokenBudget} on the CPU: 1024, about eight full-length rows (128 tokens) per
   * batch, fewer long ones when tokens are removed. Each {@code session.run} streams every
   * weight matrix once, and once AdapLeR has dropped most tokens a row's few activations no
   * longer pay for that: batching rows amortizes it. Measured through the job on 2 cores (all
   * 6,046 SpamAssassin mails, the shipped model, docs/benchmarks.md): against a
   * budget of 128 (one full-length row per batch, the default before), 1.34x the rows/s at eta
   * scale 1 and 1.06x at 0; 512 and 2048 gave less at eta scale 1. Padding (each layer is cut
   * to the batch's longest kept row) costs less than the weight streaming it saves.
   */
  public static final int CPU_TOKEN_BUDGET = 1024;

  /**
   * Default {@link #tokenBudget} on the CPU for bundles that read 512 tokens or more: 512, so a
   * row longer than 256 tokens runs alone. A row that long already fills each matrix product,
   * and pairing it only adds padding to attention and a working set twice the size. Measured in
   * the bare runtime at max length 512 on 2 cores (400 mails, 2 callers, against the plain graph
   * one row per call): at eta scale 0, budget 512 gave 1.085x the plain graph's rows/s, 1024
   * gave 0.956x and 2048 0.886x; at eta scale 1 4.43x, 4.55x and 4.41x (docs/benchmarks.md).
   */
  public static final int LONG_TEXT_CPU_TOKEN_BUDGET = 512;

  /** Max length from which {@link #LONG_TEXT_CPU_TOKEN_BUDGET} is the CPU default. */
  public static final int LONG_TEXT_MAX_LENGTH = 512;

  /** Default {@link #tokenBudget} on a CUDA device: 64 rows of 128 tokens, to fill the GPU. */
  public static final int CUDA_TOKEN_BUDGET = 8192;

  /** Default {@link #maxBatchRows}. */
  public static final int DEFAULT_MAX_BATCH_ROWS = 64;

  /**
   * Validates the options.
   *
   * @param device see the record component of the same name
   * @param allowCpuFallback see the record component of the same name
   * @param threading see the record component of the same name
   * @param tokenBudget see the record component of the same name
   * @param maxBatchRows see the record component of the same name
   * @param batching see the record component of the same name
   * @param rationales see the record component of the same name
   */
  public RuntimeOptions {
    if (device == null || threading == null || batching == null) {
      throw new IllegalArgumentException("device, threading and batching must not be null");
    }
    if (tokenBudget < 0 || maxBatchRows < 1) {
      throw new IllegalArgumentException("tokenBudget must be >= 0 (0: the default) and"
          + " maxBatchRows >= 1, found " + tokenBudget + " and " + maxBatchRows);
    }
  }

  /**
   * Returns the token budget a runtime uses when none is set: {@link #CUDA_TOKEN_BUDGET} on a
   * CUDA device; on the CPU {@link #LONG_TEXT_CPU_TOKEN_BUDGET} for bundles reading at least
   * {@link #LONG_TEXT_MAX_LENGTH} tokens, else {@link #CPU_TOKEN_BUDGET}.
   *
   * @param device the device the session runs on
   * @param maxLength the bundle's max length (tokens per row, special tokens included)
   * @return the budget
   */
  public static int defaultTokenBudget(Device device, int maxLength) {
    if (device.isCuda()) {
      return CUDA_TOKEN_BUDGET;
    }
    return maxLength >= LONG_TEXT_MAX_LENGTH ? LONG_TEXT_CPU_TOKEN_BUDGET : CPU_TOKEN_BUDGET;
  }

  /**
   * Returns the token budget for a bundle of {@code maxLength} tokens on {@code device}: the one
   * set, else {@link #defaultTokenBudget}.
   *
   * @param device the device the session runs on (the CPU after a fallback)
   * @param maxLength the bundle's max length
   * @return the budget
   */
  public int tokenBudgetFor(Device device, int maxLength) {
    return tokenBudget != 0 ? tokenBudget : defaultTokenBudget(device, maxLength);
  }

  /**
   * Returns the defaults: CPU, no fallback, default threads and batching, rationales on.
   *
   * @return default options
   */
  public static RuntimeOptions defaults() {
    return builder().build();
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a builder holding these options, to change some of them.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return builder().optDevice(device).optAllowCpuFallback(allowCpuFallback)
        .optThreading(threading).optTokenBudget(tokenBudget).optMaxBatchRows(maxBatchRows)
        .optBatching(batching).optRationales(rationales);
  }

  /** Builds {@link RuntimeOptions}; every setting is optional. */
  public static final class Builder {
    private Device device = Device.cpu();
    private boolean allowCpuFallback;
    private CpuThreading threading = CpuThreading.defaults();
    private int tokenBudget; // 0: by device and bundle
    private int maxBatchRows = DEFAULT_MAX_BATCH_ROWS;
    private BatchingStrategy batching = BatchingStrategy.TOKEN_BUDGET;
    private boolean rationales = true;

    private Builder() {}

    /**
     * Sets the device.
     *
     * @param device cpu or a CUDA device
     * @return this builder
     */
    public Builder optDevice(Device device) {
      this.device = device;
      return this;
    }

    /**
     * Sets whether an unavailable CUDA device falls back to the CPU.
     *
     * @param allow true to fall back with a warning
     * @return this builder
     */
    public Builder optAllowCpuFallback(boolean allow) {
      this.allowCpuFallback = allow;
      return this;
    }

    /**
     * Sets the CPU thread settings.
     *
     * @param threading the settings
     * @return this builder
     */
    public Builder optThreading(CpuThreading threading) {
      this.threading = threading;
      return this;
    }

    /**
     * Sets the token budget per batch; 0 (the default) chooses by device and the bundle's max
     * length when the runtime opens ({@link RuntimeOptions#defaultTokenBudget}).
     *
     * @param tokenBudget padded tokens per batch, or 0
     * @return this builder
     */
    public Builder optTokenBudget(int tokenBudget) {
      this.tokenBudget = tokenBudget;
      return this;
    }

    /**
     * Sets the row cap per batch.
     *
     * @param maxBatchRows rows per batch
     * @return this builder
     */
    public Builder optMaxBatchRows(int maxBatchRows) {
      this.maxBatchRows = maxBatchRows;
      return this;
    }

    /**
     * Sets the batching strategy.
     *
     * @param batching token-budget (sorted, the default) or fixed (input order)
     * @return this builder
     */
    public Builder optBatching(BatchingStrategy batching) {
      this.batching = batching;
      return this;
    }

    /**
     * Sets whether rationales are reported.
     *
     * @param rationales false to skip the kept-token offsets
     * @return this builder
     */
    public Builder optRationales(boolean rationales) {
      this.rationales = rationales;
      return this;
    }

    /**
     * Builds and validates the options.
     *
     * @return the options
     */
    public RuntimeOptions build() {
      return new RuntimeOptions(device, allowCpuFallback, threading, tokenBudget, maxBatchRows,
          batching, rationales);
    }
  }
}
