package io.gpuplacer.service.extender;

import io.gpuplacer.service.persistence.FreshCopy;
import io.gpuplacer.service.persistence.GangReservationStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The places held for gangs between their members' calls: the first member to reach the filter reserves a place for
 * every task of its gang; each member then claims one of them (its own on later calls) and is steered to it. A
 * place is held, against other pods, until it is bound or the reservation's time to live runs out; a reservation
 * whose places are all bound ends. Kept in the database ({@link GangReservationStore}), so that every replica
 * kube-scheduler reaches gives a gang's members one consistent reservation: the reservation is made once, each place
 * claimed by one member. What other pods' filters check (the places held on a node) is read from a copy of every
 * live reservation taken at most {@value #FRESH_MILLIS} ms ago, or just after this replica changed one.
 */
final class GangReservations {

    static final long FRESH_MILLIS = 1000;

    /** One reserved task place: the node and the milli-GPU share it holds there. */
    record Place(String node, long milli) {
    }

    /** A gang's places and which member holds which, as read. */
    static final class Reservation {
        final String gang;
        final List<Place> places;
        final Instant expires;
        final List<String> members;
        final boolean[] bound;

        private Reservation(GangReservationStore.Stored stored) {
            this.gang = stored.gang();
            this.expires = stored.expires();
            this.places = stored.places().stream().map(p -> new Place(p.node(), p.milli())).toList();
            this.members = new ArrayList<>(stored.places().stream().map(GangReservationStore.Place::member).toList());
            this.bound = new boolean[places.size()];
            for (int i = 0; i < bound.length; i++) {
                bound[i] = stored.places().get(i).bound();
            }
        }

        List<String> nodes() {
            return places.stream().map(Place::node).toList();
        }

        int placeOf(String member) {
            return members.indexOf(member);
        }
    }

    private final Clock clock;
    private final Duration ttl;
    private final GangReservationStore store;
    private final FreshCopy<List<Reservation>> every;

    GangReservations(Clock clock, Duration ttl, GangReservationStore store) {
        this.clock = clock;
        this.ttl = ttl;
        this.store = store;
        this.every = new FreshCopy<>(() -> store.all(clock.instant()).stream().map(Reservation::new).toList(),
                FRESH_MILLIS);
    }

    Duration ttl() {
        return ttl;
    }

    /** The gang's reservation in force, or null. */
    Reservation live(String gang) {
        GangReservationStore.Stored s = store.find(gang, clock.instant());
        return s == null ? null : new Reservation(s);
    }

    /** Reserves these places unless another replica reserved the gang's first: the reservation in force. */
    Reservation reserve(String gang, List<Place> places) {
        Instant now = clock.instant();
        Reservation r = new Reservation(store.insert(gang, places.stream().map(p -> new GangReservationStore.Place(
                p.node(), p.milli(), null, false)).toList(), now.plus(ttl), now));
        changed();
        return r;
    }

    void drop(String gang) {
        store.delete(gang);
        changed();
    }

    /**
     * The place of this member: the one it holds, else the first free one on a candidate node that it manages to
     * claim (another replica may claim a place for another member at the same moment); -1 when none is left.
     */
    int claim(Reservation r, String member, Collection<String> candidates) {
        int held = r.placeOf(member);
        if (held >= 0) {
            return held;
        }
        for (int i = 0; i < r.places.size(); i++) {
            if (r.members.get(i) == null && candidates.contains(r.places.get(i).node())
                    && store.claim(r.gang, i, member)) {
                r.members.set(i, member);
                changed();
                return i;
            }
        }
        Reservation now = live(r.gang); // claimed by this member elsewhere meanwhile?
        return now == null ? -1 : now.placeOf(member);
    }

    /** The place this member holds, or -1. */
    int placeOf(Reservation r, String member) {
        return r.placeOf(member);
    }

    boolean full(Reservation r) {
        return !r.members.contains(null);
    }

    /** The member's place is bound; the gang's reservation ends when all are. */
    void bound(String member) {
        store.bound(member);
        changed();
    }

    /** Milli-GPU held on the node by the unbound places of gangs other than {@code except}. */
    long heldOn(String node, String except) {
        Instant at = clock.instant();
        long held = 0;
        for (Reservation r : every()) {
            if (r.gang.equals(except) || !at.isBefore(r.expires)) {
                continue;
            }
            for (int i = 0; i < r.places.size(); i++) {
                if (!r.bound[i] && r.places.get(i).node().equals(node)) {
                    held += r.places.get(i).milli();
                }
            }
        }
        return held;
    }

    List<String> gangsHolding(String node, String except) {
        Instant at = clock.instant();
        List<String> out = new ArrayList<>();
        for (Reservation r : every()) {
            if (!r.gang.equals(except) && at.isBefore(r.expires) && r.nodes().contains(node)) {
                out.add(r.gang);
            }
        }
        return out;
    }

    /** Every live reservation, read again when the copy is older than FRESH_MILLIS or this replica changed one. */
    private List<Reservation> every() {
        return every.get();
    }

    private void changed() {
        every.refresh();
    }
}
