package io.gpuplacer.service.api;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuplacer.connectors.kubernetes.ApiAccess;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in deploy/kubernetes, rendered as an admin renders them ({@code kubectl kustomize}), read into
 * fabric8's typed models with no field left over (a misspelt or misplaced field fails), and checked against the
 * service: the ClusterRole is exactly connectors' {@link ApiAccess} list, the probes' paths answer on a running
 * service, the webhook calls the gate's route, passwords come from Secrets, and the pod runs locked down.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");
    private static List<HasMetadata> base;
    private static List<HasMetadata> certManager;

    @BeforeAll
    static void render() throws Exception {
        base = objects(kustomize(DEPLOY));
        certManager = objects(kustomize(DEPLOY.resolve("overlays").resolve("cert-manager")));
    }

    @Test
    void everyObjectReadsIntoItsTypedModelWithNoFieldLeftOver() {
        for (List<HasMetadata> rendered : List.of(base, certManager)) {
            for (HasMetadata o : rendered) {
                if (o instanceof GenericKubernetesResource g) {
                    // No typed model here (cert-manager's CRDs): at least the kinds and the API group are known.
                    assertThat(g.getApiVersion()).isEqualTo("cert-manager.io/v1");
                    assertThat(g.getKind()).isIn("Issuer", "Certificate");
                    continue;
                }
                assertThat(leftOver(o, o.getKind() + " " + o.getMetadata().getName(), new IdentityHashMap<>()))
                        .as("fields no model of Kubernetes has").isEmpty();
            }
        }
        assertThat(kinds(base)).containsExactlyInAnyOrder("Namespace", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget",
                "MutatingWebhookConfiguration");
        assertThat(kinds(certManager)).contains("Certificate", "Issuer");
    }

    @Test
    void theClusterRoleIsExactlyWhatTheCodeAsksFor() {
        ClusterRole role = one(base, ClusterRole.class);
        Set<String> granted = new TreeSet<>();
        role.getRules().forEach(r -> r.getApiGroups().forEach(g -> r.getResources().forEach(res -> r.getVerbs()
                .forEach(v -> granted.add(g + "/" + res + ":" + v)))));
        Set<String> needed = new TreeSet<>();
        ApiAccess.RULES.forEach(r -> r.verbs().forEach(v -> needed.add(r.apiGroup() + "/" + r.resource() + ":" + v)));
        assertThat(granted).isEqualTo(needed);
        role.getRules().forEach(r -> assertThat(r.getResourceNames()).as("resource names").isNullOrEmpty());
    }

    @Test
    void thePodRunsLockedDownWithItsSecretsFromSecretsAndProbesThatAnswer() throws Exception {
        Deployment deployment = one(base, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        for (EnvVar e : c.getEnv()) {
            if (e.getName().contains("PASSWORD") || e.getName().contains("TOKEN") || e.getName().endsWith("_URL")) {
                assertThat(e.getValue()).as(e.getName() + " given as a literal").isNull();
                assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
            }
        }
        String readiness = c.getReadinessProbe().getHttpGet().getPath();
        String liveness = c.getLivenessProbe().getHttpGet().getPath();
        assertThat(readiness).isEqualTo("/health/readiness");
        assertThat(liveness).isEqualTo("/health/liveness");
        // The service's ports are the container's and the Service's.
        Set<Integer> containerPorts = new TreeSet<>(c.getPorts().stream().map(ContainerPort::getContainerPort).toList());
        assertThat(containerPorts).containsExactly(8080, 8443);
        assertThat(one(base, Service.class).getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8080,
                8443);
        assertThat(one(base, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        // The probes answer without a token on a running service.
        TestDatabase.Credentials db = TestDatabase.fresh();
        try (TestService service = new TestService(db)) {
            assertThat(service.call("GET", readiness, null, null).status()).isEqualTo(200);
            assertThat(service.call("GET", liveness, null, null).status()).isEqualTo(200);
        } finally {
            TestDatabase.drop(db);
        }
    }

    @Test
    void theWebhookFailsOpenOnOptedInNamespacesAndCallsTheGatesRoute() throws Exception {
        MutatingWebhook hook = one(base, MutatingWebhookConfiguration.class).getWebhooks().get(0);
        assertThat(hook.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(hook.getSideEffects()).isEqualTo("None");
        assertThat(hook.getNamespaceSelector().getMatchLabels()).containsEntry("gpuplacer.io/gated", "true");
        Method gate = WebhookController.class.getMethod("gate", byte[].class);
        String route = WebhookController.class.getAnnotation(Controller.class).value()
                + gate.getAnnotation(Post.class).uri();
        assertThat(hook.getClientConfig().getService().getPath()).isEqualTo(route);
        assertThat(hook.getClientConfig().getService().getPort()).isEqualTo(8443);
        assertThat(one(certManager, MutatingWebhookConfiguration.class).getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", "gpu-placer/gpu-placer-tls");
    }

    /** The ConfigMap's settings are read by the service's own settings and accepted: a wrong key would stop it. */
    @Test
    void theConfigMapsSettingsAreAcceptedByTheService() throws Exception {
        io.fabric8.kubernetes.api.model.ConfigMap config = one(base, io.fabric8.kubernetes.api.model.ConfigMap.class);
        Map<String, Object> settings = new java.util.HashMap<>(new io.micronaut.context.env.yaml.YamlPropertySourceLoader()
                .read("config.yml", config.getData().get("config.yml").getBytes(StandardCharsets.UTF_8)));
        settings.put("datasources.default.url", "jdbc:h2:mem:deploy-config;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
        try (io.micronaut.context.ApplicationContext context = io.micronaut.context.ApplicationContext.run(settings,
                io.gpuplacer.service.config.Modes.TOOL)) {
            var kubernetes = context.getBean(io.gpuplacer.service.config.KubernetesSettings.class);
            assertThat(kubernetes.enabled()).isTrue();
            assertThat(kubernetes.apply()).as("dry-run until the operator says otherwise").isFalse();
            assertThat(context.getBean(io.gpuplacer.service.config.SettingLists.class).zones()).isNotEmpty();
            assertThat(context.getBean(io.gpuplacer.service.config.ServiceSettings.class).dataDir())
                    .isEqualTo("/var/lib/gpu-placer");
        }
        Deployment deployment = one(base, Deployment.class);
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        String configFile = c.getEnv().stream().filter(e -> e.getName().equals("MICRONAUT_CONFIG_FILES")).findFirst()
                .orElseThrow().getValue();
        assertThat(c.getVolumeMounts()).anyMatch(m -> configFile.startsWith(m.getMountPath() + "/"));
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("these tests render the manifests with kubectl (1.32 embeds kustomize): "
                    + "install kubectl (e.g. apt-get install kubectl from Kubernetes' apt repository)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
        return out;
    }

    private static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                out.add(Serialization.unmarshal(doc, HasMetadata.class));
            }
        }
        return out;
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).toList();
    }

    private static <T> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    /** Every field a model kept aside as unknown (fabric8 keeps them in additionalProperties), with its path. */
    private static List<String> leftOver(Object o, String where, Map<Object, Boolean> seen) {
        List<String> out = new ArrayList<>();
        if (o == null || seen.put(o, true) != null) {
            return out;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                out.addAll(leftOver(item, where + "[" + i++ + "]", seen));
            }
            return out;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.addAll(leftOver(v, where + "." + k, seen)));
            return out;
        }
        if (!(o instanceof KubernetesResource)) {
            return out;
        }
        try {
            for (PropertyDescriptor p : Introspector.getBeanInfo(o.getClass()).getPropertyDescriptors()) {
                Method read = p.getReadMethod();
                if (read == null || read.getParameterCount() > 0) {
                    continue;
                }
                Object value = read.invoke(o);
                if (p.getName().equals("additionalProperties") && value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> out.add(where + "." + k));
                } else {
                    out.addAll(leftOver(value, where + "." + p.getName(), seen));
                }
            }
        } catch (ReflectiveOperationException | java.beans.IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
