package io.gpuplacer.connectors.kubernetes.gates;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Port: the pods waiting at the gate {@value AdmissionGate#GATE}, and their release. */
public interface GatedPods {

    /**
     * A pod held at the gate, read as one task of a pending job (its gang's, when it is one task of a gang).
     *
     * @param job   the job, window included; null with {@code error}
     * @param error why the pod does not read as a job, or null
     */
    record GatedPod(String namespace, String name, String uid, String jobId, ObjectNode job, String error,
                    String runningJob) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /** A release that did not happen, with its reason. */
    final class ReleaseException extends Exception {
        public ReleaseException(String message) {
            super(message);
        }
    }

    /** Every pod held at the gate now, as the watcher last saw them. */
    List<GatedPod> gated();

    /**
     * Pins the pod to the node (required node affinity on {@code metadata.name}, added to any the pod has) and
     * removes the gate, in one update: kube-scheduler then binds it there. A gang's pods also get the annotation
     * {@value #GANG_NODES} with every member's node, so that the extender reserves those places for the gang.
     * A null {@code node} removes the gate only, pinning nothing: kube-scheduler places the pod as it would have
     * (a pod whose deadline came while no planned place had room).
     */
    void release(String namespace, String name, String node, List<String> gangNodes) throws ReleaseException;

    String GANG_NODES = "gpuplacer.io/gang-nodes";
}
