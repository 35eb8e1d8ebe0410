/**
 * The jobs' options: every option with its doc, default and validation
 * ({@link io.adapler.job.options.JobOption}), the parsed and checked set
 * ({@link io.adapler.job.options.JobOptions}, from the command line or a config file), and the
 * calibration mode's own ({@link io.adapler.job.options.CalibrationOptions}).
 */
package io.adapler.job.options;
