/**
 * Integration tests of the job on a Spark standalone cluster of child JVMs on the loopback
 * interface (run by failsafe in {@code mvn verify}): the output equals a local-mode run's, each
 * executor opens the model once ({@code StandaloneClusterIT}), the job survives a killed
 * executor ({@code ExecutorLossIT}), and GPU resources reach each task's runtime
 * ({@code GpuWiringIT}, {@code GpuStageIT}, on fake GPUs).
 *
 * <p>A test class declares its cluster with {@code ClusterExtension} and submits with
 * {@code SubmitConf}; the job's options and its in-process reference run are
 * {@code JobUnderTest}. The cluster itself is {@code StandaloneCluster} (master and workers)
 * over {@code SparkHome} (a minimal Spark installation), {@code ChildProcesses} (the processes
 * it owns) and {@code ClientSubmit} (spark-submit). What the tests read back: executor and
 * driver logs ({@code ExecutorLog}, {@code SparkLogLines}), the event log
 * ({@code SparkEventLog}), executor JVMs ({@code ExecutorJvms}) and outputs
 * ({@code ScoredOutput}).
 */
package io.adapler.job.cluster;
