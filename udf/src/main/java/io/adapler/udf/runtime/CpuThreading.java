package io.adapler.udf.runtime;

/**
 * ONNX Runtime CPU thread settings of one session.
 *
 * <p>Concurrent callers of one session share its intra-op pool. Spark runs one task thread per
 * executor core, all sharing the executor's runtime, so the default gives each call one
 * intra-op thread: the task threads themselves provide the parallelism and nothing is
 * oversubscribed. A single caller that owns the machine (a notebook) may gain from {@link
 * #forCores}. Measured by {@code ./bench.sh} (threading section, docs/benchmarks.md) on the all-MiniLM
 * spam bundle, 2 cores, 1000 mails: with 2 concurrent callers, 2 intra-op threads gave 0.74x and
 * 0.81x the throughput of 1 (two runs); a single caller with 2 threads reached only 0.75-0.97x
 * of two callers with 1 thread each.
 *
 * @param intraOpThreads threads one operator may use, at least 1
 * @param interOpThreads threads for running independent operators in parallel mode, at least 1
 * @param parallelExecution whether independent graph branches run concurrently
 */
public record CpuThreading(int intraOpThreads, int interOpThreads, boolean parallelExecution) {

  /**
   * Checks the thread counts.
   *
   * @param intraOpThreads see the record component of the same name
   * @param interOpThreads see the record component of the same name
   * @param parallelExecution see the record component of the same name
   */
  public CpuThreading {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException("thread counts must be >= 1, found intra-op "
          + intraOpThreads + ", inter-op " + interOpThreads);
    }
  }

  /**
   * Returns the default: one intra-op thread, one inter-op thread, sequential execution.
   *
   * @return the default settings
   */
  public static CpuThreading defaults() {
    return new CpuThreading(1, 1, false);
  }

  /**
   * Returns settings for a caller that has the given number of cores to itself.
   *
   * @param cores cores available to each concurrent caller
   * @return intra-op threads equal to the cores, sequential execution
   */
  public static CpuThreading forCores(int cores) {
    return new CpuThreading(Math.max(1, cores), 1, false);
  }
}
