package dev.vigil.flink;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.EnumMapSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.detect.incident.IncidentTracker;
import dev.vigil.detect.incident.IncidentUpdate;
import dev.vigil.detect.incident.Tactic;
import dev.vigil.detect.incident.TenantMap;
import dev.vigil.ingest.AuditEvent;
import dev.vigil.ingest.CloudTrailNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Turns an {@link IncidentTracker} into bytes and back for Flink keyed state. The tracker keeps its chains in plain
 * private collections and has no save/load of its own, so its object graph is written with Kryo (which Flink ships),
 * references on (an incident is reachable from several indexes). Three things are not written but re-attached on
 * read: the tenant map (configuration), the update consumer (the operator's output) and events, which are written
 * as their raw CloudTrail JSON and normalised again. One codec per operator instance; not thread-safe.
 */
final class TrackerCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The consumer every tracker of an operator is built with; its target is the operator's current output. */
  static final class Relay implements Consumer<IncidentUpdate> {
    Consumer<IncidentUpdate> target = u -> { };

    @Override
    public void accept(IncidentUpdate u) {
      target.accept(u);
    }
  }

  private final Kryo kryo = new Kryo();
  private final Output output = new Output(64 * 1024, -1);

  TrackerCodec(TenantMap tenants, Relay relay) {
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    // the tracker's incidents are inner classes: their outer-instance field is synthetic and must be written too
    FieldSerializer.FieldSerializerConfig fields = new FieldSerializer.FieldSerializerConfig();
    fields.setIgnoreSyntheticFields(false);
    kryo.setDefaultSerializer(new SerializerFactory.FieldSerializerFactory(fields));
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    // the tracker's only EnumMap (its stages) is keyed by Tactic; an EnumMap cannot be rebuilt without its key type
    kryo.addDefaultSerializer(java.util.EnumMap.class, new EnumMapSerializer(Tactic.class));
    kryo.addDefaultSerializer(TenantMap.class, new Fixed<>(tenants));
    kryo.addDefaultSerializer(Relay.class, new Fixed<>(relay));
    kryo.addDefaultSerializer(AuditEvent.class, new EventSerializer());
    kryo.addDefaultSerializer(ObjectNode.class, new NodeSerializer());
  }

  byte[] write(IncidentTracker tracker) {
    output.reset();
    kryo.writeObject(output, tracker);
    return output.toBytes();
  }

  IncidentTracker read(byte[] bytes) {
    return kryo.readObject(new Input(bytes), IncidentTracker.class);
  }

  /** Writes nothing; reads back the operator's own instance. */
  private static final class Fixed<T> extends Serializer<T> {
    private final T instance;

    Fixed(T instance) {
      this.instance = instance;
    }

    @Override
    public void write(Kryo kryo, Output output, T object) { }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      return instance;
    }
  }

  /** An event as its raw record and origin; read back through the same normaliser that made it. */
  private static final class EventSerializer extends Serializer<AuditEvent> {
    @Override
    public void write(Kryo kryo, Output output, AuditEvent e) {
      output.writeString(e.raw().toString());
      output.writeString(e.origin() == null ? null : e.origin().source());
      output.writeVarLong(e.origin() == null ? 0 : e.origin().index(), true);
    }

    @Override
    public AuditEvent read(Kryo kryo, Input input, Class<? extends AuditEvent> type) {
      String raw = input.readString();
      String source = input.readString();
      long index = input.readVarLong(true);
      return event(raw, source, index);
    }
  }

  private static final class NodeSerializer extends Serializer<ObjectNode> {
    @Override
    public void write(Kryo kryo, Output output, ObjectNode node) {
      output.writeString(node.toString());
    }

    @Override
    public ObjectNode read(Kryo kryo, Input input, Class<? extends ObjectNode> type) {
      try {
        return (ObjectNode) JSON.readTree(input.readString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static AuditEvent event(String raw, String source, long index) {
    try {
      return CloudTrailNormalizer.normalize(JSON.readTree(raw), new AuditEvent.Origin(source, index));
    } catch (CloudTrailNormalizer.RejectedRecord e) {
      throw new IllegalStateException("a checkpointed event no longer normalises: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
