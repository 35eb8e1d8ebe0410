/**
 * SVG charts the job draws: the speed/accuracy trade-off of a model (calibration.html and the
 * model charts in the docs come from here), with a log-scale speedup axis, round ticks and
 * point labels placed so that no two texts, markers or axes overlap. Plain Java: no Spark.
 */
package io.adapler.job.chart;
