package dev.vigil.pipeline;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.CiParser;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Problem;
import dev.vigil.pipeline.model.Step;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the audits over CI files: parse, walk every workflow, job, step, action and GitLab file through each
 * audit's hooks, then apply suppressions and the persona. Stateless apart from its settings; thread-safe.
 */
public final class AuditEngine {
  /** Files larger than this are refused with a clear error (CI files are kilobytes). */
  public static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

  private static final Pattern IGNORE = Pattern.compile("#\\s*(vigil|zizmor)\\s*:\\s*ignore\\[([^\\]]*)\\]\\s*(.*)$");

  private final IocFeed feed;
  private final OsvAdvisories advisories;
  private final ActionLock lock;
  private final AuditConfig config;
  private final Persona persona;
  private final List<Audit> audits;
  private final Set<String> firstParty;

  public AuditEngine(IocFeed feed, OsvAdvisories advisories, ActionLock lock, AuditConfig config, Persona persona,
      Set<String> firstPartyOwners) {
    this.feed = feed;
    this.advisories = advisories;
    this.lock = lock;
    this.config = config;
    this.persona = persona;
    this.audits = Audits.all().stream().filter(a -> !config.disabled().contains(a.info().id())).toList();
    Set<String> fp = new LinkedHashSet<>(firstPartyOwners);
    fp.addAll(config.firstParty());
    this.firstParty = fp;
  }

  /** An engine with the bundled feed, no advisories, no lock, no configuration, regular persona. */
  public static AuditEngine defaults() {
    return new AuditEngine(IocFeed.bundled(), OsvAdvisories.none(), ActionLock.empty(), AuditConfig.empty(),
        Persona.REGULAR, Set.of());
  }

  public AuditEngine withPersona(Persona p) {
    return new AuditEngine(feed, advisories, lock, config, p, firstParty);
  }

  /** Audits every CI file under the given paths (files or directories). */
  public AuditResult audit(List<Path> roots) throws IOException {
    Collector c = new Collector();
    for (Path root : roots) {
      for (CiFiles.Input in : CiFiles.discover(root)) {
        String text;
        try {
          long size = Files.size(in.path());
          if (size > MAX_FILE_BYTES) {
            c.problems.add(new Problem(in.display(), 0, 0, "file is " + size / 1024 + " KiB, above the "
                + MAX_FILE_BYTES / 1024 + " KiB limit for CI files: not audited", true));
            c.failed++;
            continue;
          }
          text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(in.path())))
              .toString();
        } catch (CharacterCodingException e) {
          c.problems.add(new Problem(in.display(), 0, 0, "not UTF-8 text: not audited", true));
          c.failed++;
          continue;
        } catch (IOException e) {
          c.problems.add(new Problem(in.display(), 0, 0, "cannot read: " + describe(e), true));
          c.failed++;
          continue;
        }
        if (in.guessed() && !looksLikeCi(text)) {
          continue; // some other YAML (docker-compose, k8s...) in a directory that is not a repository
        }
        c.sources.put(in.display(), in.path());
        auditInto(in.display(), in.kind(), text, c);
      }
    }
    return c.result();
  }

  /** Audits one file's text (tests, benchmarks, stdin). */
  public AuditResult auditText(String path, CiFile.Kind kind, String text) {
    Collector c = new Collector();
    auditInto(path, kind, text, c);
    return c.result();
  }

  /** A cheap look at the top-level keys: workflows have on/jobs, actions have runs. */
  private static boolean looksLikeCi(String text) {
    for (String line : (Iterable<String>) text.lines()::iterator) {
      if (line.startsWith("on:") || line.startsWith("jobs:") || line.startsWith("runs:") || line.startsWith("\"on\":")
          || line.startsWith("'on':") || line.startsWith("true:")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void auditInto(String display, CiFile.Kind kind, String text, Collector c) {
    CiParser.Parsed parsed = CiParser.parse(display, kind, text);
    c.problems.addAll(parsed.problems());
    if (!parsed.usable()) {
      c.failed++;
      return;
    }
    c.audited++;
    List<Finding> raw = new ArrayList<>();
    AuditContext ctx = new AuditContext(feed, advisories, lock, firstParty, raw::add);
    for (Audit a : audits) {
      if (parsed.workflow() != null) {
        a.workflow(parsed.workflow(), ctx);
        for (Job j : parsed.workflow().jobs()) {
          a.job(j, ctx);
          for (Step s : j.steps()) {
            a.step(s, ctx);
          }
        }
      }
      if (parsed.action() != null) {
        a.action(parsed.action(), ctx);
        for (Step s : parsed.action().steps()) {
          a.step(s, ctx);
        }
      }
      if (parsed.gitlab() != null) {
        a.gitlab(parsed.gitlab(), ctx);
      }
    }
    for (Finding f : raw) {
      AuditResult.Suppressed s = suppression(f, parsed.file());
      if (s != null) {
        c.suppressed.add(s);
      } else if (!persona.shows(f.persona())) {
        c.hidden++;
      } else {
        c.findings.add(f);
      }
    }
  }

  private AuditResult.Suppressed suppression(Finding f, CiFile file) {
    for (int l = f.line() - 1; l <= Math.max(f.line(), f.endLine()); l++) {
      String text = file.line(l);
      if (l == f.line() - 1 && !text.trim().startsWith("#")) {
        continue; // the line above counts only when it is a comment of its own
      }
      Matcher m = IGNORE.matcher(text);
      if (m.find()) {
        boolean zizmor = m.group(1).equals("zizmor");
        for (String id : m.group(2).split(",")) {
          String want = id.trim().toLowerCase(Locale.ROOT);
          String zid = Audits.byId(f.auditId()).map(a -> a.info().zizmor()).orElse(null);
          // a zizmor comment never silences a critical finding (e.g. a known-compromised action): zizmor's
          // known-vulnerable-actions is a different, weaker claim than Vigil's IOC match
          boolean viaZizmor = zizmor && want.equals(zid) && f.severity() != dev.vigil.pipeline.audit.Severity.CRITICAL;
          if ((!zizmor && want.equals(f.auditId())) || viaZizmor) {
            String reason = m.group(3).trim();
            return new AuditResult.Suppressed(f, reason.isEmpty() ? "(no reason given)" : reason,
                "inline " + m.group(1) + " comment");
          }
        }
      }
    }
    AuditConfig.Ignore ig = config.ignoreFor(f.auditId(), f.path(), f.line());
    return ig == null ? null : new AuditResult.Suppressed(f, ig.reason(), "config");
  }

  private static final class Collector {
    final List<Finding> findings = new ArrayList<>();
    final List<AuditResult.Suppressed> suppressed = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final java.util.Map<String, Path> sources = new java.util.LinkedHashMap<>();
    int hidden;
    int audited;
    int failed;

    AuditResult result() {
      findings.sort(Comparator.comparing(Finding::path).thenComparingInt(Finding::line)
          .thenComparingInt(Finding::column).thenComparing(Finding::auditId));
      return new AuditResult(List.copyOf(findings), List.copyOf(suppressed), hidden, List.copyOf(problems),
          audited, failed, java.util.Collections.unmodifiableMap(sources));
    }
  }

}
