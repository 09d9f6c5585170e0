package io.gpuplacer.service.extender;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.extender.ExtenderProtocol;
import io.gpuplacer.connectors.kubernetes.extender.ExtenderProtocol.Args;
import io.gpuplacer.connectors.kubernetes.extender.ExtenderProtocol.HostPriority;
import io.gpuplacer.connectors.kubernetes.extender.PodBinder;
import io.gpuplacer.model.interchange.InputException;
import io.gpuplacer.service.actions.SteeringHints;
import io.gpuplacer.service.audit.AuditTrail;
import io.gpuplacer.service.ledger.ArrivalRecorder;
import io.gpuplacer.service.state.ClusterState;
import io.gpuplacer.service.state.OracleView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * kube-scheduler's extender: filter, prioritize and bind for one pod at a time, answered from the oracle's view of
 * the current state. A pod of its own is judged node by node ({@link PodPlaces}); a gang member is steered to the
 * place its gang reserved on the first member's call ({@link GangPlaces}). The pod is read from the request, so a
 * pod the cluster state does not know yet is answered too. The extender places for now: holding a pod back for a
 * cleaner hour is the scheduling gate's work, before the pod reaches kube-scheduler.
 */
public final class ExtenderService {

    private static final Logger LOG = LoggerFactory.getLogger(ExtenderService.class);

    private final ClusterState state;
    private final ExtenderProtocol protocol;
    private final Supplier<PodBinder> binder;
    private final GangReservations reservations;
    private final PodPlaces pods;
    private final GangPlaces gangs;
    private final RecentVerdicts recent = new RecentVerdicts();
    private final SteeringHints steering;
    private final ArrivalRecorder arrivals;
    private final Timer filterLatency;
    private final Timer prioritizeLatency;

    /** {@code binder} gives null when no API server is configured: bind then answers with an error. */
    public ExtenderService(ClusterState state, ExtenderProtocol protocol, Supplier<PodBinder> binder,
                           GangReservations reservations, SteeringHints steering, int budgetMillis,
                           MeterRegistry metrics, ArrivalRecorder arrivals) {
        this.steering = steering;
        this.arrivals = arrivals;
        this.state = state;
        this.protocol = protocol;
        this.binder = binder;
        this.reservations = reservations;
        this.pods = new PodPlaces(reservations);
        this.gangs = new GangPlaces(reservations, budgetMillis);
        this.filterLatency = timer(metrics, "filter");
        this.prioritizeLatency = timer(metrics, "prioritize");
    }

    private static Timer timer(MeterRegistry metrics, String verb) {
        return Timer.builder("gpuplacer.extender.latency").tag("verb", verb)
                .description("time to answer one kube-scheduler extender call, reading it included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(metrics);
    }

    /** {@code ExtenderArgs} to {@code ExtenderFilterResult}. */
    public ObjectNode filter(String body) throws InputException {
        long started = System.nanoTime();
        try {
            Args args = protocol.readArgs(body);
            if (args.podError() == null) {
                arrivals.arrived("extender", args.runningJob(), args.job());
            }
            Verdicts v = judge(args, true);
            return protocol.filterResult(args, v.passed, v.failed, v.unresolvable, v.error);
        } finally {
            filterLatency.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * {@code ExtenderArgs} to {@code HostPriorityList}: 10 for the best node, 0 for the worst that fits and for
     * those that do not, the rest in proportion to the change of the score they bring; a gang member 10 on its
     * reserved node, 0 elsewhere.
     */
    public ArrayNode prioritize(String body) throws InputException {
        long started = System.nanoTime();
        try {
            Args args = protocol.readArgs(body);
            Verdicts v = judge(args, false);
            long best = v.softDelta.values().stream().mapToLong(Long::longValue).max().orElse(0);
            long worst = v.softDelta.values().stream().mapToLong(Long::longValue).min().orElse(0);
            List<HostPriority> out = new ArrayList<>(args.nodeNames().size());
            for (String node : args.nodeNames()) {
                Long d = v.softDelta.get(node);
                int score = d == null ? 0 : best == worst ? ExtenderProtocol.MAX_PRIORITY
                        : (int) Math.round(ExtenderProtocol.MAX_PRIORITY * (double) (d - worst) / (best - worst));
                out.add(new HostPriority(node, score));
            }
            return protocol.priorities(out);
        } finally {
            prioritizeLatency.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** {@code ExtenderBindingArgs} to {@code ExtenderBindingResult}: the binding made through the API server. */
    public ObjectNode bind(String body) throws InputException {
        ExtenderProtocol.BindingArgs args = protocol.readBinding(body);
        PodBinder b = binder.get();
        if (b == null) {
            AuditTrail.target("pod " + args.pod() + " to " + args.node() + ": no API server");
            return protocol.bindingResult("this service has no API server to bind through: set "
                    + "gpuplacer.kubernetes.enabled, or leave binding to kube-scheduler (no bindVerb)");
        }
        try {
            PodBinder.Outcome outcome = b.bind(args.pod().namespace(), args.pod().name(), args.pod().uid(),
                    args.node());
            reservations.bound(member(args.pod()));
            steering.bound(member(args.pod()), args.node());
            AuditTrail.target("pod " + args.pod() + " to " + args.node() + ": " + outcome);
            return protocol.bindingResult(null);
        } catch (PodBinder.BindingException e) {
            LOG.warn("extender: bind {} to {}: {}", args.pod(), args.node(), e.getMessage());
            AuditTrail.target("pod " + args.pod() + " to " + args.node() + ": refused");
            return protocol.bindingResult(e.getMessage());
        }
    }

    private Verdicts judge(Args args, boolean filter) {
        if (args.podError() != null) {
            return Verdicts.error(args.podError());
        }
        OracleView view = state.view();
        // The extender places for now: the window of the pod's annotations is the gate's business.
        ObjectNode job = args.job().deepCopy().putNull("earliestStart").putNull("deadline");
        String member = member(args.pod());
        if (args.gang()) {
            return gangs.judge(view, job, member, args.nodeNames(), args.gangNodes(), filter);
        }
        if (!filter) { // prioritize: the filter has usually just judged these nodes
            Verdicts known = recent.get(member, view, job, args.nodeNames());
            if (known != null) {
                return known;
            }
        }
        Verdicts v = pods.judge(view, job, args.nodeNames());
        String target = filter ? steering.target(args.controller(), member) : null;
        if (target != null && v.softDelta.containsKey(target)) {
            v.steer(target, "steered to " + target + ": the replacement of a pod of " + args.controller() + " moved "
                    + "there");
            steering.steered(args.controller(), member); // used up when this pod is bound there
        }
        if (filter && v.error == null) {
            recent.put(member, view, job, v);
        }
        return v;
    }

    /** A member of a gang is its pod's UID, or its name when the request has no UID. */
    static String member(ExtenderProtocol.PodRef pod) {
        return pod.uid() == null || pod.uid().isBlank() ? pod.toString() : pod.uid();
    }
}
