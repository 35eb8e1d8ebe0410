package io.adapler.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written ONNX graph loads in ONNX Runtime and multiplies like a textbook. */
class GemmGraphTest {

  @Test
  void multipliesMatricesOfAnyShape() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(GemmGraph.bytes(), new OrtSession.SessionOptions());
        OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5,
            6}), new long[] {2, 3});
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {7, 8, 9, 10,
            11, 12}), new long[] {3, 2});
        OrtSession.Result r = s.run(Map.of("A", a, "B", b))) {
      float[][] c = (float[][]) r.get(0).getValue();
      // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12], by hand.
      assertArrayEquals(new float[] {58, 64}, c[0]);
      assertArrayEquals(new float[] {139, 154}, c[1]);
      assertEquals(2, s.getInputNames().size());
    }
  }

  @Test
  void peakCountsTwoFlopsPerMultiplyAdd() throws Exception {
    try (GemmPeak peak = new GemmPeak(io.adapler.udf.runtime.CpuThreading.defaults(), 64, 2)) {
      assertEquals(2.0 * 64 * 64 * 64, peak.flopsPerCall());
      double seconds = peak.measure(2);
      assertEquals(2 * 2 * peak.flopsPerCall() / seconds, peak.rate(seconds, 2), 1e-6);
    }
  }
}
