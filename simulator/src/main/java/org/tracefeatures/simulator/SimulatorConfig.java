package org.tracefeatures.simulator;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated architecture in Jaeger microsim's JSON config format: services with instance counts and endpoints,
 * each endpoint with its latency, failure rate and dependencies.
 *
 * <p>Defaults follow microsim: a service without {@code Count} has one instance, a service without endpoints has
 * one endpoint {@code /}, an endpoint without {@code Perf.Latency} takes 15 ms ± 3 ms, failure messages default to
 * {@code simulated failure}, and a {@code Service} dependency without {@code Endpoint} calls the service's first
 * endpoint. As in microsim, the test executor calls the first endpoint of the first service.
 *
 * <p>Beyond microsim, a service may have a {@code Version} (its instances' {@code service.version} process tag) and
 * the config an {@code Environment} (every process's {@code deployment.environment} tag), so that traffic of two
 * versions can be written and compared. A service may also be {@code "Instrumented": false} (a database or queue
 * that reports no spans: a call to it is only its caller's client span) and have {@code ClientTags}, the tags of
 * every client span that calls it ({@code peer.service}, {@code db.system}, {@code messaging.system}, or
 * {@code span.kind} {@code producer} for a message sent to a queue).
 */
public final class SimulatorConfig {

    /** The configs in {@code src/main/resources/configs}, loadable by bare name. */
    public static final List<String> BUNDLED_CONFIGS = List.of("hotrod-original", "hotrod-reduced");

    static final Latency DEFAULT_LATENCY = new Latency(15_000_000L, 3_000_000L);
    static final String DEFAULT_FAILURE_MESSAGE = "simulated failure";
    static final String DEFAULT_ENDPOINT_NAME = "/";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * @param version the instances' {@code service.version} process tag, if the config gives one
     * @param instrumented false for a service that reports no spans: a call to it is only the caller's client span
     * @param clientTags the tags of every client span that calls the service (a {@code span.kind} among them replaces
     *     {@code client}, e.g. {@code producer})
     */
    public record Service(
            String name,
            int count,
            Optional<String> version,
            List<Endpoint> endpoints,
            boolean instrumented,
            Map<String, String> clientTags) {
        public Service {
            endpoints = List.copyOf(endpoints);
            clientTags = Collections.unmodifiableMap(new LinkedHashMap<>(clientTags));
        }

        public Optional<Endpoint> endpoint(String endpointName) {
            return endpoints.stream()
                    .filter(endpoint -> endpoint.name().equals(endpointName))
                    .findFirst();
        }
    }

    /** {@code depends} is empty for a leaf endpoint that only does its own work. */
    public record Endpoint(String name, Latency latency, Failure failure, Optional<Dependency> depends) {}

    /** Parameters of the normal distribution an endpoint's own work time is drawn from, in nanoseconds. */
    public record Latency(long meanNanos, long stdDevNanos) {}

    public record Failure(double probability, List<String> messages) {
        public Failure {
            messages = List.copyOf(messages);
        }
    }

    private final String sourceName;
    private final Optional<String> testName;
    private final Optional<String> environment;
    private final Map<String, Service> servicesByName;
    private final Dependency.Call root;

    private SimulatorConfig(
            String sourceName, Optional<String> testName, Optional<String> environment, List<Service> services) {
        this.sourceName = sourceName;
        this.testName = testName;
        this.environment = environment;
        this.servicesByName = new LinkedHashMap<>();
        services.forEach(service -> servicesByName.put(service.name(), service));
        Service first = services.get(0);
        this.root = new Dependency.Call(first.name(), first.endpoints().get(0).name());
    }

    /**
     * Loads a config from a file path or, when no such file exists, the bundled config of that name (with or
     * without {@code .json}).
     */
    public static SimulatorConfig load(String fileOrBundledName) {
        Path file = Path.of(fileOrBundledName);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                return parse(in, withoutJsonSuffix(file.getFileName().toString()));
            } catch (IOException e) {
                throw new InvalidConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
        }
        String name = withoutJsonSuffix(fileOrBundledName);
        InputStream bundled = SimulatorConfig.class.getResourceAsStream("/configs/" + name + ".json");
        if (bundled == null) {
            throw new InvalidConfigException("no config file \"" + fileOrBundledName
                    + "\" and no bundled config of that name: give the path of a microsim JSON config, or one of "
                    + String.join(", ", BUNDLED_CONFIGS));
        }
        try (bundled) {
            return parse(bundled, name);
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read bundled config " + name + ": " + e.getMessage(), e);
        }
    }

    /** @param sourceName where the JSON came from, for messages and as the default test name */
    public static SimulatorConfig parse(String json, String sourceName) {
        return parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), sourceName);
    }

    /** @param sourceName where the JSON came from, for messages and as the default test name */
    public static SimulatorConfig parse(InputStream json, String sourceName) {
        ConfigJson.Root root;
        try {
            root = JSON.readValue(json, ConfigJson.Root.class);
        } catch (UnrecognizedPropertyException e) {
            List<JsonMappingException.Reference> objectPath =
                    e.getPath().subList(0, e.getPath().size() - 1);
            throw new InvalidConfigException(
                    "config " + sourceName + ": " + jsonPath(objectPath) + ": unknown field \""
                            + e.getPropertyName() + "\"; the fields allowed there are "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", ")),
                    e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonParseException syntaxError) {
                throw notJson(sourceName, syntaxError);
            }
            throw new InvalidConfigException(
                    "config " + sourceName + ": " + jsonPath(e.getPath()) + ": value of the wrong type: "
                            + e.getOriginalMessage(),
                    e);
        } catch (JsonParseException e) {
            throw notJson(sourceName, e);
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read config " + sourceName + ": " + e.getMessage(), e);
        }
        if (root == null) {
            throw new InvalidConfigException("config " + sourceName + " is empty; it needs at least a Services list");
        }
        return new Validator(sourceName).validate(root);
    }

    /** The config's file name without {@code .json}, or the bundled config's name. */
    public String sourceName() {
        return sourceName;
    }

    /** The config's own {@code TestName}, if it has one. */
    public Optional<String> testName() {
        return testName;
    }

    /** The config's {@code Environment}: every process's {@code deployment.environment} tag, if it has one. */
    public Optional<String> environment() {
        return environment;
    }

    public List<Service> services() {
        return List.copyOf(servicesByName.values());
    }

    /** @throws IllegalArgumentException for a name the config does not define; validation rules that out for calls */
    public Service service(String name) {
        Service service = servicesByName.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " in config " + sourceName);
        }
        return service;
    }

    /** What the test executor calls: the first endpoint of the first service. */
    public Dependency.Call root() {
        return root;
    }

    private static String withoutJsonSuffix(String name) {
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }

    private static InvalidConfigException notJson(String sourceName, JsonParseException e) {
        return new InvalidConfigException(
                "config " + sourceName + " is not valid JSON at line "
                        + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ": "
                        + e.getOriginalMessage(),
                e);
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "top level" : path.toString();
    }

    /** Turns the raw JSON into the model, naming the first wrong field it meets. */
    private static final class Validator {
        private final String sourceName;
        /** endpoint names per service, known before any dependency is resolved, so calls may point forward */
        private final Map<String, List<String>> endpointNamesByService = new LinkedHashMap<>();

        Validator(String sourceName) {
            this.sourceName = sourceName;
        }

        SimulatorConfig validate(ConfigJson.Root root) {
            if (root.services == null || root.services.isEmpty()) {
                throw invalid(
                        "Services",
                        "must list at least one service; the test executor calls the first endpoint of the first one");
            }
            for (int i = 0; i < root.services.size(); i++) {
                registerService(i, root.services.get(i));
            }
            List<Service> services = new ArrayList<>();
            for (int i = 0; i < root.services.size(); i++) {
                services.add(service(i, root.services.get(i)));
            }
            rejectCycles(services);
            String testName = root.testName == null || root.testName.isBlank() ? null : root.testName;
            return new SimulatorConfig(sourceName, Optional.ofNullable(testName), nonBlank(root.environment), services);
        }

        private void registerService(int index, ConfigJson.Service json) {
            String path = "Services[" + index + "]";
            if (json == null) {
                throw invalid(path, "is null; give an object with Name, Count and Endpoints");
            }
            if (json.name == null || json.name.isBlank()) {
                throw invalid(path + ".Name", "is missing; every service needs a name");
            }
            if (json.name.equals(TraceGenerator.TEST_EXECUTOR_SERVICE)) {
                throw invalid(
                        path + ".Name",
                        "\"" + json.name
                                + "\" is reserved for the simulated client that calls the root endpoint; rename the service");
            }
            if (endpointNamesByService.containsKey(json.name)) {
                throw invalid(path + ".Name", "service \"" + json.name + "\" is defined twice; merge the two");
            }
            List<String> endpointNames = new ArrayList<>();
            if (json.endpoints == null || json.endpoints.isEmpty()) {
                endpointNames.add(DEFAULT_ENDPOINT_NAME);
            } else {
                for (int e = 0; e < json.endpoints.size(); e++) {
                    ConfigJson.Endpoint endpoint = json.endpoints.get(e);
                    String endpointPath = servicePath(index, json.name) + " Endpoints[" + e + "]";
                    if (endpoint == null) {
                        throw invalid(endpointPath, "is null; give an object with Name, Perf and Depends");
                    }
                    if (endpoint.name == null || endpoint.name.isBlank()) {
                        throw invalid(
                                endpointPath + ".Name", "is missing; every endpoint needs a name, like /dispatch");
                    }
                    if (endpointNames.contains(endpoint.name)) {
                        throw invalid(
                                endpointPath + ".Name",
                                "endpoint \"" + endpoint.name + "\" is defined twice in this service; merge the two");
                    }
                    endpointNames.add(endpoint.name);
                }
            }
            endpointNamesByService.put(json.name, endpointNames);
        }

        private Service service(int index, ConfigJson.Service json) {
            String path = servicePath(index, json.name);
            if (json.count != null && json.count < 1) {
                throw invalid(path + " Count", "is " + json.count + "; a service needs at least 1 instance");
            }
            int count = json.count == null ? 1 : json.count;
            List<Endpoint> endpoints = new ArrayList<>();
            if (json.endpoints == null || json.endpoints.isEmpty()) {
                endpoints.add(new Endpoint(DEFAULT_ENDPOINT_NAME, DEFAULT_LATENCY, noFailures(), Optional.empty()));
            } else {
                for (int e = 0; e < json.endpoints.size(); e++) {
                    ConfigJson.Endpoint endpoint = json.endpoints.get(e);
                    endpoints.add(endpoint(path + " Endpoints[" + e + "] \"" + endpoint.name + "\"", endpoint));
                }
            }
            boolean instrumented = json.instrumented == null || json.instrumented;
            if (!instrumented) {
                for (int e = 0; e < endpoints.size(); e++) {
                    if (endpoints.get(e).depends().isPresent()) {
                        throw invalid(
                                path + " Endpoints[" + e + "] \""
                                        + endpoints.get(e).name() + "\" Depends",
                                "is given, but the service has Instrumented false: it reports no spans, so no call"
                                        + " it makes could be seen; drop Depends or the Instrumented field");
                    }
                }
            }
            Map<String, String> clientTags = json.clientTags == null ? Map.of() : json.clientTags;
            for (Map.Entry<String, String> tag : clientTags.entrySet()) {
                if (tag.getKey() == null || tag.getKey().isBlank() || tag.getValue() == null) {
                    throw invalid(
                            path + " ClientTags",
                            "has the tag " + tag.getKey() + " = " + tag.getValue()
                                    + "; give each tag a name and a string value, like \"db.system\": \"mysql\"");
                }
            }
            return new Service(json.name, count, nonBlank(json.version), endpoints, instrumented, clientTags);
        }

        private Endpoint endpoint(String path, ConfigJson.Endpoint json) {
            ConfigJson.Perf perf = json.perf == null ? new ConfigJson.Perf() : json.perf;
            Latency latency = DEFAULT_LATENCY;
            if (perf.latency != null) {
                if (perf.latency.mean < 0) {
                    throw invalid(
                            path + " Perf.Latency.Mean",
                            "is " + perf.latency.mean + "; latencies are nanoseconds and cannot be negative");
                }
                if (perf.latency.stdDev < 0) {
                    throw invalid(
                            path + " Perf.Latency.StdDev",
                            "is " + perf.latency.stdDev + "; latencies are nanoseconds and cannot be negative");
                }
                latency = new Latency(perf.latency.mean, perf.latency.stdDev);
            }
            Failure failure = noFailures();
            if (perf.failure != null) {
                double probability = perf.failure.probability;
                if (!(probability >= 0 && probability <= 1)) {
                    throw invalid(
                            path + " Perf.Failure.Probability",
                            "is " + probability + "; give a probability from 0 to 1");
                }
                List<String> messages = perf.failure.messages == null || perf.failure.messages.isEmpty()
                        ? List.of(DEFAULT_FAILURE_MESSAGE)
                        : perf.failure.messages;
                failure = new Failure(probability, messages);
            }
            Optional<Dependency> depends =
                    json.depends == null ? Optional.empty() : Optional.of(dependency(path + " Depends", json.depends));
            return new Endpoint(json.name, latency, failure, depends);
        }

        private Dependency dependency(String path, ConfigJson.Dependencies json) {
            if (json == null) {
                throw invalid(path, "is null; give an object with exactly one of Seq, Par and Service");
            }
            List<String> given = new ArrayList<>();
            if (json.seq != null) {
                given.add("Seq");
            }
            if (json.par != null) {
                given.add("Par");
            }
            if (json.service != null) {
                given.add("Service");
            }
            if (given.size() != 1) {
                throw invalid(
                        path,
                        (given.isEmpty() ? "has none" : "has " + String.join(" and ", given))
                                + " of Seq, Par and Service; give exactly one");
            }
            if (json.seq != null) {
                if (json.seq.isEmpty()) {
                    throw invalid(path + ".Seq", "is empty; list at least one dependency or drop the Seq");
                }
                List<Dependency> items = new ArrayList<>();
                for (int i = 0; i < json.seq.size(); i++) {
                    items.add(dependency(path + ".Seq[" + i + "]", json.seq.get(i)));
                }
                return new Dependency.Sequence(items);
            }
            if (json.par != null) {
                if (json.par.items == null || json.par.items.isEmpty()) {
                    throw invalid(path + ".Par.Items", "is empty; list at least one dependency or drop the Par");
                }
                if (json.par.maxPar < 0) {
                    throw invalid(
                            path + ".Par.MaxPar",
                            "is " + json.par.maxPar
                                    + "; give the most items to run at once, or 0 (or leave it out) for all at once");
                }
                List<Dependency> items = new ArrayList<>();
                for (int i = 0; i < json.par.items.size(); i++) {
                    items.add(dependency(path + ".Par.Items[" + i + "]", json.par.items.get(i)));
                }
                return new Dependency.Parallel(items, json.par.maxPar);
            }
            return call(path + ".Service", json.service);
        }

        private Dependency.Call call(String path, ConfigJson.ServiceDep json) {
            if (json.name == null || json.name.isBlank()) {
                throw invalid(path + ".Name", "is missing; name the service to call, one of " + knownServices());
            }
            List<String> endpointNames = endpointNamesByService.get(json.name);
            if (endpointNames == null) {
                throw invalid(
                        path + ".Name", "unknown service \"" + json.name + "\"; the config defines " + knownServices());
            }
            if (json.endpoint == null || json.endpoint.isBlank()) {
                return new Dependency.Call(json.name, endpointNames.get(0));
            }
            if (!endpointNames.contains(json.endpoint)) {
                throw invalid(
                        path + ".Endpoint",
                        "service \"" + json.name + "\" has no endpoint \"" + json.endpoint + "\"; its endpoints are "
                                + String.join(", ", endpointNames));
            }
            return new Dependency.Call(json.name, json.endpoint);
        }

        /** A call chain that comes back to an endpoint already on it would recurse forever. */
        private void rejectCycles(List<Service> services) {
            Map<String, List<String>> callees = new LinkedHashMap<>();
            for (Service service : services) {
                for (Endpoint endpoint : service.endpoints()) {
                    List<String> calls = new ArrayList<>();
                    endpoint.depends().ifPresent(dependency -> collectCalls(dependency, calls));
                    callees.put(node(service.name(), endpoint.name()), calls);
                }
            }
            Set<String> finished = new LinkedHashSet<>();
            for (String start : callees.keySet()) {
                walk(start, callees, new ArrayList<>(), finished);
            }
        }

        private void walk(String node, Map<String, List<String>> callees, List<String> chain, Set<String> finished) {
            if (finished.contains(node)) {
                return;
            }
            int earlier = chain.indexOf(node);
            if (earlier >= 0) {
                List<String> cycle = new ArrayList<>(chain.subList(earlier, chain.size()));
                cycle.add(node);
                throw new InvalidConfigException("config " + sourceName + ": dependency cycle "
                        + String.join(" -> ", cycle) + ": such a call chain never ends; remove one of these calls");
            }
            chain.add(node);
            for (String callee : callees.get(node)) {
                walk(callee, callees, chain, finished);
            }
            chain.remove(chain.size() - 1);
            finished.add(node);
        }

        private static void collectCalls(Dependency dependency, List<String> calls) {
            if (dependency instanceof Dependency.Call call) {
                calls.add(node(call.service(), call.endpoint()));
            } else if (dependency instanceof Dependency.Sequence sequence) {
                sequence.items().forEach(item -> collectCalls(item, calls));
            } else if (dependency instanceof Dependency.Parallel parallel) {
                parallel.items().forEach(item -> collectCalls(item, calls));
            }
        }

        private static String node(String service, String endpoint) {
            return service + " " + endpoint;
        }

        private String knownServices() {
            return String.join(", ", endpointNamesByService.keySet());
        }

        private static String servicePath(int index, String name) {
            return "Services[" + index + "] \"" + name + "\"";
        }

        private static Optional<String> nonBlank(String value) {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }

        private static Failure noFailures() {
            return new Failure(0, List.of(DEFAULT_FAILURE_MESSAGE));
        }

        private InvalidConfigException invalid(String path, String problem) {
            return new InvalidConfigException("config " + sourceName + ": " + path + ": " + problem);
        }
    }
}
