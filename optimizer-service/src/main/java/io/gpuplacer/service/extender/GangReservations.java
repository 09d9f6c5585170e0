package io.gpuplacer.service.extender;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The places held for gangs between their members' calls: the first member to reach the filter reserves a place for
 * every task of its gang; each member then claims one of them (its own on later calls) and is steered to it. A
 * place is held, against other pods, until it is bound or the reservation's time to live runs out; a reservation
 * whose places are all bound ends. In memory on each replica: kube-scheduler talks to one extender URL, and a
 * reservation lost with its replica is made again on the next member's call.
 */
final class GangReservations {

    /** One reserved task place: the node and the milli-GPU share it holds there. */
    record Place(String node, long milli) {
    }

    /** A gang's places and which member holds which. */
    static final class Reservation {
        final String gang;
        final List<Place> places;
        final Instant expires;
        final Map<String, Integer> members = new HashMap<>();
        final boolean[] bound;

        Reservation(String gang, List<Place> places, Instant expires) {
            this.gang = gang;
            this.places = List.copyOf(places);
            this.expires = expires;
            this.bound = new boolean[places.size()];
        }

        boolean allBound() {
            for (boolean b : bound) {
                if (!b) {
                    return false;
                }
            }
            return true;
        }

        List<String> nodes() {
            return places.stream().map(Place::node).toList();
        }
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Reservation> byGang = new HashMap<>();

    GangReservations(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** The gang's reservation in force, or null (an expired one is dropped). */
    synchronized Reservation live(String gang) {
        expire();
        return byGang.get(gang);
    }

    synchronized Reservation reserve(String gang, List<Place> places) {
        Reservation r = new Reservation(gang, places, clock.instant().plus(ttl));
        byGang.put(gang, r);
        return r;
    }

    synchronized void drop(String gang) {
        byGang.remove(gang);
    }

    /**
     * The place of this member: the one it holds, else the first free one on a candidate node; -1 when none is free
     * on the candidates.
     */
    synchronized int claim(Reservation r, String member, Collection<String> candidates) {
        Integer held = r.members.get(member);
        if (held != null) {
            return held;
        }
        for (int i = 0; i < r.places.size(); i++) {
            if (!r.members.containsValue(i) && candidates.contains(r.places.get(i).node())) {
                r.members.put(member, i);
                return i;
            }
        }
        return -1;
    }

    /** The place this member holds, or -1. */
    synchronized int placeOf(Reservation r, String member) {
        Integer held = r.members.get(member);
        return held == null ? -1 : held;
    }

    synchronized boolean full(Reservation r) {
        return r.members.size() >= r.places.size();
    }

    /** The member's place is bound; the gang's reservation ends when all are. */
    synchronized void bound(String member) {
        for (Iterator<Reservation> it = byGang.values().iterator(); it.hasNext(); ) {
            Reservation r = it.next();
            Integer place = r.members.get(member);
            if (place != null) {
                r.bound[place] = true;
                if (r.allBound()) {
                    it.remove();
                }
                return;
            }
        }
    }

    /** Milli-GPU held on the node by the unbound places of gangs other than {@code except}. */
    synchronized long heldOn(String node, String except) {
        expire();
        long held = 0;
        for (Reservation r : byGang.values()) {
            if (r.gang.equals(except)) {
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

    synchronized List<String> gangsHolding(String node, String except) {
        List<String> out = new ArrayList<>();
        for (Reservation r : byGang.values()) {
            if (!r.gang.equals(except) && r.nodes().contains(node)) {
                out.add(r.gang);
            }
        }
        return out;
    }

    private void expire() {
        Instant now = clock.instant();
        byGang.values().removeIf(r -> !now.isBefore(r.expires));
    }
}
