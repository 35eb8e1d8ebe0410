/**
 * The AdapLeR runtime on ONNX Runtime: opens a verified bundle's graph on a CPU or a CUDA
 * device, checks it against the manifest, scores rows in token-budget batches and decodes
 * labels, probabilities, layer lengths, FLOPs speedups and rationales. {@link
 * io.adapler.udf.runtime.RuntimeRegistry} keeps one runtime per bundle and device per JVM.
 *
 * <p>The only package that uses ONNX Runtime types; none of them appear in its public API.
 */
package io.adapler.udf.runtime;
