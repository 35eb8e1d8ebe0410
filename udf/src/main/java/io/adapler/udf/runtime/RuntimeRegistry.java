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
 * Keeps one {@link AdaplerRuntime} per (bundle checksum, device, batching and threading
 * options): created lazily by the first caller, shared by every thread after it, closed when
 * the registry closes. A second job in the same JVM (a notebook) with another token budget gets
 * a runtime with that budget, not the first job's. The
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

  private final Map<Key, AdaplerRuntime> runtimes = new ConcurrentHashMap<>();
  private final Map<Key, Object> locks = new ConcurrentHashMap<>();
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
   * Returns the runtime for a bundle and options, opening it on first use. Later calls with
   * the same bundle and the same device, threading and batching get the same runtime; the
   * rationales default does not count (callers choose rationales per call: {@link
   * AdaplerRuntime#scoreEncoded(java.util.List, float, boolean)}).
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
    Key key = Key.of(bundle, options);
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
    return runtime;
  }

  /**
   * Returns an open runtime of the bundle on the options' device, whatever its batching and
   * threading, or opens one with these options: for callers that only need answers for a few
   * rows (the job's summary examples), not a session of their own.
   *
   * @param bundle a verified bundle
   * @param options the options to open with when none is open
   * @return a shared runtime
   * @throws BundleLoadException when the runtime cannot be opened
   */
  public AdaplerRuntime getAny(ModelBundle bundle, RuntimeOptions options)
      throws BundleLoadException {
    if (bundle == null || options == null) {
      throw new IllegalArgumentException("bundle and options must not be null");
    }
    for (Map.Entry<Key, AdaplerRuntime> e : runtimes.entrySet()) {
      Key k = e.getKey();
      if (k.checksum().equals(bundle.checksum()) && k.options().device().equals(options.device())) {
        checkOpen();
        return e.getValue();
      }
    }
    return get(bundle, options);
  }

  /**
   * A runtime's identity: the bundle and the options that make two sessions differ, which are
   * all but the per-call rationales default.
   */
  private record Key(String checksum, RuntimeOptions options) {
    static Key of(ModelBundle bundle, RuntimeOptions options) {
      return new Key(bundle.checksum(), options.toBuilder().optRationales(false).build());
    }
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
