package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.model.CiFile;
import dev.vigil.pipeline.model.CiParser;
import dev.vigil.pipeline.model.Job;
import dev.vigil.pipeline.model.JobExposure;
import dev.vigil.pipeline.model.Step;
import dev.vigil.pipeline.model.Uses;
import org.junit.jupiter.api.Test;

/** The model investigation reuses: which job ran which action at which ref, and which secrets it could read. */
class JobExposureTest {
  @Test
  void secretsAndPermissionsInReachOfEachStep() {
    String wf = """
        on: push
        env:
          GLOBAL: ${{ secrets.ORG_TOKEN }}
        jobs:
          scan:
            runs-on: ubuntu-latest
            permissions:
              contents: read
              id-token: write
            env:
              AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
            steps:
              - uses: actions/checkout@v4
              - uses: aquasecurity/trivy-action@0.34.2
                with:
                  token: ${{ secrets['SCAN_TOKEN'] }}
              - run: deploy --key "${{ secrets.AWS_SECRET_ACCESS_KEY }}"
          release:
            uses: acme/wf/.github/workflows/r.yml@v1
            secrets: inherit
        """;
    var parsed = CiParser.parse("w.yml", CiFile.Kind.WORKFLOW, wf);
    Job scan = parsed.workflow().jobs().get(0);
    JobExposure e = JobExposure.of(scan);
    assertThat(e.actions()).extracting(Uses::raw).containsExactly("actions/checkout@v4",
        "aquasecurity/trivy-action@0.34.2");
    Step trivy = e.stepsUsing("aquasecurity/trivy-action").get(0);
    assertThat(trivy.uses().ref()).isEqualTo("0.34.2");
    assertThat(e.secretsVisibleTo(trivy)).containsExactly("ORG_TOKEN", "AWS_ACCESS_KEY_ID", "SCAN_TOKEN");
    assertThat(e.allSecrets()).containsExactly("ORG_TOKEN", "AWS_ACCESS_KEY_ID", "SCAN_TOKEN",
        "AWS_SECRET_ACCESS_KEY");
    assertThat(e.permissions()).containsExactly(java.util.Map.entry("contents", "read"),
        java.util.Map.entry("id-token", "write"));
    assertThat(e.envVisibleTo(trivy)).containsExactly(
        java.util.Map.entry("GLOBAL", "${{ secrets.ORG_TOKEN }}"),
        java.util.Map.entry("AWS_ACCESS_KEY_ID", "${{ secrets.AWS_ACCESS_KEY_ID }}"));
    JobExposure release = JobExposure.of(parsed.workflow().jobs().get(1));
    assertThat(release.inheritsAllSecrets()).isTrue();
    assertThat(release.permissions()).containsEntry("*", "default");
  }
}
