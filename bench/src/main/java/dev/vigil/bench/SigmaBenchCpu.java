package dev.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@link SigmaBench} measurements taken as thread CPU time over many short passes of 5,000 events, the three
 * configurations interleaved pass by pass, medians reported. On a machine shared with other builds, wall-clock throughput swings with the load;
 * CPU time per event and the ratios between configurations measured in the same rounds hold much better.
 *
 * <pre>java -Dvigil.shared=../shared -cp bench/target/benchmarks.jar dev.vigil.bench.SigmaBenchCpu [PASSES]</pre>
 */
public final class SigmaBenchCpu {
  private SigmaBenchCpu() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int chunk = 5_000;
    SigmaBench b = new SigmaBench();
    b.setUp();
    Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is "
        + "dangerous.");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    String[] names = {"parseOnly", "sigmaHq57", "sigmaHq57Plus1000"};
    List<long[]> samples = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      samples.add(new long[rounds]);
    }
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < names.length; i++) {
        b.pass(i, bh, 0, SigmaBench.EVENTS);
      }
    }
    // short passes over the same slice, configurations alternating in rotating order: a burst of load from
    // elsewhere hits all three alike, and the median drops what it distorted
    for (int r = 0; r < rounds; r++) {
      int from = (r * chunk) % (SigmaBench.EVENTS - chunk);
      for (int k = 0; k < names.length; k++) {
        int i = (r + k) % names.length;
        long t0 = mx.getCurrentThreadCpuTime();
        b.pass(i, bh, from, from + chunk);
        samples.get(i)[r] = mx.getCurrentThreadCpuTime() - t0;
      }
    }
    double[] nsPerEvent = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      long[] s = samples.get(i);
      Arrays.sort(s);
      nsPerEvent[i] = s[s.length / 2] / (double) chunk;
      System.out.printf("%-20s %8.0f events/s (CPU)  %7.2f us/event%n", names[i], 1e9 / nsPerEvent[i],
          nsPerEvent[i] / 1000);
    }
    System.out.printf("57 rules over parse-only:        +%.1f%% (goal <= +20%%)%n",
        (nsPerEvent[1] / nsPerEvent[0] - 1) * 100);
    System.out.printf("1,057 rules over 57 rules:       %.2fx (goal <= 2x)%n", nsPerEvent[2] / nsPerEvent[1]);
    System.out.printf("Sigma work alone, 1,057 vs 57:   %.2fx%n",
        (nsPerEvent[2] - nsPerEvent[0]) / (nsPerEvent[1] - nsPerEvent[0]));
  }
}
