package dev.vigil.pipeline.audit;

import dev.vigil.intel.IocFeed;
import dev.vigil.pipeline.advisory.OsvAdvisories;
import dev.vigil.pipeline.lock.ActionLock;
import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.yaml.YNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** What audits can read (feeds, advisories, the pin lock, who is first party) and where they report. */
public final class AuditContext {
  private final IocFeed feed;
  private final OsvAdvisories advisories;
  private final ActionLock lock;
  private final Set<String> firstPartyOwners;
  private final Consumer<Finding> sink;

  public AuditContext(IocFeed feed, OsvAdvisories advisories, ActionLock lock, Set<String> firstPartyOwners,
      Consumer<Finding> sink) {
    this.feed = feed;
    this.advisories = advisories;
    this.lock = lock;
    this.firstPartyOwners = firstPartyOwners.stream().map(s -> s.toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toSet());
    this.sink = sink;
  }

  public IocFeed feed() {
    return feed;
  }

  public OsvAdvisories advisories() {
    return advisories;
  }

  public ActionLock lock() {
    return lock;
  }

  /** True when actions of this owner are the audited organisation's own code. */
  public boolean firstParty(String owner) {
    return owner != null && firstPartyOwners.contains(owner.toLowerCase(Locale.ROOT));
  }

  /** Starts a finding of {@code audit} at {@code node} in {@code file}. */
  public Builder finding(Audit audit, CiFile file, YNode node) {
    return new Builder(audit.info(), file, node);
  }

  /** Accumulates one finding; {@link #emit()} reports it. */
  public final class Builder {
    private final AuditInfo info;
    private final CiFile file;
    private final YNode node;
    private Severity severity;
    private Confidence confidence = Confidence.HIGH;
    private Persona persona = Persona.REGULAR;
    private String message;
    private int line;
    private int column;
    private final List<Finding.Note> notes = new ArrayList<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private Finding.PinFix fix;
    private int spanEnd = -1;

    Builder(AuditInfo info, CiFile file, YNode node) {
      this.info = info;
      this.file = file;
      this.node = node;
      this.severity = info.severity();
      this.message = info.title();
      this.line = node == null ? 1 : node.line();
      this.column = node == null ? 1 : node.column();
      if (node != null && node.isScalar() && node.endLine() > node.line() && !node.text().isBlank()) {
        // a block scalar ('uses: |'): point at the line holding the text, not at the indicator
        String first = node.text().strip().lines().findFirst().orElse("");
        for (int l = node.line(); l <= node.endLine(); l++) {
          int c = file.line(l).indexOf(first);
          if (c >= 0) {
            this.line = l;
            this.column = c + 1;
            break;
          }
        }
      }
    }

    public Builder severity(Severity s) {
      severity = s;
      return this;
    }

    public Builder confidence(Confidence c) {
      confidence = c;
      return this;
    }

    public Builder persona(Persona p) {
      persona = p;
      return this;
    }

    public Builder message(String m) {
      message = m;
      return this;
    }

    /** Overrides the primary position (for expressions inside a block scalar). */
    public Builder at(int l, int c) {
      line = l;
      column = c;
      return this;
    }

    public Builder note(YNode n, String label) {
      if (n != null) {
        notes.add(new Finding.Note(n.line(), n.column(), label));
      }
      return this;
    }

    /** The finding covers lines up to the end of {@code n}: an ignore comment on any of them applies. */
    public Builder span(YNode n) {
      if (n != null) {
        spanEnd = n.endLine();
      }
      return this;
    }

    public Builder fact(String key, String value) {
      if (value != null) {
        facts.put(key, value);
      }
      return this;
    }

    public Builder fix(Finding.PinFix f) {
      fix = f;
      return this;
    }

    public void emit() {
      int end = spanEnd > 0 ? Math.max(line, spanEnd) : line;
      sink.accept(new Finding(info.id(), severity, confidence, persona, file.path(), line, column, end, message,
          List.copyOf(notes), fix, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts))));
    }
  }
}
