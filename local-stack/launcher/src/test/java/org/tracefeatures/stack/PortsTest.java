package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aPortWithAListenerOnLoopbackIsInUse() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(Ports.isInUse(listener.getLocalPort())).isTrue();
        }
    }

    @Test
    void aPortWithAListenerOnAllAddressesIsInUse() throws IOException {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(0));
            assertThat(Ports.isInUse(listener.getLocalPort())).isTrue();
        }
    }

    @Test
    void aClosedPortIsFree() throws IOException {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = listener.getLocalPort();
        }

        assertThat(Ports.isInUse(port)).isFalse();
    }
}
