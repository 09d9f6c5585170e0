package io.gpuplacer.service.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link GangReservationStore} in memory, for unit tests with a clock they move. */
public final class MemoryGangReservations implements GangReservationStore {

    private final Map<String, Stored> byGang = new HashMap<>();

    @Override
    public synchronized Stored find(String gang, Instant now) {
        Stored s = byGang.get(gang);
        return s == null || !now.isBefore(s.expires()) ? null : s;
    }

    @Override
    public synchronized Stored insert(String gang, List<Place> places, Instant expires, Instant now) {
        Stored live = find(gang, now);
        if (live != null) {
            return live;
        }
        Stored s = new Stored(gang, expires, List.copyOf(places));
        byGang.put(gang, s);
        return s;
    }

    @Override
    public synchronized void delete(String gang) {
        byGang.remove(gang);
    }

    @Override
    public synchronized boolean claim(String gang, int index, String member) {
        Stored s = byGang.get(gang);
        if (s == null || s.places().get(index).member() != null) {
            return false;
        }
        List<Place> places = new ArrayList<>(s.places());
        Place p = places.get(index);
        places.set(index, new Place(p.node(), p.milli(), member, p.bound()));
        byGang.put(gang, new Stored(gang, s.expires(), List.copyOf(places)));
        return true;
    }

    @Override
    public synchronized void bound(String member) {
        for (Stored s : List.copyOf(byGang.values())) {
            List<Place> places = new ArrayList<>(s.places());
            boolean all = true;
            for (int i = 0; i < places.size(); i++) {
                Place p = places.get(i);
                if (member.equals(p.member())) {
                    places.set(i, p = new Place(p.node(), p.milli(), p.member(), true));
                }
                all &= p.bound();
            }
            if (all) {
                byGang.remove(s.gang());
            } else {
                byGang.put(s.gang(), new Stored(s.gang(), s.expires(), List.copyOf(places)));
            }
        }
    }

    @Override
    public synchronized List<Stored> all(Instant now) {
        return byGang.values().stream().filter(s -> now.isBefore(s.expires())).toList();
    }
}
