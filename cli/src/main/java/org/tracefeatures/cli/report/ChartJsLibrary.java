package org.tracefeatures.cli.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Chart.js, from the org.webjars.npm:chart.js jar on the classpath: its minified UMD bundle, which the report
 * inlines so that the page works offline.
 *
 * @param code the bundle, its license banner kept and its source map reference dropped (the map is not inlined)
 */
public record ChartJsLibrary(String version, String code) {
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String SOURCE_MAP_REFERENCE = "//# sourceMappingURL=";

    public static ChartJsLibrary fromClasspath() {
        Properties pom = new Properties();
        try (InputStream in = resource(POM_PROPERTIES)) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
        }
        String version = pom.getProperty("version");
        String bundle = "META-INF/resources/webjars/chart.js/" + version + "/dist/chart.umd.js";
        String code;
        try (InputStream in = resource(bundle)) {
            code = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + bundle, e);
        }
        int sourceMap = code.lastIndexOf(SOURCE_MAP_REFERENCE);
        if (sourceMap >= 0) {
            code = code.substring(0, sourceMap);
        }
        // the page inlines the code in a <script> element, which the first "</script" would end
        if (code.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
            throw new IllegalStateException(bundle + " contains \"</script\" and cannot be inlined into a page");
        }
        return new ChartJsLibrary(version, code);
    }

    private static InputStream resource(String name) {
        InputStream in = ChartJsLibrary.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: the report needs the"
                    + " org.webjars.npm:chart.js jar (a dependency of tracefeatures-cli); rebuild with mvn package");
        }
        return in;
    }
}
