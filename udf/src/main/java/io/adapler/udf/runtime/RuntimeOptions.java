package io.adapler.udf.runtime;

import io.adapler.udf.batch.BatchingStrategy;

/**
 * How a runtime runs: device, CPU fallback, CPU threads, batching limits and outputs.
 *
 * @param device the device to run on
 * @param allowCpuFallback whether an unavailable CUDA device falls back to the CPU (with a
 *     warning) instead of failing
 * @param threading CPU thread settings (also used for CPU-side work of a CUDA session)
 * @param tokenBudget most padded tokens per batch (rows times the batch's longest row)
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
   * Default {@link #tokenBudget} on the CPU: 128, so a full-length row (128 tokens) runs alone
   * and only short rows share a batch. On the CPU a single 128-token row already gives matrix
   * products that run at the GEMM rate, while every extra row in a batch adds padding once
   * tokens are removed (each layer is cut to the batch's longest kept row) and grows the
   * working set beyond the caches. Measured by {@code ./bench.sh} (batching section, README,
   * docs/benchmarks/): on 2 cores, 1000 SpamAssassin mails at eta scale 1, 1.36x the
   * throughput of 8192 and 1.26x that of fixed batches of 10 (512 ran as fast), with no
   * padding left.
   */
  public static final int CPU_TOKEN_BUDGET = 128;

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
    if (tokenBudget < 1 || maxBatchRows < 1) {
      throw new IllegalArgumentException("tokenBudget and maxBatchRows must be >= 1, found "
          + tokenBudget + " and " + maxBatchRows);
    }
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
    private int tokenBudget; // 0: by device
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
     * Sets the token budget per batch; 0 (the default) chooses by device: {@link
     * #CPU_TOKEN_BUDGET} or {@link #CUDA_TOKEN_BUDGET}.
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
      int budget = tokenBudget != 0 ? tokenBudget
          : device != null && device.isCuda() ? CUDA_TOKEN_BUDGET : CPU_TOKEN_BUDGET;
      return new RuntimeOptions(device, allowCpuFallback, threading, budget, maxBatchRows,
          batching, rationales);
    }
  }
}
