/**
 * Writing the scores: the columns a job writes ({@link io.adapler.job.output.ScoredRows}), and
 * the part-by-part commit of {@code --parts} runs, which a rerun resumes and a run with other
 * options refuses ({@link io.adapler.job.output.PartedRun},
 * {@link io.adapler.job.output.PartStore}, {@link io.adapler.job.output.RunFingerprint}).
 */
package io.adapler.job.output;
