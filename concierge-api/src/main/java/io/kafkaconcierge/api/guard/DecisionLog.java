package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.security.KafkaSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A topic used as the arbiter of decisions that must agree across replicas: every replica reads the whole topic from
 * the beginning and folds it in partition order, and a writer learns the outcome of its own record by waiting until
 * its fold has applied it ({@link #append}). Two replicas appending at once to the same partition are ordered by the
 * broker, and both folds decide each record the same way, so a check and what it accepts are one atomic step.
 */
final class DecisionLog {

    /** Where a record landed. */
    record Position(int partition, long offset) {}

    private final String topic;
    private final TopicTail tail;
    private final KafkaProducer<String, byte[]> producer;
    private final Consumer<ConsumerRecord<String, byte[]>> fold;
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Map<Integer, List<Waiter>> waiters = new HashMap<>();
    private final Duration timeout;

    private record Waiter(long offset, CompletableFuture<Void> done) {}

    DecisionLog(
            String name,
            String topic,
            KafkaSettings kafka,
            Duration timeout,
            Consumer<ConsumerRecord<String, byte[]>> fold) {
        this.topic = topic;
        this.fold = fold;
        this.timeout = timeout;
        this.tail =
                new TopicTail(name, kafka.clientSettings(), List.of(topic), TopicTail.StartAt.BEGINNING, this::apply);
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings());
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    void start() {
        tail.start();
    }

    void stop() throws InterruptedException {
        tail.stop();
        producer.close(Duration.ofSeconds(3));
    }

    boolean caughtUp() {
        return tail.caughtUp();
    }

    String problem() {
        return tail.problem();
    }

    /** Writes {@code value} keyed by {@code key}; completes once the broker has it ({@code acks=all}). */
    Uni<Position> write(String key, Object value) {
        byte[] bytes = Json.write(value);
        return Uni.createFrom()
                .<Position>emitter(emitter ->
                        producer.send(new ProducerRecord<>(topic, key, bytes), (metadata, failure) -> {
                            if (failure != null) {
                                emitter.fail(failure);
                            } else {
                                emitter.complete(new Position(metadata.partition(), metadata.offset()));
                            }
                        }))
                // send() blocks up to max.block.ms while the broker is away: never on an event loop
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Writes {@code value} and completes once this replica's fold has applied it: its decision is known here. */
    Uni<Position> append(String key, Object value) {
        return write(key, value)
                .onItem()
                .transformToUni(position -> applied(position).onItem().transform(ignored -> position));
    }

    /** Completes once the fold has applied the record at {@code position}. */
    Uni<Void> applied(Position position) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (waiters) {
            if (applied.getOrDefault(position.partition(), -1L) >= position.offset()) {
                return Uni.createFrom().voidItem();
            }
            waiters.computeIfAbsent(position.partition(), p -> new ArrayList<>())
                    .add(new Waiter(position.offset(), done));
        }
        // not on the reading thread: what the writer does next must not hold up the fold
        return Uni.createFrom()
                .completionStage(done)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new IllegalStateException("the " + topic + " record at " + position
                        + " was written but not read back within " + timeout + " (" + tail.problem() + ")"));
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        fold.accept(record);
        applied.merge(record.partition(), record.offset(), Math::max);
        List<Waiter> ready = new ArrayList<>();
        synchronized (waiters) {
            List<Waiter> waiting = waiters.get(record.partition());
            if (waiting != null) {
                waiting.removeIf(w -> {
                    if (w.offset() <= record.offset()) {
                        ready.add(w);
                        return true;
                    }
                    return false;
                });
            }
        }
        ready.forEach(w -> w.done().complete(null));
    }
}
