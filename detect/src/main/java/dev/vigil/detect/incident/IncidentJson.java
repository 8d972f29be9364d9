package dev.vigil.detect.incident;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * Vigil's own JSON form of an {@link Incident} (snake_case, ISO-8601 instants), lossless both ways: what a store
 * keeps and what {@link OcsfIncidents} embeds under {@code unmapped.vigil_incident}.
 */
public final class IncidentJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(new SimpleModule("vigil-instant")
          .addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
              g.writeString(v.toString());
            }
          })
          .addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
              return Instant.parse(p.getValueAsString());
            }
          }));

  private IncidentJson() {}

  public static ObjectNode toJson(Incident incident) {
    return MAPPER.valueToTree(incident);
  }

  public static Incident fromJson(JsonNode json) {
    try {
      return MAPPER.treeToValue(json, Incident.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a Vigil incident: " + e.getMessage(), e);
    }
  }

  /** The mapper, for callers that serialise related values (updates) the same way. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
