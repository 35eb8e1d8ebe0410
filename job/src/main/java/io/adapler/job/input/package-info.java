/**
 * Reading the corpus: the input's format settled from the option, the name or the files
 * ({@link io.adapler.job.input.InputFormatProbe}), the json sample read on the driver
 * ({@link io.adapler.job.input.JsonHead}), the columns selected and checked, malformed records
 * kept as rows that will say so ({@link io.adapler.job.input.MalformedRecords}), and the rows
 * spread over partitions by size ({@link io.adapler.job.input.CorpusReader}).
 */
package io.adapler.job.input;
