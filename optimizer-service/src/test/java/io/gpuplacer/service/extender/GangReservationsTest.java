package io.gpuplacer.service.extender;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Gangs' places: claimed once per member, held against other gangs until bound or expired. */
class GangReservationsTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final GangReservations reservations = new GangReservations(clock, Duration.ofSeconds(60),
            new io.gpuplacer.service.persistence.MemoryGangReservations());

    @Test
    void eachMemberClaimsOnePlaceOnACandidateAndKeepsIt() {
        GangReservations.Reservation r = reservations.reserve("ml/duo", List.of(
                new GangReservations.Place("a", 1000), new GangReservations.Place("b", 1000)));
        assertThat(reservations.claim(r, "m1", List.of("b"))).isEqualTo(1); // only b is a candidate for m1
        assertThat(reservations.claim(r, "m2", List.of("a", "b"))).isZero();
        assertThat(reservations.claim(r, "m1", List.of("a", "b"))).as("m1 keeps its place").isEqualTo(1);
        assertThat(reservations.full(r)).isTrue();
        assertThat(reservations.claim(r, "m3", List.of("a", "b"))).isEqualTo(-1);
        assertThat(reservations.placeOf(r, "m3")).isEqualTo(-1);
    }

    @Test
    void placesAreHeldAgainstOtherGangsUntilBoundAndTheReservationEndsWhenAllAre() {
        GangReservations.Reservation r = reservations.reserve("ml/duo", List.of(
                new GangReservations.Place("a", 1000), new GangReservations.Place("a", 500)));
        reservations.claim(r, "m1", List.of("a"));
        reservations.claim(r, "m2", List.of("a"));
        assertThat(reservations.heldOn("a", null)).isEqualTo(1500);
        assertThat(reservations.heldOn("a", "ml/duo")).as("not against itself").isZero();
        assertThat(reservations.gangsHolding("a", null)).containsExactly("ml/duo");
        reservations.bound("m1");
        assertThat(reservations.heldOn("a", null)).isEqualTo(500);
        assertThat(reservations.live("ml/duo").nodes()).isEqualTo(r.nodes());
        reservations.bound("m2");
        assertThat(reservations.live("ml/duo")).isNull();
        assertThat(reservations.heldOn("a", null)).isZero();
    }

    @Test
    void aReservationEndsAtItsTimeToLive() {
        reservations.reserve("ml/duo", List.of(new GangReservations.Place("a", 1000)));
        clock.now = clock.now.plusSeconds(59);
        assertThat(reservations.live("ml/duo")).isNotNull();
        assertThat(reservations.heldOn("a", null)).isEqualTo(1000);
        clock.now = clock.now.plusSeconds(1);
        assertThat(reservations.heldOn("a", null)).isZero();
        assertThat(reservations.live("ml/duo")).isNull();
    }
}
