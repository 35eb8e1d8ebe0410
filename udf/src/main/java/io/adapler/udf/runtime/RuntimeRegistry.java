package io.adapler.udf.runtime;

import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.ModelBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link AdaplerRuntime} per (bundle checksum, requested device): created lazily by
 * the first caller, shared by every thread after it, closed when the registry closes. The
 * {@link #shared()} registry lives for the JVM and closes its runtimes in a shutdown hook; an
 * executor therefore opens each model once, never once per task or partition.
 *
 * <p>Thread-safe. Concurrent first calls for the same key wait for one creation; a failed
 * creation is not cached, so a later call tries again.
 */
public final class RuntimeRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeRegistry.class);
  private static final RuntimeRegistry SHARED = new RuntimeRegistry();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private final Map<String, AdaplerRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicInteger created = new AtomicInteger();
  private volatile boolean closed;

  /** Creates an independent registry (tests, or a caller that manages its own lifetime). */
  public RuntimeRegistry() {}

  /**
   * Returns the per-JVM registry; its runtimes close at JVM exit.
   *
   * @return the shared registry
   */
  public static RuntimeRegistry shared() {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(SHARED::close, "adapler-runtime-close"));
    }
    return SHARED;
  }

  /**
   * Returns the runtime for a bundle and the options' device, opening it on first use. Later
   * calls with the same bundle and device get the same runtime, whatever their other options
   * (a difference is logged). Rationales need no runtime of their own: callers choose them per
   * call ({@link AdaplerRuntime#scoreEncoded(java.util.List, float, boolean)}).
   *
   * @param bundle a verified bundle
   * @param options device, threads, batching
   * @return the shared runtime
   * @throws BundleLoadException when the runtime cannot be opened
   */
  public AdaplerRuntime get(ModelBundle bundle, RuntimeOptions options)
      throws BundleLoadException {
    if (bundle == null || options == null) {
      throw new IllegalArgumentException("bundle and options must not be null");
    }
    String key = bundle.checksum() + "|" + options.device();
    AdaplerRuntime runtime = runtimes.get(key);
    if (runtime == null) {
      synchronized (locks.computeIfAbsent(key, k -> new Object())) {
        checkOpen();
        runtime = runtimes.get(key);
        if (runtime == null) {
          runtime = AdaplerRuntime.open(bundle, options);
          created.incrementAndGet();
          runtimes.put(key, runtime);
          if (closed) { // closed while this runtime was being opened
            runtimes.remove(key);
            runtime.close();
            checkOpen();
          }
          LOG.info("opened {} ({} runtime(s) in this registry)", runtime, runtimes.size());
          return runtime;
        }
      }
    }
    checkOpen();
    if (!runtime.options().equals(options)) {
      LOG.debug("{} was opened with {}; ignoring the different options {}", runtime,
          runtime.options(), options);
    }
    return runtime;
  }

  /**
   * Returns how many runtimes this registry has opened (for tests and metrics).
   *
   * @return the creation count
   */
  public int createdCount() {
    return created.get();
  }

  /**
   * Returns the number of open runtimes.
   *
   * @return runtimes held
   */
  public int size() {
    return runtimes.size();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("RuntimeRegistry is closed");
    }
  }

  /** Closes every runtime; later {@link #get} calls fail. Safe to call twice. */
  @Override
  public void close() {
    closed = true;
    List<AdaplerRuntime> all;
    synchronized (this) {
      all = new ArrayList<>(runtimes.values());
      runtimes.clear();
    }
    for (AdaplerRuntime r : all) {
      try {
        r.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} failed: {}", r, e.toString());
      }
    }
  }
}
