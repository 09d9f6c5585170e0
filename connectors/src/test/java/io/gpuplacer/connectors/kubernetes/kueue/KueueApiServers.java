package io.gpuplacer.connectors.kubernetes.kueue;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's mock API server in CRUD mode with a part of Kueue's API not served, as an API server without Kueue's
 * CRDs (or a Kueue release without v1beta2) answers: 404 for every path below the prefix; or forbidden (403).
 */
public final class KueueApiServers extends KubernetesCrudDispatcher {

    /** All of Kueue's API. */
    public static final String ALL = "/apis/kueue.x-k8s.io/";
    /** Only v1beta2: a Kueue release before 0.15. */
    public static final String V1BETA2 = "/apis/kueue.x-k8s.io/v1beta2/";

    private final String notServed;
    private final String forbidden;

    /** {@code notServed}: the path prefix answered 404, or null for none. */
    public KueueApiServers(String notServed) {
        this(notServed, null);
    }

    /** And {@code forbidden}: a path prefix answered 403, as RBAC answers a kind the ClusterRole lacks. */
    public KueueApiServers(String notServed, String forbidden) {
        this.notServed = notServed;
        this.forbidden = forbidden;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (notServed != null && request.getPath().startsWith(notServed)) {
            return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
        if (forbidden != null && request.getPath().startsWith(forbidden)) {
            return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                    + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}");
        }
        return super.dispatch(request);
    }
}
