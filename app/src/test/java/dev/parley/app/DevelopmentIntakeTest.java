package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

class DevelopmentIntakeTest {

    private final Map<String, Development> folded = new HashMap<>();

    private static Development development(String id, int revision) {
        return aDevelopment().id(id).revision(revision).build();
    }

    private static BitSet bits(int... set) {
        BitSet bits = new BitSet();
        for (int i : set) {
            bits.set(i);
        }
        return bits;
    }

    private MockProducer<String, Development> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), AvroSerde.of(Development.class));
    }

    private DevelopmentIntake intake(MockProducer<String, Development> producer, Duration ackTimeout) {
        return new DevelopmentIntake(new DevelopmentPublisher(producer),
                (negotiation, id) -> Optional.ofNullable(folded.get(negotiation + "/" + id)), ackTimeout);
    }

    private void fold(Development d) {
        folded.put(d.getNegotiationId() + "/" + d.getDevelopmentId(), d);
    }

    @Test
    void shouldPublishEveryNewDevelopmentOnce() throws Exception {
        // given
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));

        // when
        var outcome = intake.submit(List.of(development("a", 1), development("b", 1)));

        // then
        assertThat(outcome).isEqualTo(new DevelopmentIntake.Accepted(bits(0, 1)));
        assertThat(producer.history()).extracting(r -> r.value().getDevelopmentId()).containsExactly("a", "b");
    }

    @Test
    void shouldAnswerTheSameBatchAgainAsTheFirstTimeAndPublishNothing() throws Exception {
        // given a batch that was published
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));
        var first = intake.submit(List.of(development("a", 1), development("b", 1)));

        // when it comes again
        var second = intake.submit(List.of(development("a", 1), development("b", 1)));

        // then
        assertThat(second).isEqualTo(first);
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void shouldNotPublishWhatTheTopologyHoldsAtThatRevisionOrANewerOne() throws Exception {
        // given the topology folded a at revision 2
        fold(development("a", 2));
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));

        // when
        var outcome = intake.submit(List.of(development("a", 1), development("a", 2), development("b", 1)));

        // then only b is new
        assertThat(outcome).isEqualTo(new DevelopmentIntake.Accepted(bits(2)));
        assertThat(producer.history()).extracting(r -> r.value().getDevelopmentId()).containsExactly("b");
    }

    @Test
    void shouldNotPublishAgainWhatItPublishedBeforeTheTopologyFoldedIt() throws Exception {
        // given a published, and not folded yet
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));
        intake.submit(List.of(development("a", 1)));

        // when another batch holds it, a newer revision and something new
        var outcome = intake.submit(List.of(development("a", 1), development("b", 1), development("a", 2)));

        // then
        assertThat(outcome).isEqualTo(new DevelopmentIntake.Accepted(bits(1, 2)));
        assertThat(producer.history()).extracting(r -> r.value().getDevelopmentId() + "@" + r.value().getRevision())
                .containsExactly("a@1", "b@1", "a@2");
    }

    @Test
    void shouldPublishADevelopmentRepeatedInOneBatchOnce() throws Exception {
        // given
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));

        // when
        var outcome = intake.submit(List.of(development("a", 1), development("a", 1)));

        // then
        assertThat(outcome).isEqualTo(new DevelopmentIntake.Accepted(bits(0)));
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void shouldPublishNothingWhenTheTopologyStateCannotBeRead() {
        // given a state that is being restored
        var producer = producer(true);
        var intake = new DevelopmentIntake(new DevelopmentPublisher(producer), (negotiation, id) -> {
            if (id.equals("b")) {
                throw new InvalidStateStoreException("rebalancing");
            }
            return Optional.empty();
        }, Duration.ofSeconds(5));

        // when / then
        assertThatThrownBy(() -> intake.submit(List.of(development("a", 1), development("b", 1))))
                .isInstanceOf(InvalidStateStoreException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldForgetWhatKafkaRefusedSoThatSendingItAgainPublishesIt() throws Exception {
        // given Kafka refuses the first attempt
        var producer = producer(true);
        var intake = intake(producer, Duration.ofSeconds(5));
        producer.sendException = new TimeoutException("Topic parley.developments not present in metadata after 5000 ms.");
        var refused = intake.submit(List.of(development("a", 1)));

        // when it is sent again once Kafka is back
        producer.sendException = null;
        var accepted = intake.submit(List.of(development("a", 1)));

        // then
        assertThat(refused).isInstanceOfSatisfying(DevelopmentIntake.NotAcknowledged.class, missing -> {
            assertThat(missing.acknowledged()).isZero();
            assertThat(missing.total()).isEqualTo(1);
            assertThat(missing.reason()).contains("not present in metadata");
        });
        assertThat(accepted).isEqualTo(new DevelopmentIntake.Accepted(bits(0)));
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void shouldNotPublishAgainWhatIsStillOnItsWayAfterATimeout() throws Exception {
        // given Kafka did not answer in time, but still holds the record
        var producer = producer(false);
        var intake = intake(producer, Duration.ofMillis(10));
        var first = intake.submit(List.of(development("a", 1)));

        // when the same batch comes again, before and after Kafka acknowledges the first
        var whileWaiting = intake.submit(List.of(development("a", 1)));
        producer.completeNext();
        var afterwards = intake.submit(List.of(development("a", 1)));

        // then it was never sent twice, and is accepted as a duplicate once it is durable
        assertThat(first).isInstanceOf(DevelopmentIntake.NotAcknowledged.class);
        assertThat(whileWaiting).isInstanceOf(DevelopmentIntake.NotAcknowledged.class);
        assertThat(afterwards).isEqualTo(new DevelopmentIntake.Accepted(bits()));
        assertThat(producer.history()).hasSize(1);
    }
}
