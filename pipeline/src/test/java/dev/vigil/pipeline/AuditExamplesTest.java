package dev.vigil.pipeline;

import static dev.vigil.pipeline.Audit.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.audit.Confidence;
import dev.vigil.pipeline.audit.Finding;
import dev.vigil.pipeline.audit.Persona;
import dev.vigil.pipeline.audit.Severity;
import dev.vigil.pipeline.audits.Audits;
import dev.vigil.pipeline.model.CiFile;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One positive and one negative example per audit, with the exact line expected. */
class AuditExamplesTest {

  @Test
  void registryHasUniqueIdsAndCompleteMetadata() {
    Set<String> ids = new HashSet<>();
    Audits.all().forEach(a -> {
      assertThat(ids.add(a.info().id())).as("unique id %s", a.info().id()).isTrue();
      assertThat(a.info().id()).matches("[a-z0-9-]+");
      assertThat(a.info().title()).isNotBlank();
      assertThat(a.info().explanation()).hasSizeGreaterThan(60);
      assertThat(a.info().howToFix()).isNotBlank();
      assertThat(a.info().references()).isNotEmpty();
    });
    assertThat(ids).hasSize(19);
  }

  @Test
  void unpinnedUsesGradesByOwner() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: some-org/some-action@v1
              - uses: some-org/other@0123456789abcdef0123456789abcdef01234567
              - uses: ./local-action
              - uses: my-org/internal@main
        """;
    AuditResult r = AuditEngine.defaults().auditText("w.yml", CiFile.Kind.WORKFLOW, wf);
    assertThat(of("unpinned-uses", r)).containsExactly("unpinned-uses@7", "unpinned-uses@8", "unpinned-uses@11");
    List<Severity> sev = r.findings().stream().filter(f -> f.auditId().equals("unpinned-uses"))
        .map(Finding::severity).toList();
    assertThat(sev).containsExactly(Severity.MEDIUM, Severity.HIGH, Severity.HIGH);
    AuditResult own = new AuditEngine(dev.vigil.intel.IocFeed.bundled(), dev.vigil.pipeline.advisory.OsvAdvisories.none(),
        dev.vigil.pipeline.lock.ActionLock.empty(), AuditConfig.empty(), Persona.REGULAR, Set.of("my-org"))
        .auditText("w.yml", CiFile.Kind.WORKFLOW, wf);
    assertThat(own.findings().stream().filter(f -> f.line() == 11 && f.auditId().equals("unpinned-uses"))
        .map(Finding::severity)).containsExactly(Severity.LOW);
  }

  @Test
  void unpinnedImages() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            container: node
            services:
              db:
                image: postgres:16
              cache:
                image: redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            steps:
              - uses: docker://alpine:latest
        """;
    AuditResult r = Audit.run(wf);
    assertThat(of("unpinned-images", r)).containsExactly("unpinned-images@6", "unpinned-images@9",
        "unpinned-images@13");
    assertThat(r.findings().stream().filter(f -> f.line() == 9 && f.auditId().equals("unpinned-images"))
        .map(Finding::persona)).containsExactly(Persona.PEDANTIC);
  }

  @Test
  void unpinnedToolsVersionLatestAndImplicitDefault() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: aquasecurity/setup-trivy@3fb12ec12f41e471780db15c232d5dd185dcb514
              - uses: aquasecurity/setup-trivy@3fb12ec12f41e471780db15c232d5dd185dcb514
                with:
                  version: v0.69.3
              - uses: aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1
                with:
                  version: latest
        """;
    assertThat(of("unpinned-tools", wf)).containsExactly("unpinned-tools@7", "unpinned-tools@13");
  }

  @Test
  void secretsToThirdPartyButNotToGithubOrLocalActions() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea
                with:
                  github-token: ${{ secrets.BOT_TOKEN }}
              - uses: ./deploy
                env:
                  KEY: ${{ secrets.DEPLOY_KEY }}
              - uses: acme/deployer@v2
                with:
                  token: ${{ secrets.DEPLOY_KEY }}
              - uses: acme/notify@0123456789abcdef0123456789abcdef01234567
                env:
                  HOOK: ${{ secrets.SLACK_HOOK }}
                  GH: ${{ secrets.GITHUB_TOKEN }}
        """;
    AuditResult r = Audit.run(wf);
    assertThat(of("secrets-to-third-party", r)).containsExactly("secrets-to-third-party@15",
        "secrets-to-third-party@18");
    assertThat(r.findings().stream().filter(f -> f.auditId().equals("secrets-to-third-party"))
        .map(Finding::severity)).containsExactly(Severity.HIGH, Severity.MEDIUM);
    assertThat(r.findings().stream().filter(f -> f.line() == 18).findFirst().orElseThrow().facts())
        .containsEntry("secrets", "SLACK_HOOK");
  }

  @Test
  void secretsInheritAndBroadEnv() {
    String wf = """
        on: push
        permissions: {}
        env:
          TOKEN: ${{ secrets.NPM_TOKEN }}
          MODE: release
        jobs:
          call:
            uses: acme/workflows/.github/workflows/release.yml@0123456789abcdef0123456789abcdef01234567
            secrets: inherit
          call2:
            uses: acme/workflows/.github/workflows/release.yml@0123456789abcdef0123456789abcdef01234567
            secrets:
              token: ${{ secrets.NPM_TOKEN }}
        """;
    assertThat(of("secrets-inherit", wf)).containsExactly("secrets-inherit@8");
    assertThat(of("secrets-in-broad-env", wf)).containsExactly("secrets-in-broad-env@4");
  }

  @Test
  void longLivedCloudCredentialsVersusOidc() {
    String keys = """
        on: push
        permissions: {}
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
                with:
                  aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
                  aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
                  aws-region: eu-west-1
        """;
    Finding f = Audit.first("long-lived-cloud-credentials", keys);
    assertThat(f.line()).isEqualTo(9);
    assertThat(f.facts().get("secrets")).isEqualTo("AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY");
    String oidc = """
        on: push
        permissions:
          id-token: write
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
                with:
                  role-to-assume: arn:aws:iam::123456789012:role/ci
                  aws-region: eu-west-1
        """;
    assertThat(of("long-lived-cloud-credentials", oidc)).isEmpty();
  }

  @Test
  void dangerousTriggersGradedByUntrustedCheckout() {
    String pwn = """
        on: pull_request_target
        permissions: {}
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: ${{ github.event.pull_request.head.sha }}
              - run: make test
        """;
    Finding f = Audit.first("dangerous-triggers", pwn);
    assertThat(f.line()).isEqualTo(7);
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    String label = """
        on: pull_request_target
        permissions: {}
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9
        """;
    assertThat(of("dangerous-triggers", label)).isEmpty();
    String bare = """
        on:
          workflow_run:
            workflows: [ci]
        permissions: {}
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - run: echo done
        """;
    Finding b = Audit.first("dangerous-triggers", bare);
    assertThat(b.line()).isEqualTo(1);
    assertThat(b.confidence()).isEqualTo(Confidence.LOW);
    String artifacts = bare.replace("      - run: echo done", """
              - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093
                with:
                  run-id: ${{ github.event.workflow_run.id }}
              - run: ./dist/report.sh
        """.stripTrailing());
    Finding a = Audit.first("dangerous-triggers", artifacts);
    assertThat(a.line()).isEqualTo(9);
    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
  }

  @Test
  void templateInjectionReportsAttackerTextAndSkipsTheAllowList() {
    String wf = """
        on: issue_comment
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              STATIC: hello
            steps:
              - id: s
                run: |
                  echo "${{ github.sha }} ${{ github.event.issue.number }} ${{ steps.s.outcome }}"
                  echo "${{ github.event.pull_request.head.sha }} ${{ github.run_id }} ${{ env.STATIC }}"
                  echo "${{ github.event.comment.body }}"
                  echo "${{ github.event.issue.title == 'x' }} ${{ contains(github.event.issue.body, 'y') }}"
              - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea
                with:
                  script: console.log("${{ github.head_ref }}")
              - run: echo "${{ steps.s.outputs.name }}"
        """;
    AuditResult r = Audit.run(wf);
    assertThat(of("template-injection", r)).containsExactly("template-injection@13", "template-injection@17",
        "template-injection@18");
    List<Severity> sev = r.findings().stream().filter(f -> f.auditId().equals("template-injection"))
        .map(Finding::severity).toList();
    assertThat(sev).containsExactly(Severity.HIGH, Severity.HIGH, Severity.LOW);
  }

  @Test
  void templateInjectionTypedInputsAreSafe() {
    String wf = """
        on:
          workflow_dispatch:
            inputs:
              dry-run:
                type: boolean
              name:
                type: string
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo ${{ inputs.dry-run }} ${{ inputs.name }}
        """;
    assertThat(Audit.first("template-injection", wf).facts()).containsEntry("context", "inputs.name");
    assertThat(of("template-injection", wf)).hasSize(1);
  }

  @Test
  void excessivePermissions() {
    String none = """
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps: [{run: echo}]
          b:
            runs-on: ubuntu-latest
            steps: [{run: echo}]
        """;
    assertThat(of("excessive-permissions", none)).containsExactly("excessive-permissions@1",
        "excessive-permissions@3", "excessive-permissions@6");
    String writeAll = """
        on: push
        permissions: write-all
        jobs:
          a:
            runs-on: ubuntu-latest
            steps: [{run: echo}]
        """;
    assertThat(Audit.first("excessive-permissions", writeAll).severity()).isEqualTo(Severity.HIGH);
    String scoped = """
        on: push
        permissions:
          contents: read
        jobs:
          a:
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps: [{run: echo}]
        """;
    assertThat(of("excessive-permissions", scoped)).isEmpty();
  }

  @Test
  void artipackedHighWhenTheWorkspaceIsUploaded() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with:
                  path: .
          b:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  persist-credentials: false
        """;
    Finding f = Audit.first("artipacked", wf);
    assertThat(f.line()).isEqualTo(7);
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(of("artipacked", wf)).hasSize(1);
  }

  @Test
  void cachePoisoningOnlyInReleaseContexts() {
    String release = """
        on:
          push:
            tags: ['v*']
        permissions: {}
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b
              - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
        """;
    assertThat(of("cache-poisoning", release)).containsExactly("cache-poisoning@9");
    assertThat(of("cache-poisoning", release.replace("tags: ['v*']", "branches: [main]"))).isEmpty();
  }

  @Test
  void cachePoisoningIgnoresCachesSwitchedOffOnTagRefs() {
    String wf = """
        on:
          push:
            branches: [main]
            tags: ['*']
          TRIGGER
        permissions: {}
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: PyO3/maturin-action@e83996d129638aa358a18fbd1dfb82f0b0fb5d3b
                with:
                  sccache: ${{ !startsWith(github.ref, 'refs/tags/') }}
              - uses: PyO3/maturin-action@e83996d129638aa358a18fbd1dfb82f0b0fb5d3b
                with:
                  sccache: ${{ !(github.event_name == 'push' && github.ref_type == 'tag') }}
              - uses: PyO3/maturin-action@e83996d129638aa358a18fbd1dfb82f0b0fb5d3b
                with:
                  sccache: ${{ github.ref == 'refs/heads/main' || inputs.cache }}
        """;
    // tag pushes only: both toggles are off on every release run; an opaque expression still may enable it
    assertThat(of("cache-poisoning", wf.replace("TRIGGER", "workflow_dispatch:")))
        .containsExactly("cache-poisoning@17");
    // a release event is not a push: the event_name form turns the cache on there
    assertThat(of("cache-poisoning", wf.replace("TRIGGER", "release:")))
        .containsExactly("cache-poisoning@14", "cache-poisoning@17");
    // a push to a release branch publishes from a branch ref: no toggle is known to be off there
    assertThat(of("cache-poisoning", wf.replace("[main]", "[release]").replace("TRIGGER", "workflow_dispatch:")))
        .containsExactly("cache-poisoning@11", "cache-poisoning@14", "cache-poisoning@17");
  }

  @Test
  void unverifiedDownloadPipeToShellAndUncheckedBinary() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  set -e
                  curl -sfL https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/install.sh | sh -s -- -b /usr/local/bin
              - run: |
                  curl -sSLo trivy.tar.gz https://github.com/aquasecurity/trivy/releases/download/v0.69.3/trivy_0.69.3_Linux-64bit.tar.gz
                  tar xzf trivy.tar.gz
              - run: |
                  curl -sSLo tool.tar.gz https://example.com/releases/download/v1/tool.tar.gz
                  echo "abc123  tool.tar.gz" | sha256sum -c
        """;
    assertThat(of("unverified-download", wf)).containsExactly("unverified-download@9", "unverified-download@11");
  }

  @Test
  void selfHostedRunnerReachableFromPublicTriggers() {
    String pub = """
        on: pull_request
        permissions: {}
        jobs:
          a:
            runs-on: [self-hosted, linux]
            steps: [{run: make}]
        """;
    Finding f = Audit.first("self-hosted-runner", pub);
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.persona()).isEqualTo(Persona.REGULAR);
    Finding priv = Audit.first("self-hosted-runner", pub.replace("pull_request", "push"));
    assertThat(priv.persona()).isEqualTo(Persona.AUDITOR);
    assertThat(of("self-hosted-runner", pub.replace("[self-hosted, linux]", "ubuntu-latest"))).isEmpty();
    String matrix = """
        on: pull_request
        permissions: {}
        jobs:
          a:
            runs-on: ${{ matrix.os }}
            strategy:
              matrix:
                os: [self-hosted, ubuntu-latest]
            steps: [{run: make}]
        """;
    assertThat(of("self-hosted-runner", matrix)).containsExactly("self-hosted-runner@5");
    assertThat(of("self-hosted-runner", matrix.replace("ubuntu-latest]", "ubuntu-latest]\n        exclude:\n"
        + "          - os: self-hosted"))).isEmpty();
  }

  @Test
  void overprovisionedSecrets() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$ALL"
                env:
                  ALL: ${{ toJSON(secrets) }}
                  ONE: ${{ secrets.ONE }}
        """;
    assertThat(of("overprovisioned-secrets", wf)).containsExactly("overprovisioned-secrets@9");
  }

  @Test
  void gitlabImagesIncludesAndScripts() {
    String gl = """
        include:
          - remote: https://example.com/ci/template.yml
          - project: group/ci-templates
            ref: main
            file: /build.yml
          - project: group/pinned
            ref: 0123456789abcdef0123456789abcdef01234567
            file: /x.yml
          - template: Security/SAST.gitlab-ci.yml
        image: aquasec/trivy:0.69.4
        scan:
          image: alpine
          script:
            - curl -sSL https://get.example.com | bash
        build:
          image: golang:1.23@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          script: [make]
        """;
    AuditResult r = Audit.run(CiFile.Kind.GITLAB, gl);
    assertThat(of("unpinned-include", r)).containsExactly("unpinned-include@2", "unpinned-include@3");
    assertThat(of("known-compromised-image", r)).containsExactly("known-compromised-image@10");
    assertThat(of("unpinned-images", r)).containsExactly("unpinned-images@10", "unpinned-images@12");
    assertThat(of("unverified-download", r)).containsExactly("unverified-download@14");
  }

  @Test
  void compositeActionStepsAreAudited() {
    String action = """
        name: my-action
        description: d
        inputs:
          title:
            description: t
        runs:
          using: composite
          steps:
            - run: echo "${{ inputs.title }}"
              shell: bash
            - uses: some/action@v1
        """;
    AuditResult r = Audit.run(CiFile.Kind.ACTION, action);
    assertThat(of("template-injection", r)).containsExactly("template-injection@9");
    assertThat(of("unpinned-uses", r)).containsExactly("unpinned-uses@11");
  }

  @Test
  void anchorsAndAliasesAreResolved() {
    String wf = """
        on: push
        permissions: {}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - &checkout
                uses: actions/checkout@v4
          b:
            runs-on: ubuntu-latest
            steps:
              - *checkout
        """;
    assertThat(of("artipacked", wf)).containsExactly("artipacked@7", "artipacked@12");
  }
}
