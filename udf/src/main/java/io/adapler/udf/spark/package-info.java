/**
 * Spark glue for the runtime: choosing the device of the running task from its Spark resources.
 * The only package of this module that uses Spark types; the runtime itself takes a plain
 * {@link io.adapler.udf.runtime.Device}.
 */
package io.adapler.udf.spark;
