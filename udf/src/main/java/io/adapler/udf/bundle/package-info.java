/**
 * The AdapLeR model bundle: its manifest ({@code adapler.json}) as immutable records, and the
 * loader that copies a bundle from any Hadoop file system into a local cache once per JVM,
 * verifying every SHA-256 the manifest lists.
 *
 * <p>Plain Java plus the Hadoop {@code FileSystem} API; no ONNX Runtime and no Spark types. The
 * check of the manifest against the ONNX graph happens where the graph is opened, in
 * {@code io.adapler.udf.runtime}.
 */
package io.adapler.udf.bundle;
