package dev.vigil.detect.sigma;

/** A field name as written in a rule ({@code requestParameters.bucketName}), split once at compile time. */
record FieldPath(String dotted, String[] parts) {
  static FieldPath of(String dotted) {
    return new FieldPath(dotted, dotted.split("\\.", -1));
  }

  @Override
  public String toString() {
    return dotted;
  }
}
