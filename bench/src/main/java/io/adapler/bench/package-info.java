/**
 * The benchmark suite behind the README's figures ({@code ./bench.sh}), not part of the product
 * jars. {@link io.adapler.bench.BenchmarkSuite} runs one class per section: the runtime against
 * the baseline and realised against FLOPs speedup ({@code SpeedupBench}, with the per-stage
 * {@code StageBreakdown}), batching, threading, the job as a user runs it in cold JVMs
 * ({@code JobBench}, with Spark's event log read by {@code EventLogBreakdown}) and numeric
 * formats. The baseline is {@code PlainGraph}: the plain encoder graph, one row per call. Every
 * figure is a ratio of trials run round-robin in the same run ({@code Interleaved}), since the
 * machine is shared and noisy.
 *
 * <p>Two more commands live here: the memory soak ({@link io.adapler.bench.MemorySoak},
 * {@code ./bench.sh --soak}), whose small form runs in the test suite, and the agreement of two
 * exports of one model ({@link io.adapler.bench.FormatAgreement}, {@code ./bench.sh
 * --agreement}). Command lines are read by {@code Flags}.
 */
package io.adapler.bench;
