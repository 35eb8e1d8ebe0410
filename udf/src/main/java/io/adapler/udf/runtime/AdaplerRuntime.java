package io.adapler.udf.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.batch.Batcher;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.BundleManifest;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.flops.FlopsModel;
import io.adapler.udf.tokenize.BundleTokenizer;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One AdapLeR model open on one device: tokenizes rows, sorts and batches them by token budget,
 * runs the bundle's graph (which drops tokens layer by layer inside), and decodes one {@link
 * RowResult} per row, in input order. A row's result never depends on its batch company.
 *
 * <p>Thread-safe: any number of threads may score at once, sharing the session. Expensive to
 * open; use {@link RuntimeRegistry} to keep one per bundle and device per JVM. {@link #close()}
 * waits for running calls, is idempotent, and makes later calls fail with {@link
 * IllegalStateException}.
 */
public final class AdaplerRuntime implements AutoCloseable {
  private final ModelBundle bundle;
  private final RuntimeOptions options;
  private final Device device;
  private final OrtSession session;
  private final BundleTokenizer tokenizer;
  private final BatchExecutor executor;
  private final RowDecoder decoder;
  private final FlopsModel flops;
  private final Batcher batcher;
  private final StatsRecorder stats;
  private final int tokenBudget;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private AdaplerRuntime(ModelBundle bundle, RuntimeOptions options, SessionOpener.Opened opened,
      BundleTokenizer tokenizer) {
    BundleManifest m = bundle.manifest();
    this.bundle = bundle;
    this.options = options;
    this.device = opened.device();
    this.session = opened.session();
    this.tokenizer = tokenizer;
    this.flops = FlopsModel.of(m.geometry());
    this.stats = new StatsRecorder(flops);
    this.executor = new BatchExecutor(OrtEnvironment.getEnvironment(), session,
        m.tokenizer().padTokenId(), stats);
    this.decoder = new RowDecoder(m, flops);
    this.tokenBudget = options.tokenBudgetFor(device, m.tokenizer().maxLength());
    this.batcher = options.batching().create(tokenBudget, options.maxBatchRows());
  }

  /**
   * Opens a verified bundle: creates the session on the requested device, checks the graph
   * against the manifest, runs a one-row probe, and opens the tokenizer.
   *
   * @param bundle a bundle from {@link io.adapler.udf.bundle.BundleLoader}
   * @param options device, threads, batching
   * @return the runtime
   * @throws BundleLoadException when the graph does not match the manifest, cannot be opened, or
   *     CUDA is requested but unavailable (and CPU fallback is not allowed)
   */
  public static AdaplerRuntime open(ModelBundle bundle, RuntimeOptions options)
      throws BundleLoadException {
    if (bundle == null || options == null) {
      throw new IllegalArgumentException("bundle and options must not be null");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionOpener.Opened opened = SessionOpener.open(env, bundle, options);
    try {
      GraphSignature.check(opened.session(), bundle);
      // The probe's timings go to a recorder of its own: stats count only callers' rows.
      GraphSignature.probe(new BatchExecutor(env, opened.session(),
          bundle.manifest().tokenizer().padTokenId(),
          new StatsRecorder(FlopsModel.of(bundle.manifest().geometry()))), bundle);
    } catch (BundleLoadException e) {
      closeQuietly(opened.session());
      throw e;
    }
    try {
      BundleTokenizer tokenizer =
          BundleTokenizer.open(bundle.tokenizerPath(), bundle.manifest().tokenizer());
      return new AdaplerRuntime(bundle, options, opened, tokenizer);
    } catch (IOException | RuntimeException e) {
      closeQuietly(opened.session());
      throw new BundleLoadException("cannot open tokenizer " + bundle.tokenizerPath()
          + " of bundle " + bundle.uri() + ": expected a Hugging Face tokenizer.json, found an"
          + " error: " + e + "; re-export the bundle with the model/ exporter", e);
    }
  }

  /**
   * Tokenizes and scores rows at the trained operating point (eta scale 1).
   *
   * @param rows texts or text pairs
   * @return one result per row, in input order
   * @throws InferenceException when a batch fails to run
   */
  public List<RowResult> score(List<TextRow> rows) throws InferenceException {
    return score(rows, 1f);
  }

  /**
   * Tokenizes and scores rows, with rationales as the runtime's {@link
   * RuntimeOptions#rationales() options} say ({@link #scoreEncoded(List, float, boolean)} of
   * {@link #encode} decides per call).
   *
   * @param rows texts or text pairs
   * @param etaScale multiplies every eta: 0 keeps all tokens, 1 is the trained point
   * @return one result per row, in input order
   * @throws InferenceException when a batch fails to run
   */
  public List<RowResult> score(List<TextRow> rows, float etaScale) throws InferenceException {
    lock.readLock().lock();
    try {
      checkOpen();
      ScoreArguments.checkEta(etaScale);
      return run(timedEncode(rows), etaScale, options.rationales());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Scores rows that are already tokenized (ids with special tokens, as the bundle's tokenizer
   * makes them), with rationales as the runtime's options say.
   *
   * @param rows encoded rows, each at most {@code geometry.max_positions} tokens
   * @param etaScale multiplies every eta: 0 keeps all tokens, 1 is the trained point
   * @return one result per row, in input order
   * @throws InferenceException when a batch fails to run
   */
  public List<RowResult> scoreEncoded(List<EncodedRow> rows, float etaScale)
      throws InferenceException {
    return scoreEncoded(rows, etaScale, options.rationales());
  }

  /**
   * Scores rows that are already tokenized, with or without rationales for this call only:
   * callers that share this runtime (one per bundle and device in a {@link RuntimeRegistry})
   * each get what they ask for. Rows given as ids ({@link EncodedRow#ofIds}) carry no offsets
   * and get no rationale tokens, only {@link RowResult#keptPositions()}.
   *
   * @param rows encoded rows, each at most {@code geometry.max_positions} tokens
   * @param etaScale multiplies every eta: 0 keeps all tokens, 1 is the trained point
   * @param rationales whether to fetch the kept positions and map them to word pieces, and
   *     the layers each token ran through ({@link RowResult#tokenLayers()}); each has no
   *     effect when the bundle's graph lacks its output ({@code kept_positions}, {@code
   *     token_layers})
   * @return one result per row, in input order
   * @throws InferenceException when a batch fails to run
   */
  public List<RowResult> scoreEncoded(List<EncodedRow> rows, float etaScale, boolean rationales)
      throws InferenceException {
    lock.readLock().lock();
    try {
      checkOpen();
      ScoreArguments.checkEta(etaScale);
      ScoreArguments.checkRows(rows, bundle.manifest().geometry());
      return run(rows, etaScale, rationales);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Tokenizes rows with the bundle's tokenizer and settings.
   *
   * @param rows texts or text pairs
   * @return encoded rows, in input order
   */
  public List<EncodedRow> encode(List<TextRow> rows) {
    lock.readLock().lock();
    try {
      checkOpen();
      return timedEncode(rows);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Returns where this runtime's time went since it opened (tokenization, tensor preparation,
   * session run, output handling) and the real against computed tokens per layer. Take two
   * snapshots and {@link RuntimeStats#minus subtract} them to measure a span of calls.
   *
   * @return a snapshot of the counters
   */
  public RuntimeStats stats() {
    return stats.snapshot();
  }

  private List<EncodedRow> timedEncode(List<TextRow> rows) {
    long start = System.nanoTime();
    List<EncodedRow> encoded = tokenizer.encode(rows);
    stats.tokenized(System.nanoTime() - start);
    return encoded;
  }

  private List<RowResult> run(List<EncodedRow> rows, float etaScale, boolean rationales)
      throws InferenceException {
    // A bundle without the output silently has no rationales, as RuntimeOptions documents.
    boolean kept = rationales && bundle.manifest().hasKeptPositions();
    boolean tokenLayers = rationales && bundle.manifest().hasTokenLayers();
    int[] lengths = rows.stream().mapToInt(EncodedRow::length).toArray();
    return batcher.run(lengths, batch -> {
      List<EncodedRow> members = new ArrayList<>(batch.size());
      for (int r : batch.rows()) {
        members.add(rows.get(r));
      }
      try {
        List<BatchExecutor.RawRow> raw = executor.run(members, batch.paddedLength(), etaScale,
            kept, tokenLayers);
        long start = System.nanoTime();
        List<RowResult> out = new ArrayList<>(raw.size());
        for (int k = 0; k < raw.size(); k++) {
          out.add(decoder.decode(members.get(k), raw.get(k)));
        }
        stats.output(System.nanoTime() - start);
        stats.batch(out);
        return out;
      } catch (OrtException | RuntimeException e) {
        throw new InferenceException("inference failed for bundle " + bundle.label() + " on "
            + device + ", batch of " + batch.size() + " rows x " + batch.paddedLength()
            + " tokens at eta_scale " + etaScale + ": " + e.getMessage(), e);
      }
    });
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * Returns the bundle this runtime serves.
   *
   * @return the bundle
   */
  public ModelBundle bundle() {
    return bundle;
  }

  /**
   * Returns the device the session runs on (the CPU after an allowed fallback).
   *
   * @return the device
   */
  public Device device() {
    return device;
  }

  /**
   * Returns the options the runtime was opened with.
   *
   * @return the options
   */
  public RuntimeOptions options() {
    return options;
  }

  /**
   * Returns the padded tokens per batch this runtime cuts batches by: the options' budget, or
   * the default for its device and the bundle's max length ({@link
   * RuntimeOptions#defaultTokenBudget}).
   *
   * @return the token budget
   */
  public int tokenBudget() {
    return tokenBudget;
  }

  /**
   * Returns the FLOPs model of the bundle's geometry.
   *
   * @return the FLOPs model
   */
  public FlopsModel flops() {
    return flops;
  }

  /** Closes the session and the tokenizer, after running calls finish. Safe to call twice. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      tokenizer.close();
      closeQuietly(session);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void closeQuietly(OrtSession s) {
    try {
      s.close();
    } catch (OrtException | RuntimeException ignored) {
      // Closing a session on the way out of a failure; the first failure is what matters.
    }
  }

  @Override
  public String toString() {
    return "AdaplerRuntime[" + bundle.label() + " on " + device + "]";
  }
}
