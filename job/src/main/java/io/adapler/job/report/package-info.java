/**
 * The run summary: figures observed while the output is written, without a second pass
 * ({@link io.adapler.job.report.RunMetrics}), the summary itself
 * ({@link io.adapler.job.report.RunSummary}, printed and written as summary.json), and
 * summary.html with its layer chart and example rows coloured by the layers each word piece
 * ran through ({@link io.adapler.job.report.SummaryReport},
 * {@link io.adapler.job.report.TokenHeatmap}).
 */
package io.adapler.job.report;
