package io.gpuplacer.service.actions;

import io.gpuplacer.service.config.KubernetesSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuplacer.connectors.kubernetes.gates.AdmissionGate;
import io.gpuplacer.model.interchange.InputException;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * The webhook's decisions, recorded: a pod gated is a GATE action APPLIED (DRY_RUN when apply is off: the pod is let
 * through ungated). Pods are gated only where they will be released: with {@code gpuplacer.kubernetes.enabled} and
 * {@code gpuplacer.kubernetes.apply}; the namespaces are those the webhook configuration sends, narrowed by
 * {@code gpuplacer.kubernetes.gates.namespaces} when it is set.
 */
@Singleton
public class GateWebhook {

    private final AdmissionGate gate;
    private final ActionLog log;

    public GateWebhook(ActionLog log, KubernetesSettings kubernetes) {
        this.gate = new AdmissionGate(Set.copyOf(kubernetes.gates().namespaces()),
                !(kubernetes.enabled() && kubernetes.apply()));
        this.log = log;
    }

    public ObjectNode review(String body) throws InputException {
        AdmissionGate.Decision d = gate.review(body);
        // One row per admission request: a replay of the same review (its uid) is answered alike and not recorded.
        String request = "admission:" + d.review().path("response").path("uid").asText();
        if (d.gated()) {
            log.record(ActionLog.Kind.GATE, d.pod(), null, null, null, ActionLog.Status.APPLIED,
                    ActionReason.GATED.text(AdmissionGate.GATE), request);
        } else if (d.reason().startsWith("dry-run")) {
            log.record(ActionLog.Kind.GATE, d.pod(), null, null, null, ActionLog.Status.DRY_RUN,
                    ActionReason.GATE_DRY_RUN.text(AdmissionGate.GATE), request);
        }
        return d.review();
    }
}
