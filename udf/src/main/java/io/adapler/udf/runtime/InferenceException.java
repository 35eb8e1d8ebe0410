package io.adapler.udf.runtime;

/**
 * The inference phase failed: ONNX Runtime could not run a batch, or the graph returned outputs
 * that break the bundle contract. The message names the bundle, the batch shape and the cause.
 */
public class InferenceException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on which bundle and batch
   * @param cause the underlying failure, may be null
   */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
