package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.intel.FeedException;
import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.artifact.ArtifactVerifier;
import dev.vigil.pipeline.lock.ActionLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify-artifact",
    description = {"Check tool binaries and archives by SHA-256 against the IOC feeds' malicious artifact hashes "
        + "(Vigil's bundled TeamPCP feed lists the trojanised trivy 0.69.4 builds) and an optional known-good "
        + "lock. Verdicts: COMPROMISED, KNOWN-GOOD, UNKNOWN.", "",
        "Examples:",
        "  vigil verify-artifact ~/Downloads/trivy_0.69.4_Linux-64bit.tar.gz",
        "  vigil verify-artifact /usr/local/bin/trivy --lock vigil-ci.lock.json",
        "  vigil verify-artifact trivy.tar.gz --feed extra-iocs.json --format json",
        "  # record a known-good hash first:",
        "  vigil audit-ci lock --artifact trivy_0.69.3_Linux-64bit.tar.gz", ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:nothing compromised", "1:at least one file is a known-malicious artifact",
        "2:could not run (bad feed or lock)", "3:some files could not be read (the others were checked)"})
final class VerifyArtifactCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to check.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--feed", paramLabel = "FILE", description = "Extra IOC feed, repeatable (the bundled feed is "
      + "always read).")
  List<Path> feeds = new ArrayList<>();

  @Option(names = "--lock", paramLabel = "FILE", description = "Lock file with known-good artifact hashes "
      + "('vigil audit-ci lock --artifact').")
  Path lock;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Override
  public Integer call() throws IOException {
    IocFeed feed = IocFeed.bundled();
    for (Path f : feeds) {
      try {
        feed = feed.merge(IocFeed.load(f));
      } catch (FeedException e) {
        throw new UserException(e.getMessage());
      }
    }
    ActionLock known = ActionLock.empty();
    if (lock != null) {
      try {
        known = ActionLock.load(lock);
      } catch (IOException e) {
        throw new UserException("lock file " + e.getMessage());
      }
    }
    if (!format.equals("text") && !format.equals("json")) {
      throw new UserException("--format must be text or json");
    }
    ArtifactVerifier verifier = new ArtifactVerifier(feed, known);
    PrintStream out = System.out;
    boolean colour = Terminal.colour();
    int compromised = 0;
    int unreadable = 0;
    ObjectMapper json = new ObjectMapper();
    ArrayNode arr = json.createArrayNode();
    for (Path f : files) {
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        Terminal.error(System.err, f + ": " + (Files.exists(f) ? "not a readable file" : "no such file"));
        unreadable++;
        continue;
      }
      ArtifactVerifier.Check c;
      try {
        c = verifier.check(f);
      } catch (IOException e) {
        Terminal.error(System.err, f + ": cannot read: " + e.getMessage());
        unreadable++;
        continue;
      }
      if (c.verdict() == ArtifactVerifier.Verdict.COMPROMISED) {
        compromised++;
      }
      if (format.equals("json")) {
        ObjectNode n = arr.addObject();
        n.put("file", f.toString());
        n.put("sha256", c.sha256());
        n.put("verdict", c.verdict().name().toLowerCase().replace('_', '-'));
        n.put("detail", c.detail());
      } else {
        String verdict = switch (c.verdict()) {
          case COMPROMISED -> Terminal.paint("1;31", "COMPROMISED", colour);
          case KNOWN_GOOD -> Terminal.paint("32", "KNOWN-GOOD ", colour);
          case UNKNOWN -> Terminal.paint("33", "UNKNOWN    ", colour);
        };
        out.println(verdict + "  " + f + "  sha256:" + c.sha256() + "  " + c.detail());
      }
    }
    if (format.equals("json")) {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
    }
    out.flush();
    if (compromised > 0) {
      System.err.println("vigil: " + compromised + " known-malicious file(s): do not run them; if they ran, treat "
          + "every secret on that machine as stolen");
      return ExitCode.FINDINGS;
    }
    return unreadable > 0 ? ExitCode.PARTIAL_INPUT : ExitCode.OK;
  }
}
