package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3 description of the API, served at /api/openapi.json. */
final class OpenApi {
  private static final JsonNode DOCUMENT = load();

  private OpenApi() {}

  static JsonNode document() {
    return DOCUMENT;
  }

  private static JsonNode load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
