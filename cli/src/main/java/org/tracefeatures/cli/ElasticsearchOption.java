package org.tracefeatures.cli;

import java.net.URI;
import org.tracefeatures.stack.LocalStackConfig;
import picocli.CommandLine.Option;

/**
 * {@code --elasticsearch} of the commands that read or clean up the jobs' indexes: the local stack's node unless
 * given. Each command creates its instance, so that one made in code (as demo makes report) has it too; picocli
 * fills the one it finds.
 */
public final class ElasticsearchOption {
    @Option(
            names = "--elasticsearch",
            paramLabel = "URL",
            description = "Elasticsearch (default: the local stack's, ${DEFAULT-VALUE}); user:password@ in the URL is"
                    + " sent as basic authentication.")
    URI url = URI.create(LocalStackConfig.builder().build().elasticsearchUrl());
}
