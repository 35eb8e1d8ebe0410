/**
 * The commands users run: {@link io.adapler.job.ScoringJob} (score a corpus, write Parquet and
 * a run summary), {@link io.adapler.job.CalibrationJob} (measure the speed/accuracy curve on
 * labelled rows and recommend an eta scale), {@link io.adapler.job.ModelChart} (draw a bundle's
 * measured trade-off), and {@link io.adapler.job.JobFailure}, which maps what went wrong to
 * their exit codes.
 *
 * <p>The parts beneath, each a package that depends only on those listed before it:
 * {@code chart}, {@code options} and {@code progress}; {@code input} (reading the corpus);
 * {@code report} (the run summary and its page); {@code output} (the scored columns and the
 * part-by-part commit) and {@code calibration} (the curve's report and the calibrated bundle).
 */
package io.adapler.job;
