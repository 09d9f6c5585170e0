package io.gpuplacer.service.extender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.constraints.oracle.PlacementOracle;
import io.gpuplacer.constraints.oracle.SearchBudget;
import io.gpuplacer.model.domain.TaskAssignment;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.model.interchange.ProblemReader;
import io.gpuplacer.model.plan.UnplacedReasons;
import io.gpuplacer.model.problem.Job;
import io.gpuplacer.service.state.OracleView;

import java.util.ArrayList;
import java.util.List;

/**
 * A member of a gang: the first member to come reserves the gang's best place from the oracle (every task from one
 * start, inside its topology scope, around the places other gangs hold); every member is then steered to the
 * place it claims. Tasks of the gang already running (its members bound before a reservation ran out) are left out:
 * the rest of the gang is placed as a gang of its own. A gang the gates released reserves the nodes it was pinned
 * to.
 */
final class GangPlaces {

    private static final int OPTIONS = 5;

    private final GangReservations reservations;
    private final int budgetMillis;
    private final ProblemReader reader = new ProblemReader();

    GangPlaces(GangReservations reservations, int budgetMillis) {
        this.reservations = reservations;
        this.budgetMillis = budgetMillis;
    }

    /** {@code claim}: filter claims a place for the member; prioritize only looks at the one it holds. */
    Verdicts judge(OracleView view, ObjectNode jobJson, String member, List<String> candidates,
                   List<String> released, boolean claim) {
        String gang = jobJson.path("id").asText();
        GangReservations.Reservation r = reservations.live(gang);
        if (r == null) {
            if (!claim) {
                return new Verdicts(); // nothing reserved: no node is preferred
            }
            Verdicts failed = new Verdicts();
            r = released.size() == jobJson.path("tasks").asInt()
                    ? reserveReleased(view, jobJson, gang, released, candidates, failed)
                    : reserve(view, jobJson, gang, candidates, failed);
            if (r == null) {
                return failed;
            }
        }
        int place = claim ? reservations.claim(r, member, candidates) : reservations.placeOf(r, member);
        Verdicts v = new Verdicts();
        if (place < 0) {
            if (!claim) {
                return v;
            }
            if (reservations.full(r)) {
                v.failAll(candidates, "gang " + gang + ": its " + r.places.size() + " reserved places are claimed by "
                        + "other members");
            } else {
                // The places reserved are not among the nodes kube-scheduler kept: plan the gang again next time.
                reservations.drop(gang);
                v.failAll(candidates, "gang " + gang + ": its reserved nodes " + r.nodes() + " are not among the "
                        + "candidates; the next attempt plans it again");
            }
            return v;
        }
        String node = r.places.get(place).node();
        for (String name : candidates) {
            if (name.equals(node)) {
                v.pass(name, 0);
            } else {
                v.fail(name, Verdicts.bounded("gang " + gang + ": this member's place is reserved on node " + node));
            }
        }
        return v;
    }

    /** A gang the gates released: its places are the nodes its pods were pinned to, as the release chose them. */
    private GangReservations.Reservation reserveReleased(OracleView view, ObjectNode jobJson, String gang,
                                                         List<String> nodes, List<String> candidates, Verdicts failed) {
        Job job;
        try { // read only for its GPU share: members already running keep their id from being a pending job's
            job = reader.readJob(jobJson.deepCopy().put("id", gang + " (released)"), "Pod", java.util.Set.of(),
                    view.base().now(), view.base().queues());
        } catch (InputException e) {
            return fail(failed, candidates, "pod of gang " + gang + ": " + e.getMessage());
        }
        long milli = job.gpu().usesGpu() ? job.gpu().shareMilli() : 0;
        List<GangReservations.Place> places = new ArrayList<>();
        nodes.forEach(n -> places.add(new GangReservations.Place(n, milli)));
        return reservations.reserve(gang, places);
    }

    private GangReservations.Reservation reserve(OracleView view, ObjectNode jobJson, String gang,
                                                 List<String> candidates, Verdicts failed) {
        int size = jobJson.path("tasks").asInt();
        long running = view.base().running().stream().filter(t -> t.job().id().equals(gang)).count();
        ObjectNode rest = jobJson.deepCopy();
        if (running > 0) {
            rest.put("id", gang + " (members not yet running)").put("tasks", Math.max(1, size - running));
        }
        Job job;
        try {
            job = reader.readJob(rest, "Pod", view.runningJobIds(), view.base().now(), view.base().queues());
        } catch (InputException e) {
            return fail(failed, candidates, "pod of gang " + gang + ": " + e.getMessage());
        }
        List<TaskAssignment> tasks = view.tasksOf(job);
        SearchBudget budget = SearchBudget.ofMillis(budgetMillis);
        List<PlacementOracle.JobOption> options = tasks.get(0).isPinned() ? List.of()
                : view.oracle().recommendJob(tasks, OPTIONS, budget);
        for (PlacementOracle.JobOption option : options) {
            List<GangReservations.Place> places = new ArrayList<>();
            boolean clear = true;
            for (PlacementOracle.TaskPlacement p : option.placements()) {
                String node = p.node().id();
                clear &= reservations.heldOn(node, gang) == 0;
                places.add(new GangReservations.Place(node, job.gpu().shareMilli()));
            }
            if (clear) {
                return reservations.reserve(gang, places);
            }
        }
        String why = options.isEmpty() ? (budget.cutShort() ? "no place found within the search budget ("
                + budgetMillis + " ms)" : UnplacedReasons.forPendingJob(view.base(), tasks,
                view.oracle().quotas()))
                : "its best places are held for other gangs until their members are bound";
        fail(failed, candidates, "gang " + gang + " (" + job.tasks() + " task" + (job.tasks() == 1 ? "" : "s")
                + ") has no place now: " + why);
        return null;
    }

    private static GangReservations.Reservation fail(Verdicts v, List<String> candidates, String reason) {
        v.failAll(candidates, reason);
        return null;
    }
}
