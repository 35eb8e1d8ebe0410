/**
 * The FLOPs model: floating-point operations of the full BERT and of AdapLeR for one row,
 * derived from the bundle's geometry, and the corpus speedup as a ratio of sums.
 *
 * <p>Plain Java.
 */
package io.adapler.udf.flops;
