/**
 * Batching by token budget: rows sorted by length, cut into batches whose padded size (rows
 * times the batch's longest row) stays within a budget, results put back in input order.
 *
 * <p>Plain Java, independent of the model and of ONNX Runtime.
 */
package io.adapler.udf.batch;
