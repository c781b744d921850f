package org.tracefeatures.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a microsim config, as written: nothing here is validated or defaulted yet, that is
 * {@link SimulatorConfig}'s job. Field names match microsim's Go structs (read case-insensitively, as Go does).
 */
final class ConfigJson {

    /** microsim's own run parameters may appear in its printed configs; the simulate options replace them. */
    @JsonIgnoreProperties({"TestDuration", "TestRunners", "Repeats", "SleepBetweenRequests"})
    static final class Root {
        @JsonProperty("Services")
        public List<Service> services;

        @JsonProperty("TestName")
        public String testName;

        /** tracefeatures' own: the deployment.environment process tag of every service. */
        @JsonProperty("Environment")
        public String environment;
    }

    static final class Service {
        @JsonProperty("Name")
        public String name;

        @JsonProperty("Count")
        public Integer count;

        /** tracefeatures' own: the service.version process tag of the service's instances. */
        @JsonProperty("Version")
        public String version;

        @JsonProperty("Endpoints")
        public List<Endpoint> endpoints;

        /** tracefeatures' own: false for a service that reports no spans (a database, a queue): only its callers'. */
        @JsonProperty("Instrumented")
        public Boolean instrumented;

        /** tracefeatures' own: the tags of every client span that calls the service, e.g. peer.service, db.system. */
        @JsonProperty("ClientTags")
        public Map<String, String> clientTags;
    }

    static final class Endpoint {
        @JsonProperty("Name")
        public String name;

        @JsonProperty("Perf")
        public Perf perf;

        @JsonProperty("Depends")
        public Dependencies depends;
    }

    static final class Perf {
        @JsonProperty("Latency")
        public Latency latency;

        @JsonProperty("Failure")
        public Failure failure;
    }

    /** Nanoseconds, as Go's time.Duration marshals. */
    static final class Latency {
        @JsonProperty("Mean")
        public long mean;

        @JsonProperty("StdDev")
        public long stdDev;
    }

    static final class Failure {
        @JsonProperty("Probability")
        public double probability;

        @JsonProperty("Messages")
        public List<String> messages;
    }

    static final class Dependencies {
        @JsonProperty("Seq")
        public List<Dependencies> seq;

        @JsonProperty("Par")
        public Parallel par;

        @JsonProperty("Service")
        public ServiceDep service;
    }

    static final class Parallel {
        @JsonProperty("Items")
        public List<Dependencies> items;

        @JsonProperty("MaxPar")
        public int maxPar;
    }

    static final class ServiceDep {
        @JsonProperty("Name")
        public String name;

        @JsonProperty("Endpoint")
        public String endpoint;
    }

    private ConfigJson() {}
}
