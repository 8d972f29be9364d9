package dev.vigil.pipeline.audit;

/**
 * Who a finding is for. {@code REGULAR} findings are shown by default; {@code PEDANTIC} adds hygiene findings
 * (tags without digests, broad but common permissions); {@code AUDITOR} adds everything that might matter in a
 * review (low-confidence cases, self-hosted runners without public triggers).
 */
public enum Persona {
  REGULAR, PEDANTIC, AUDITOR;

  /** True when a finding meant for {@code findingPersona} is shown to this persona. */
  public boolean shows(Persona findingPersona) {
    return findingPersona.ordinal() <= ordinal();
  }
}
