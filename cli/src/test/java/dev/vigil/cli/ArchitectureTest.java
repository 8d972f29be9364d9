package dev.vigil.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Arrows only point down: the detection core imports nothing from the layers above it. */
class ArchitectureTest {
  private final JavaClasses vigil = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.vigil");

  @Test
  void detectionCoreDependsOnNothingAboveIt() {
    noClasses().that().resideInAPackage("dev.vigil.detect..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.vigil.cli..", "dev.vigil.server..", "dev.vigil.flink..", "dev.vigil.store..", "dev.vigil.respond..",
            "picocli..")
        .check(vigil);
  }

  @Test
  void ingestAndIntelAreLeaves() {
    noClasses().that().resideInAnyPackage("dev.vigil.ingest..", "dev.vigil.intel..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.vigil.detect..", "dev.vigil.cli..", "dev.vigil.pipeline..", "dev.vigil.secrets..",
            "dev.vigil.respond..", "dev.vigil.server..", "dev.vigil.flink..", "dev.vigil.store..", "picocli..")
        .check(vigil);
  }
}
