package io.adapler.udf.bundle;

/**
 * The load phase failed: a bundle could not be read, verified or opened on the requested device.
 *
 * <p>Every message names what was expected, what was found, the path, and what to fix. A job
 * maps this exception to its "broken model or configuration" exit code, before any task runs.
 */
public class BundleLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was expected, what was found, the path and what to fix
   */
  public BundleLoadException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what was expected, what was found, the path and what to fix
   * @param cause the underlying failure
   */
  public BundleLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
