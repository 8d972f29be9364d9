package dev.vigil.pipeline.audits;

import dev.vigil.pipeline.audit.Audit;
import dev.vigil.pipeline.audit.AuditContext;
import dev.vigil.pipeline.audit.AuditInfo;
import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Workflow;
import dev.vigil.pipeline.yaml.YNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Release workflows that restore a cache: any workflow of the repository (a pull request's, too) can write cache
 * entries, so a poisoned cache ends up in the released artifact.
 */
public final class CachePoisoning implements Audit {
  static final AuditInfo INFO = new AuditInfo("cache-poisoning", "cache restored in a release workflow",
      Severity.HIGH,
      "GitHub's Actions cache is shared by all workflows of a repository: code running in a lower-privileged "
          + "workflow can plant an entry that a release job then restores and ships (Cacheract, 2024).",
      "Disable caching in workflows that publish (release, tag pushes, publishing steps), or use lookup-only / "
          + "read-only cache modes there.",
      List.of("https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/"),
      "cache-poisoning");

  /** action -> {input, "default" when caching is on unless the input disables it, "opt-in" otherwise}. */
  static final Map<String, String[]> CACHE_AWARE = Map.ofEntries(
      Map.entry("actions/cache", new String[] {"lookup-only", "default"}),
      Map.entry("actions/setup-go", new String[] {"cache", "default"}),
      Map.entry("actions/setup-node", new String[] {"cache", "opt-in"}),
      Map.entry("actions/setup-python", new String[] {"cache", "opt-in"}),
      Map.entry("actions/setup-java", new String[] {"cache", "opt-in"}),
      Map.entry("actions/setup-dotnet", new String[] {"cache", "opt-in"}),
      Map.entry("astral-sh/setup-uv", new String[] {"enable-cache", "default"}),
      Map.entry("swatinem/rust-cache", new String[] {"lookup-only", "default"}),
      Map.entry("ramsey/composer-install", new String[] {"ignore-cache", "default"}),
      Map.entry("pyo3/maturin-action", new String[] {"sccache", "opt-in"}),
      Map.entry("ruby/setup-ruby", new String[] {"bundler-cache", "opt-in"}),
      Map.entry("mozilla-actions/sccache-action", new String[] {"", "default"}),
      Map.entry("docker/setup-buildx-action", new String[] {"cache-binary", "default"}));
  static final List<String> PUBLISHERS = List.of("pypa/gh-action-pypi-publish", "softprops/action-gh-release",
      "ncipollo/release-action", "goreleaser/goreleaser-action", "actions/create-release", "js-devtools/npm-publish",
      "rubygems/release-gem", "svenstaro/upload-release-action");

  @Override
  public AuditInfo info() {
    return INFO;
  }

  @Override
  public void job(Job job, AuditContext ctx) {
    String why = releaseTrigger(job.workflow());
    if (why == null) {
      Step publisher = job.steps().stream().filter(s -> s.uses() != null && s.uses().repo() != null
          && (PUBLISHERS.contains(s.uses().repo().toLowerCase(Locale.ROOT))
              || (s.uses().is("docker/build-push-action") && "true".equals(s.input("push")))))
          .findFirst().orElse(null);
      if (publisher == null) {
        return;
      }
      why = "this job publishes with " + publisher.uses().repo();
    }
    for (Step s : job.steps()) {
      if (s.uses() == null || s.uses().repo() == null) {
        continue;
      }
      String repo = s.uses().repo().toLowerCase(Locale.ROOT);
      if (repo.equals("actions/cache") && !s.uses().path().isEmpty()) {
        if (!s.uses().path().equals("restore")) {
          continue;
        }
      }
      String[] spec = CACHE_AWARE.get(repo);
      if (spec == null) {
        continue;
      }
      String how = caching(s, versioned(s, spec));
      if (how != null && how.startsWith("may enable") && offInEveryTagTrigger(expression(s, spec), job.workflow(), why)) {
        continue;
      }
      if (how != null) {
        ctx.finding(this, s.file(), s.uses().node()).confidence(how.startsWith("may") ? Confidence.LOW : Confidence.MEDIUM)
            .message(s.uses().repo() + " " + how + " in a release context (" + why + ")")
            .fact("action", s.uses().repo()).emit();
      }
    }
  }

  /** setup-uv turned caching off by default from v10 ('auto' then means: not in release contexts). */
  private static String[] versioned(Step s, String[] spec) {
    if (s.uses().is("actions/setup-node")) {
      // v5 added package-manager-cache, on by default; 'cache:' still opts in explicitly
      int[] v = dev.vigil.intel.Versions.parse(s.uses().commitPinned() ? versionComment(s) : s.uses().ref());
      if (s.input("cache") == null && v != null && v[0] >= 5) {
        return new String[] {"package-manager-cache", "default"};
      }
      return spec;
    }
    if (!s.uses().is("astral-sh/setup-uv")) {
      return spec;
    }
    String v = s.uses().commitPinned() ? versionComment(s) : s.uses().ref();
    int[] parts = dev.vigil.intel.Versions.parse(v);
    if (parts == null) {
      return new String[] {spec[0], "unknown"};
    }
    return parts[0] >= 10 ? new String[] {spec[0], "opt-in"} : spec;
  }

  private static String versionComment(Step s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("#\\s*(v?\\d+(\\.\\d+)*)")
        .matcher(s.file().line(s.uses().node().line()));
    return m.find() ? m.group(1) : null;
  }

  private static String expression(Step s, String[] spec) {
    YNode v = spec[0].isEmpty() || s.with() == null || !s.with().isMap() ? null : s.with().get(spec[0]);
    return v == null || !v.isScalar() ? "" : v.text();
  }

  /**
   * True when the release context comes only from tag-bound triggers (release events and tag pushes both run on a
   * tag ref) and the caching input's expression is false on every one of them, e.g.
   * {@code ${{ !startsWith(github.ref, 'refs/tags/') }}}. Only forms whose value is certain are recognised.
   */
  static boolean offInEveryTagTrigger(String expression, Workflow w, String why) {
    if (!why.equals("on: release") && !why.equals("on: push tags") || pushesToReleaseBranch(w)) {
      return false;
    }
    String e = expression.toLowerCase(Locale.ROOT).replace('"', '\'').replaceAll("\\s+", "");
    if (!e.startsWith("${{") || !e.endsWith("}}")) {
      return false;
    }
    e = e.substring(3, e.length() - 2);
    if (e.equals("!startswith(github.ref,'refs/tags/')") || e.equals("!startswith(github.ref,'refs/tags')")
        || e.equals("github.ref_type!='tag'")) {
      return true; // false on any tag ref
    }
    // false on tag pushes only: a release event (event_name 'release') would still enable the cache
    return (e.equals("!(github.event_name=='push'&&github.ref_type=='tag')")
        || e.equals("!(github.ref_type=='tag'&&github.event_name=='push')")) && !w.triggeredBy("release");
  }

  /** A push to a release-like branch also publishes, and its ref is not a tag. */
  private static boolean pushesToReleaseBranch(Workflow w) {
    YNode push = w.on() != null && w.on().isMap() ? w.on().get("push") : null;
    YNode branches = push != null && push.isMap() ? push.get("branches") : null;
    return branches != null && branches.strings().stream().anyMatch(b -> b.toLowerCase(Locale.ROOT).contains("release"));
  }

  /** How the step caches, or null when it does not. */
  private static String caching(Step s, String[] spec) {
    String input = spec[0];
    YNode v = input.isEmpty() || s.with() == null || !s.with().isMap() ? null : s.with().get(input);
    String text = v == null || !v.isScalar() ? null : v.text().trim().toLowerCase(Locale.ROOT);
    boolean defaultOn = spec[1].equals("default");
    if (text == null) {
      if (spec[1].equals("unknown")) {
        return "may restore a cache by default (action version unknown)";
      }
      return defaultOn ? "restores a cache by default" : null;
    }
    if (text.equals("auto") && !defaultOn) {
      return null;
    }
    if (text.contains("${{")) {
      return "may enable caching through an expression";
    }
    boolean inverted = input.equals("lookup-only") || input.equals("ignore-cache");
    boolean truthy = !(text.isEmpty() || text.equals("false") || text.equals("no") || text.equals("0")
        || text.equals("off"));
    boolean on = inverted ? !truthy : truthy;
    return on ? "enables caching" : null;
  }

  /** Why the workflow looks like a release workflow, or null. */
  static String releaseTrigger(Workflow w) {
    if (w.triggeredBy("release")) {
      return "on: release";
    }
    if (w.on() != null && w.on().isMap() && w.on().get("push") != null && w.on().get("push").isMap()
        && w.on().get("push").get("tags") != null) {
      return "on: push tags";
    }
    YNode on = w.on();
    if (on != null && on.isMap()) {
      YNode push = on.get("push");
      if (push != null && push.isMap()) {
        if (push.get("tags") != null && push.get("branches") == null) {
          return "on: push tags";
        }
        YNode branches = push.get("branches");
        if (branches != null) {
          for (String b : branches.strings()) {
            if (b.toLowerCase(Locale.ROOT).contains("release")) {
              return "on: push to " + b;
            }
          }
        }
      }
    }
    return null;
  }
}
