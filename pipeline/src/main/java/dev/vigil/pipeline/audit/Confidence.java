package dev.vigil.pipeline.audit;

/** How sure the audit is that the finding is real (static analysis cannot always know). */
public enum Confidence { LOW, MEDIUM, HIGH }
