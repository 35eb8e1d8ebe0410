/**
 * Progress output while a job runs: the rows scored so far, the rate, the scoring tasks and an
 * estimate of the time left, printed every few seconds from Spark's listener events and
 * accumulators ({@link io.adapler.job.progress.ProgressReporter}).
 */
package io.adapler.job.progress;
