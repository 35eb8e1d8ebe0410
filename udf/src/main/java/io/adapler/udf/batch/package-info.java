/**
 * Batching strategies: by token budget (rows sorted by length, cut into batches whose padded
 * size, rows times the batch's longest row, stays within a budget; the default) or fixed-size
 * batches in input order. Results always come back in input order.
 *
 * <p>Plain Java, independent of the model and of ONNX Runtime.
 */
package io.adapler.udf.batch;
