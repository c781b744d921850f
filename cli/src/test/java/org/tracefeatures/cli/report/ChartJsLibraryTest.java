package org.tracefeatures.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartJsLibraryTest {
    @Test
    void theBundleComesFromTheWebJarWithItsLicenseBannerAndWithoutItsSourceMap() {
        ChartJsLibrary chartJs = ChartJsLibrary.fromClasspath();

        // the version cli/pom.xml names
        assertThat(chartJs.version()).isEqualTo("4.4.9");
        assertThat(chartJs.code()).startsWith("/*!\n * Chart.js v4.4.9").contains("Released under the MIT License");
        assertThat(chartJs.code()).doesNotContain("sourceMappingURL");
        // the minified bundle is about 200 kB
        assertThat(chartJs.code().length()).isBetween(150_000, 300_000);
    }
}
