package io.adapler.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.adapler.udf.runtime.CpuThreading;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * A large fp32 matrix product through ONNX Runtime in this process: the practical FLOP rate
 * the model's matrix products could reach here, under the same thread settings as the runtime
 * it is compared with (intra-op threads per session, concurrent callers).
 */
final class GemmPeak implements AutoCloseable {
  private final OrtSession session;
  private final OnnxTensor a;
  private final OnnxTensor b;
  private final int size;
  private final int callsPerCaller;

  /**
   * Opens the graph and fills two random {@code size x size} inputs.
   *
   * @param threading the session's thread settings
   * @param size M = K = N
   * @param callsPerCaller products each caller runs per measurement
   */
  GemmPeak(CpuThreading threading, int size, int callsPerCaller) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(threading.intraOpThreads());
      so.setInterOpNumThreads(threading.interOpThreads());
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(GemmGraph.bytes(), so);
    }
    this.size = size;
    this.callsPerCaller = callsPerCaller;
    this.a = random(env, size, 1);
    this.b = random(env, size, 2);
  }

  /** FLOPs of one product: a multiply-add counts 2, as in the FLOPs model. */
  double flopsPerCall() {
    return 2.0 * size * size * size;
  }

  /**
   * Runs the products on {@code callers} threads at once.
   *
   * @return wall seconds
   */
  double measure(int callers) throws Exception {
    return Parallel.run(callers, caller -> {
      for (int i = 0; i < callsPerCaller; i++) {
        try (OrtSession.Result r = session.run(Map.of("A", a, "B", b))) {
          if (r.size() != 1) {
            throw new IllegalStateException("expected one output, found " + r.size());
          }
        }
      }
    });
  }

  /**
   * Returns the FLOP rate of a measurement.
   *
   * @param seconds wall seconds of {@link #measure}
   * @param callers the callers it ran with
   */
  double rate(double seconds, int callers) {
    return callers * callsPerCaller * flopsPerCall() / seconds;
  }

  int size() {
    return size;
  }

  @Override
  public void close() throws OrtException {
    a.close();
    b.close();
    session.close();
  }

  private static OnnxTensor random(OrtEnvironment env, int n, long seed) throws OrtException {
    Random rnd = new Random(seed);
    float[] data = new float[n * n];
    for (int i = 0; i < data.length; i++) {
      data[i] = rnd.nextFloat() - 0.5f;
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, n});
  }
}
