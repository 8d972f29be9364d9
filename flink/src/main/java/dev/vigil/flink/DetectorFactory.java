package dev.vigil.flink;

import dev.vigil.detect.Detector;
import java.io.Serializable;

/**
 * Builds the library's detector inside each Flink task. Flink ships this factory (not the detector) to the
 * cluster, so the detection library itself needs no serialisation support.
 */
@FunctionalInterface
public interface DetectorFactory extends Serializable {
  Detector create() throws Exception;
}
