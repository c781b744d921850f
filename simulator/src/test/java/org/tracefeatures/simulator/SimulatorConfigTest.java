package org.tracefeatures.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorConfigTest {

    @Test
    void appliesMicrosimDefaults() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "ui", "Endpoints": [{"Name": "/home", "Depends": {"Service": {"Name": "db"}}}]},
                  {"Name": "db"}
                ]}""", "defaults");

        SimulatorConfig.Service ui = config.service("ui");
        assertThat(ui.count()).isEqualTo(1);
        SimulatorConfig.Endpoint home = ui.endpoint("/home").orElseThrow();
        assertThat(home.latency()).isEqualTo(new SimulatorConfig.Latency(15_000_000, 3_000_000));
        assertThat(home.failure()).isEqualTo(new SimulatorConfig.Failure(0, List.of("simulated failure")));
        // a dependency without Endpoint calls the service's first endpoint, and a service without endpoints has "/"
        assertThat(home.depends()).contains(new Dependency.Call("db", "/"));
        assertThat(config.service("db").endpoints())
                .extracting(SimulatorConfig.Endpoint::name)
                .containsExactly("/");
        assertThat(config.service("db").endpoints().get(0).depends()).isEmpty();
        assertThat(config.root()).isEqualTo(new Dependency.Call("ui", "/home"));
        assertThat(config.testName()).isEmpty();
        assertThat(config.sourceName()).isEqualTo("defaults");
    }

    @Test
    void readsEveryField() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"TestName": "checkout",
                 "Services": [
                  {"Name": "api", "Count": 2, "Endpoints": [
                    {"Name": "/buy",
                     "Perf": {"Latency": {"Mean": 5000000, "StdDev": 1000},
                              "Failure": {"Probability": 0.25, "Messages": ["out of stock", "declined"]}},
                     "Depends": {"Seq": [
                        {"Service": {"Name": "db", "Endpoint": "/read"}},
                        {"Par": {"Items": [{"Service": {"Name": "db", "Endpoint": "/write"}},
                                           {"Service": {"Name": "db", "Endpoint": "/read"}}],
                                 "MaxPar": 1}}]}}]},
                  {"Name": "db", "Count": 3, "Endpoints": [{"Name": "/read"}, {"Name": "/write"}]}
                ]}""", "every-field");

        SimulatorConfig.Endpoint buy = config.service("api").endpoint("/buy").orElseThrow();
        assertThat(config.service("api").count()).isEqualTo(2);
        assertThat(config.service("db").count()).isEqualTo(3);
        assertThat(buy.latency()).isEqualTo(new SimulatorConfig.Latency(5_000_000, 1000));
        assertThat(buy.failure()).isEqualTo(new SimulatorConfig.Failure(0.25, List.of("out of stock", "declined")));
        assertThat(buy.depends())
                .contains(new Dependency.Sequence(List.of(
                        new Dependency.Call("db", "/read"),
                        new Dependency.Parallel(
                                List.of(new Dependency.Call("db", "/write"), new Dependency.Call("db", "/read")), 1))));
        assertThat(config.testName()).contains("checkout");
    }

    @Test
    void theRootIsTheFirstEndpointOfTheFirstService() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "frontend", "Endpoints": [{"Name": "/a"}, {"Name": "/b"}]},
                  {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Service": {"Name": "frontend"}}}]}
                ]}""", "root");

        assertThat(config.root()).isEqualTo(new Dependency.Call("frontend", "/a"));
    }

    @Test
    void readsFieldNamesCaseInsensitivelyAsGoDoes() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"services": [{"name": "ui", "count": 2,
                               "endpoints": [{"name": "/", "perf": {"latency": {"mean": 7, "stddev": 1}}}]}]}""", "lower-case");

        assertThat(config.service("ui").count()).isEqualTo(2);
        assertThat(config.service("ui").endpoint("/").orElseThrow().latency())
                .isEqualTo(new SimulatorConfig.Latency(7, 1));
    }

    @Test
    void acceptsMicrosimsOwnRunParametersAndIgnoresThem() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [{"Name": "ui"}], "TestName": "t", "TestDuration": 10000000000, "TestRunners": 3,
                 "Repeats": 0, "SleepBetweenRequests": 100000000}""", "printed-by-microsim");

        assertThat(config.testName()).contains("t");
    }

    @Test
    void loadsBundledConfigsByName() {
        for (String name : SimulatorConfig.BUNDLED_CONFIGS) {
            assertThat(SimulatorConfig.load(name).sourceName()).isEqualTo(name);
            assertThat(SimulatorConfig.load(name + ".json").sourceName()).isEqualTo(name);
        }
    }

    @Test
    void loadsAFileAndNamesItAfterTheFile(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("my-shop.json");
        Files.writeString(file, "{\"Services\": [{\"Name\": \"shop\"}]}");

        SimulatorConfig config = SimulatorConfig.load(file.toString());

        assertThat(config.sourceName()).isEqualTo("my-shop");
        assertThat(config.root()).isEqualTo(new Dependency.Call("shop", "/"));
    }

    @Test
    void anUnknownNameListsTheBundledConfigs() {
        assertThatThrownBy(() -> SimulatorConfig.load("hotrod-nope"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("no config file \"hotrod-nope\"")
                .hasMessageContaining("hotrod-original, hotrod-reduced");
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                Arguments.of(
                        "unknown service",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [
                           {"Name": "/", "Depends": {"Seq": [{"Service": {"Name": "nope"}}]}}]}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Depends.Seq[0].Service.Name",
                                "unknown service \"nope\"",
                                "the config defines ui")),
                Arguments.of(
                        "unknown endpoint",
                        """
                        {"Services": [
                          {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Service":
                             {"Name": "db", "Endpoint": "/write"}}}]},
                          {"Name": "db", "Endpoints": [{"Name": "/read"}]}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Depends.Service.Endpoint",
                                "service \"db\" has no endpoint \"/write\"",
                                "its endpoints are /read")),
                Arguments.of(
                        "endpoint without a name", """
                        {"Services": [{"Name": "ui", "Endpoints": [{"Perf": {}}]}]}""", List.of("Services[0] \"ui\" Endpoints[0].Name", "is missing")),
                Arguments.of(
                        "dependency with none of Seq, Par, Service",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {}}]}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Depends",
                                "has none of Seq, Par and Service; give exactly one")),
                Arguments.of(
                        "dependency with two of Seq, Par, Service",
                        """
                        {"Services": [
                          {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Par": {"Items": [
                             {"Seq": [{"Service": {"Name": "db"}}], "Service": {"Name": "db"}}]}}}]},
                          {"Name": "db"}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Depends.Par.Items[0]",
                                "has Seq and Service of Seq, Par and Service; give exactly one")),
                Arguments.of(
                        "Count 0",
                        """
                        {"Services": [{"Name": "ui"}, {"Name": "db", "Count": 0}]}""",
                        List.of("Services[1] \"db\" Count", "is 0; a service needs at least 1 instance")),
                Arguments.of("negative Count", """
                        {"Services": [{"Name": "ui", "Count": -2}]}""", List.of("Services[0] \"ui\" Count", "is -2")),
                Arguments.of(
                        "negative mean latency",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [
                           {"Name": "/", "Perf": {"Latency": {"Mean": -5, "StdDev": 1}}}]}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Perf.Latency.Mean",
                                "is -5",
                                "cannot be negative")),
                Arguments.of(
                        "negative latency deviation",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [
                           {"Name": "/", "Perf": {"Latency": {"Mean": 5, "StdDev": -1}}}]}]}""",
                        List.of("Services[0] \"ui\" Endpoints[0] \"/\" Perf.Latency.StdDev", "is -1")),
                Arguments.of(
                        "failure probability above 1",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [
                           {"Name": "/", "Perf": {"Failure": {"Probability": 1.5}}}]}]}""",
                        List.of(
                                "Services[0] \"ui\" Endpoints[0] \"/\" Perf.Failure.Probability",
                                "give a probability from 0 to 1")),
                Arguments.of("no services", """
                        {"Services": []}""", List.of("Services: must list at least one service")),
                Arguments.of("service without a name", """
                        {"Services": [{"Name": "ui"}, {"Count": 2}]}""", List.of("Services[1].Name: is missing")),
                Arguments.of(
                        "service defined twice", """
                        {"Services": [{"Name": "ui"}, {"Name": "ui"}]}""", List.of("Services[1].Name", "service \"ui\" is defined twice")),
                Arguments.of("the test executor's name", """
                        {"Services": [{"Name": "test-executor"}]}""", List.of("Services[0].Name", "is reserved")),
                Arguments.of(
                        "negative MaxPar",
                        """
                        {"Services": [
                          {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Par": {"MaxPar": -1,
                             "Items": [{"Service": {"Name": "db"}}]}}}]},
                          {"Name": "db"}]}""",
                        List.of("Services[0] \"ui\" Endpoints[0] \"/\" Depends.Par.MaxPar", "is -1")),
                Arguments.of(
                        "empty Seq", """
                        {"Services": [{"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Seq": []}}]}]}""", List.of("Services[0] \"ui\" Endpoints[0] \"/\" Depends.Seq", "is empty")),
                Arguments.of(
                        "Par without items",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Par": {"MaxPar": 2}}}]}]}""",
                        List.of("Services[0] \"ui\" Endpoints[0] \"/\" Depends.Par.Items", "is empty")),
                Arguments.of("call cycle", """
                        {"Services": [
                          {"Name": "a", "Endpoints": [{"Name": "/", "Depends": {"Service": {"Name": "b"}}}]},
                          {"Name": "b", "Endpoints": [{"Name": "/", "Depends": {"Service": {"Name": "a"}}}]}]}""", List.of("dependency cycle a / -> b / -> a /")),
                Arguments.of(
                        "unknown field",
                        """
                        {"Services": [{"Name": "ui", "Endpoints": [{"Name": "/", "Depend": {}}]}]}""",
                        List.of(
                                "Services[0].Endpoints[0]: unknown field \"Depend\"",
                                "the fields allowed there are Depends, Name, Perf")),
                Arguments.of("wrong type", """
                        {"Services": [{"Name": "ui", "Count": "two"}]}""", List.of("Services[0].Count: value of the wrong type")),
                Arguments.of("fractional Count", """
                        {"Services": [{"Name": "ui", "Count": 1.5}]}""", List.of("Services[0].Count: value of the wrong type")),
                Arguments.of("not JSON", """
                        {"Services": [{"Name": "ui",}]}""", List.of("is not valid JSON at line 1")),
                Arguments.of(
                        "calls from an uninstrumented service",
                        """
                        {"Services": [
                          {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Service": {"Name": "db"}}}]},
                          {"Name": "db", "Instrumented": false,
                           "Endpoints": [{"Name": "/", "Depends": {"Service": {"Name": "ui"}}}]}]}""",
                        List.of("Services[1] \"db\" Endpoints[0] \"/\" Depends", "Instrumented false")),
                Arguments.of(
                        "a client tag without a value",
                        """
                        {"Services": [{"Name": "ui", "ClientTags": {"db.system": null}}]}""",
                        List.of("Services[0] \"ui\" ClientTags", "db.system = null")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsAndNamesTheWrongField(String problem, String json, List<String> messageParts) {
        assertThatThrownBy(() -> SimulatorConfig.parse(json, "broken"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("config broken")
                .hasMessageContainingAll(messageParts.toArray(String[]::new));
    }
}
